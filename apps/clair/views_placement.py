"""CLAIR's placement pages: the board, placing by hand, its list of the year's
placements and the suggestion runs. CLAIR's own pages (its workspace); every read is the
placement domain's selector and every write its service, which asks the access rule
(a CLAIR staff member who is not a manager cannot approve a run or reject a line)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from apps.clair.forms import (
    BoardCandidateFilter,
    BoardPositionFilter,
    OverrideForm,
    PlaceForm,
    RejectForm,
)
from apps.core import access, selectors
from apps.core.errors import DomainError
from apps.core.models import Kind
from apps.core.views import KindRequiredMixin
from apps.placement import engine
from apps.placement import selectors as programme_selectors
from apps.placement import services as placement_services
from apps.placement.models import MatchingLine, Placement
from apps.placement.notes import move_row, note_text, unmet_summary

PAGE_SIZE = 25
# The columns a candidate's row on the board shows (clair/board.html; the preferences are
# named from the three codes). A page read all 50 of an application's, its mission's and
# its country's for its 25 rows. A column the template comes to show and this leaves out
# costs a query a row: tests/placement/test_pages.py holds the page's query count flat.
CANDIDATE_COLUMNS = (
    "number",
    "given_names",
    "family_name",
    "partner_number",
    "country__name_en",
    "country__name_ja",
    "position",
    "preference_1",
    "preference_2",
    "preference_3",
    "location_preference",
    "japanese_level",
    "driving_licence",
)


def _cleaned(form) -> dict:
    if not form.is_valid():
        return {}
    data = {}
    for name, value in form.cleaned_data.items():
        if value in (None, "", False):
            continue
        data[name] = getattr(value, "pk", value)
    return data


def _texts(notes, labels=None) -> list[str]:
    return [note_text(n, labels) for n in notes]


class ClairOnlyMixin(KindRequiredMixin):
    kinds = (Kind.CLAIR,)

    def year(self):
        year = selectors.programme_year_current()
        if year is None:
            raise Http404
        return year


class PlacementBoardView(ClairOnlyMixin, TemplateView):
    """Forwarded candidates beside open positions; choose a candidate to see how each
    position fits them (which preference it meets, which requirement fails), best fit
    first: positions their organisation declined them for next, failing ones last."""

    template_name = "clair/board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, year, query = self.request.user, self.year(), self.request.GET
        candidate_filter = BoardCandidateFilter(query, prefix="c")
        position_filter = BoardPositionFilter(
            query, prefix="p", prefectures=candidate_filter.fields["preference"].queryset
        )
        candidates = programme_selectors.board_candidates(
            user=user, programme_year=year, **_cleaned(candidate_filter)
        ).select_related("country", "mission")
        positions = programme_selectors.board_positions(
            user=user, programme_year=year, **_cleaned(position_filter)
        )
        candidate_page = Paginator(
            candidates.select_related(None).select_related("country").only(*CANDIDATE_COLUMNS),
            PAGE_SIZE,
        ).get_page(query.get("c_page"))
        selected = None
        if query.get("candidate", "").isdigit():
            selected = (
                candidates.filter(pk=query.get("candidate")).select_related("partner").first()
            )
        rows = []
        if selected is None:
            position_page = Paginator(positions, PAGE_SIZE).get_page(query.get("p_page"))
            rows = [{"position": position} for position in position_page]
        else:
            # Ranked by the engine's fit over every open position, then one page fetched.
            ranked = programme_selectors.board_fit(
                user=user,
                programme_year=year,
                application=selected,
                **_cleaned(position_filter),
            )
            position_page = Paginator(ranked, PAGE_SIZE).get_page(query.get("p_page"))
            shown = positions.in_bulk([r.position_id for r in position_page])
            for r in position_page:
                rows.append(
                    {
                        "position": shown[r.position_id],
                        "acceptable": r.group == 0,
                        "declined": note_text({"code": "declined", "params": r.declined})
                        if r.declined
                        else "",
                        "unmet": unmet_summary(r.fit.failures) if r.fit.failures else "",
                        "failures": _texts(engine.as_dicts(r.fit.failures)),
                        "notes": _texts(engine.as_dicts(r.fit.notes)),
                        "rank": r.fit.preference_rank,
                    }
                )
        params = query.copy()
        for name in ("candidate", "c_page", "p_page"):
            params.pop(name, None)
        context.update(
            programme_year=year,
            candidate_filter=candidate_filter,
            position_filter=position_filter,
            candidate_page=candidate_page,
            position_page=position_page,
            position_rows=rows,
            selected=selected,
            place_form=PlaceForm(initial={"arrival_group": "A"}),
            filter_query=params.urlencode(),
        )
        return context


class PlaceView(ClairOnlyMixin, View):
    """Place a candidate by hand: a failed hard requirement is refused with its reason;
    soft mismatches are shown first and placed only once the person confirms."""

    def post(self, request):
        form = PlaceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a candidate and a position."))
            return redirect("clair:board")
        data = form.cleaned_data
        year = self.year()
        application = (
            programme_selectors.board_candidates(user=request.user, programme_year=year)
            .filter(pk=data["application"])
            .select_related("partner", "country")
            .first()
        )
        position = (
            programme_selectors.board_positions(user=request.user, programme_year=year)
            .filter(pk=data["position"])
            .first()
        )
        back = redirect(f"{reverse('clair:board')}?candidate={data['application']}")
        if application is None or position is None:
            messages.error(request, _("This candidate or this position is no longer open."))
            return back
        warnings = placement_services.placement_warnings(application, position)
        if warnings and not data["accept_warnings"]:
            return render(
                request,
                "clair/place_confirm.html",
                {
                    "application": application,
                    "position": position,
                    "warnings": warnings,
                    "failures": placement_services.placement_requirements_unmet(
                        application, position
                    ),
                    "form": PlaceForm(initial=data | {"accept_warnings": False}),
                },
            )
        try:
            placement_services.placement_confirm(
                by=request.user,
                application=application,
                position=position,
                arrival_group=data["arrival_group"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return back
        messages.success(
            request,
            _(
                "%(number)s is placed with %(organisation)s; the organisation has been "
                "asked to accept."
            )
            % {"number": application.number, "organisation": position.organisation.name},
        )
        return redirect("clair:board")


class PlacementListView(ClairOnlyMixin, TemplateView):
    template_name = "clair/placements.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status") or None
        if status not in Placement.Status.values:
            status = None
        placements = programme_selectors.placement_list(
            user=self.request.user, programme_year=self.year(), status=status
        )
        context.update(
            page=Paginator(placements, 50).get_page(self.request.GET.get("page")),
            statuses=Placement.Status.choices,
            status=status,
        )
        return context


class RunListView(ClairOnlyMixin, TemplateView):
    """Earlier suggestion runs, and the button that starts a new one."""

    template_name = "clair/runs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["runs"] = programme_selectors.matching_run_list(user=self.request.user)[:30]
        context["programme_year"] = self.year()
        return context

    def post(self, request):
        try:
            run = placement_services.matching_run_start(by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("clair:runs")
        return redirect("clair:run-detail", pk=run.pk)


class RunDetailView(ClairOnlyMixin, TemplateView):
    """A run's proposal: figures, every line with its explanation, overrides and
    decisions; a manager approves all or the ticked lines."""

    template_name = "clair/run_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = programme_selectors.matching_run_get(user=self.request.user, pk=self.kwargs["pk"])
        lines = list(programme_selectors.matching_lines(run=run))
        labels = {line.application_id: line.application.number for line in lines}
        rows = [{"line": line, "notes": _texts(line.notes, labels)} for line in lines]
        context.update(
            run=run,
            job=run.job,
            rows=rows,
            pending=sum(
                1
                for line in lines
                if line.decision == MatchingLine.Decision.PROPOSED and line.position_id
            ),
            can_approve=access.can(self.request.user, "approve", run),
        )
        return context


class RunApproveView(ClairOnlyMixin, View):
    def post(self, request, pk):
        run = programme_selectors.matching_run_get(user=request.user, pk=pk)
        chosen = None if request.POST.get("all") else request.POST.getlist("lines")
        if chosen is not None and not chosen:
            messages.error(request, _("Tick the lines to approve, or approve the whole proposal."))
            return redirect("clair:run-detail", pk=run.pk)
        try:
            outcome = placement_services.matching_lines_approve(
                by=request.user, run=run, lines=chosen
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("clair:run-detail", pk=run.pk)
        messages.success(
            request,
            ngettext(
                "%(approved)s placement confirmed.",
                "%(approved)s placements confirmed.",
                outcome["approved"],
            )
            % outcome,
        )
        if outcome["failed"]:
            messages.warning(
                request,
                ngettext(
                    "%(failed)s line could not be placed; see its note.",
                    "%(failed)s lines could not be placed; see their notes.",
                    outcome["failed"],
                )
                % outcome,
            )
        return redirect("clair:run-detail", pk=run.pk)


class LineView(ClairOnlyMixin, TemplateView):
    """One line of a proposal: change it (with a reason) or, as a manager, reject it."""

    template_name = "clair/run_line.html"

    def line(self):
        run = programme_selectors.matching_run_get(user=self.request.user, pk=self.kwargs["pk"])
        line = (
            run.lines.select_related(
                "application__country",
                "position__prefecture",
                "position__organisation",
                "run",
                "overridden_by",
                "carried_from",
            )
            .filter(pk=self.kwargs["line"])
            .first()
        )
        if line is None:
            raise Http404
        return line

    def positions(self, line):
        return programme_selectors.board_positions(
            user=self.request.user,
            programme_year=line.run.programme_year,
            type=line.application.position,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        line = kwargs.get("line_obj") or self.line()
        context.update(
            line=line,
            notes=_texts(line.notes),
            override_form=kwargs.get("override_form")
            or OverrideForm(positions=self.positions(line), initial={"position": line.position_id}),
            reject_form=kwargs.get("reject_form") or RejectForm(),
            can_reject=access.can(self.request.user, "reject", line),
        )
        return context

    def post(self, request, pk, line):
        line_obj = self.line()
        if request.POST.get("action") == "remove_override":
            try:
                placement_services.matching_line_override_remove(by=request.user, line=line_obj)
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect("clair:run-line", pk=pk, line=line)
            messages.success(
                request, _("The change by hand is removed; the next run will not keep it.")
            )
            return redirect("clair:run-detail", pk=pk)
        if request.POST.get("action") == "reject":
            form = RejectForm(request.POST)
            if form.is_valid():
                try:
                    placement_services.matching_line_reject(
                        by=request.user, line=line_obj, reason=form.cleaned_data["reason"]
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("The line is rejected."))
                    return redirect("clair:run-detail", pk=pk)
            return self.render_to_response(
                self.get_context_data(line_obj=line_obj, reject_form=form)
            )
        form = OverrideForm(request.POST, positions=self.positions(line_obj))
        if form.is_valid():
            try:
                placement_services.matching_line_override(
                    by=request.user,
                    line=line_obj,
                    position=form.cleaned_data["position"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The line is changed; the reason is recorded."))
                return redirect("clair:run-detail", pk=pk)
        return self.render_to_response(self.get_context_data(line_obj=line_obj, override_form=form))


class RunCompareView(ClairOnlyMixin, TemplateView):
    """What moved since the previous run, and why."""

    template_name = "clair/run_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = programme_selectors.matching_run_get(user=self.request.user, pk=self.kwargs["pk"])
        context.update(
            run=run,
            rows=[move_row(m) for m in programme_selectors.matching_run_moves(run=run)],
        )
        return context
