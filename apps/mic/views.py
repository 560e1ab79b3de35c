from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.core import disclosure, selectors
from apps.core.disclosure import Table, shown
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind
from apps.core.views import KindRequiredMixin, WorkspaceView
from apps.mic.forms import AcceptanceNumberForm, PositionFilterForm, PositionReviewForm
from apps.mic.todo import mic_todo
from apps.placement import selectors as placement_selectors
from apps.placement import services as placement_services
from apps.placement.models import PositionRequest
from apps.recruitment import selectors as recruitment_selectors
from apps.recruitment import services as recruitment_services
from apps.recruitment.choices import Position
from apps.recruitment.counts import application_counts_protected
from apps.recruitment.models import AcceptanceNumber, Application

TYPE_COLOURS = ("#1d3f72", "#9fb4d3", "#b00d26")


class MicWorkspaceView(WorkspaceView):
    kinds = (Kind.MIC,)
    template_name = "mic/workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["by_prefecture"] = selectors.contracting_counts_by_prefecture(user=user)
        context["contracting_total"] = sum(row["n"] for row in context["by_prefecture"])
        context["todo"] = mic_todo(user=user, programme_year=context["programme_year"])
        return context


class AcceptanceNumberListView(KindRequiredMixin, TemplateView):
    """The current year's numbers, one row per country and a column per position."""

    kinds = (Kind.MIC,)
    template_name = "mic/acceptance_number_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = selectors.programme_year_current()
        numbers = (
            recruitment_selectors.acceptance_number_list(
                user=self.request.user, programme_year=year
            )
            if year
            else []
        )
        by_slot = {(n.country_id, n.position): n for n in numbers}
        countries = {n.country_id: n.country for n in numbers}
        # .all(): a fresh query, not the form class's own queryset and its cache.
        for country in AcceptanceNumberForm.base_fields["country"].queryset.all():
            countries.setdefault(country.code, country)
        context["programme_year"] = year
        context["positions"] = Position.values
        context["rows"] = [
            {
                "country": country,
                "cells": [
                    {"position": p, "number": by_slot.get((country.code, p))}
                    for p in Position.values
                ],
            }
            for country in sorted(countries.values(), key=lambda c: c.name_en)
        ]
        context["drafts"] = sum(1 for n in numbers if n.state == AcceptanceNumber.State.DRAFT)
        return context


class AcceptanceNumberSetView(KindRequiredMixin, FormView):
    """Set the places and the guideline of one country and position."""

    kinds = (Kind.MIC,)
    template_name = "mic/acceptance_number_form.html"
    form_class = AcceptanceNumberForm

    def get_initial(self):
        country = self.request.GET.get("country", "")
        position = self.request.GET.get("position", "")
        initial = {"country": country, "position": position}
        year = selectors.programme_year_current()
        if year and country and position:
            existing = (
                recruitment_selectors.acceptance_number_list(
                    user=self.request.user, programme_year=year
                )
                .filter(country_id=country, position=position)
                .first()
            )
            if existing:
                initial.update(
                    places=existing.places,
                    guideline_en=existing.guideline_en,
                    guideline_ja=existing.guideline_ja,
                )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme_year"] = selectors.programme_year_current()
        return context

    def form_valid(self, form):
        year = selectors.programme_year_current()
        if year is None:
            form.add_error(None, _("There is no current programme year."))
            return self.form_invalid(form)
        try:
            number = recruitment_services.acceptance_number_set(
                by=self.request.user, programme_year=year, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(country)s (%(position)s): %(places)s places saved.")
            % {
                "country": number.country.name,
                "position": number.position,
                "places": number.places,
            },
        )
        return redirect("mic:numbers")


class AcceptanceNumbersPublishView(KindRequiredMixin, View):
    """Publish the selected drafts; each country's missions are told."""

    kinds = (Kind.MIC,)

    def post(self, request):
        year = selectors.programme_year_current()
        ids = [pk for pk in request.POST.getlist("number") if pk.isdigit()]
        numbers = []
        if year and ids:
            numbers = list(
                recruitment_selectors.acceptance_number_list(
                    user=request.user, programme_year=year
                ).filter(pk__in=ids)
            )
        if not numbers:
            messages.error(request, _("Select at least one draft to publish."))
            return redirect("mic:numbers")
        try:
            count = recruitment_services.acceptance_numbers_publish(
                by=request.user, numbers=numbers
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s acceptance number published.",
                    "%(count)s acceptance numbers published.",
                    count,
                )
                % {"count": count},
            )
        return redirect("mic:numbers")


class ApplicationCountsView(KindRequiredMixin, TemplateView):
    """Applications by country, position and status against the places: numbers only,
    the small cells hidden (`application_counts_protected`)."""

    kinds = (Kind.MIC,)
    template_name = "mic/application_counts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = selectors.programme_year_current()
        counts = application_counts_protected(
            recruitment_selectors.application_counts(user=self.request.user, programme_year=year)
            if year
            else []
        )
        for row in (*counts["rows"], counts["totals"]):
            row["cells"] = [row[status] for status in recruitment_selectors.COUNTED]
        # Every bar on one scale, the largest of any row's applications or places, so
        # rows compare: a row with half the applications draws half the bar. A hidden
        # count draws no bar (nor sets the scale). Strings, so the SVG gets "12.5" in
        # every language.
        scale = (
            max(
                (max(row["places"] or 0, shown(row["total"])) for row in counts["rows"]),
                default=0,
            )
            or 1
        )
        for row in counts["rows"]:
            total, holding = shown(row["total"]), shown(row["holding"])
            row["total_pct"] = f"{total * 100 / scale:.1f}"
            row["holding_pct"] = f"{holding * 100 / scale:.1f}"
            row["places_pct"] = f"{min((row['places'] or 0) * 100 / scale, 99.4):.1f}"
        context["programme_year"] = year
        context["rows"] = counts["rows"]
        context["totals"] = counts["totals"]
        context["statuses"] = [
            Application.Status(status).label for status in recruitment_selectors.COUNTED
        ]
        context["explanation"] = disclosure.EXPLANATION
        return context


class PositionReviewListView(KindRequiredMixin, TemplateView):
    """Position requests of the current year grouped by prefecture, to approve or return."""

    kinds = (Kind.MIC,)
    template_name = "mic/positions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = selectors.programme_year_current()
        params = self.request.GET.copy()
        if "state" not in params:
            params["state"] = PositionRequest.State.REQUESTED
        filters = PositionFilterForm(params)
        values = filters.cleaned_data if filters.is_valid() else {}
        prefecture = values.get("prefecture")
        context["programme_year"] = year
        context["filters"] = filters
        context["review_form"] = kwargs.get("review_form") or PositionReviewForm()
        context["query"] = params.urlencode()
        context["positions"] = (
            placement_selectors.position_list(
                user=self.request.user,
                programme_year=year,
                state=values.get("state") or None,
                prefecture=prefecture.code if prefecture else None,
                type=values.get("type") or None,
            ).select_related("prefecture")
            if year
            else []
        )
        return context


class PositionReviewView(KindRequiredMixin, View):
    """Approve or return the selected positions; a return needs a reason."""

    kinds = (Kind.MIC,)

    def post(self, request):
        query = request.POST.get("query", "")
        target = reverse("mic:positions") + (f"?{query}" if query else "")
        form = PositionReviewForm(request.POST)
        ids = [pk for pk in request.POST.getlist("position") if pk.isdigit()]
        positions = (
            list(placement_selectors.position_list(user=request.user).filter(pk__in=ids))
            if ids
            else []
        )
        if not positions:
            messages.error(request, _("Select at least one position."))
            return redirect(target)
        if not form.is_valid():
            messages.error(request, _("Choose whether to approve or return the positions."))
            return redirect(target)
        approve = form.cleaned_data["decision"] == "approve"
        try:
            count = placement_services.positions_review(
                by=request.user,
                positions=positions,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            message = (
                ngettext("%(count)s position approved.", "%(count)s positions approved.", count)
                if approve
                else ngettext(
                    "%(count)s position returned.", "%(count)s positions returned.", count
                )
            )
            messages.success(request, message % {"count": count})
        return redirect(target)


class PositionCountsView(KindRequiredMixin, TemplateView):
    """Positions of the current year by prefecture and type: a table and a chart, counts
    only, the small cells hidden (`protect_position_counts`)."""

    kinds = (Kind.MIC,)
    template_name = "mic/position_counts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = selectors.programme_year_current()
        raw = (
            placement_selectors.position_counts(user=self.request.user, programme_year=year)
            if year
            else []
        )
        types = Position.values
        by_prefecture: dict[str, dict] = {}
        for row in raw:
            entry = by_prefecture.setdefault(
                row["prefecture_id"],
                {
                    "code": row["prefecture_id"],
                    "name_en": row["prefecture__name_en"],
                    "name_ja": row["prefecture__name_ja"],
                    "total": 0,
                    "approved": 0,
                    "by_type": dict.fromkeys(types, 0),
                    "approved_by_type": dict.fromkeys(types, 0),
                },
            )
            entry["total"] += row["n"]
            entry["by_type"][row["type"]] += row["n"]
            if row["state"] == PositionRequest.State.APPROVED:
                entry["approved"] += row["n"]
                entry["approved_by_type"][row["type"]] += row["n"]
        rows = list(by_prefecture.values())
        totals = {"by_type": {t: sum(r["by_type"][t] for r in rows) for t in types}}
        totals["total"] = sum(r["total"] for r in rows)
        protect_position_counts(rows, totals, types)
        scale = max((shown(r["total"]) for r in rows), default=0) or 1
        for row in rows:
            row["cells"] = [
                {"type": t, "n": row["by_type"][t], "approved": row["approved_by_type"][t]}
                for t in types
            ]
            # Stacked bar segments, as strings so the SVG gets "12.5" in every language;
            # a hidden count draws nothing.
            offset = 0.0
            row["segments"] = []
            for t, colour in zip(types, TYPE_COLOURS, strict=True):
                width = shown(row["by_type"][t]) * 100 / scale
                row["segments"].append(
                    {"type": t, "x": f"{offset:.1f}", "width": f"{width:.1f}", "colour": colour}
                )
                offset += width
        context["programme_year"] = year
        context["types"] = [
            {"code": t, "colour": c} for t, c in zip(types, TYPE_COLOURS, strict=True)
        ]
        context["rows"] = rows
        context["totals"] = [totals["by_type"][t] for t in types]
        context["grand_total"] = totals["total"]
        context["explanation"] = disclosure.EXPLANATION
        return context


def protect_position_counts(rows: list[dict], totals: dict, types: list[str]) -> None:
    """The small-cell rule over the page's figures: each prefecture's positions by type
    and in all, the approved ones among them (each its own sum by type), and the totals
    by type and overall."""
    table = Table()
    for row in rows:
        table.sum(table.count(row, "total"), table.counts(row["by_type"], types))
        table.sum(table.count(row, "approved"), table.counts(row["approved_by_type"], types))
    table.sum(table.count(totals, "total"), table.counts(totals["by_type"], types))
    for t in types:
        table.sum(table.count(totals["by_type"], t), [table.count(r["by_type"], t) for r in rows])
    table.sum(table.count(totals, "total"), [table.count(r, "total") for r in rows])
    table.protect()
