"""CLAIR's re-appointment pages: open a round; follow, per prefecture and organisation,
who has answered and who is late; remind; reopen one case for a late answer (audited in
the case's history); confirm the round; the counts and the exports."""

import datetime
import zoneinfo

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from apps.core import access, limits, selectors
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind, Prefecture, ProgrammeYear
from apps.core.views import KindRequiredMixin
from apps.reappointment import jobs, services
from apps.reappointment import selectors as programme_selectors
from apps.reappointment.counts import counts_summary
from apps.reappointment.models import ReappointmentCase, ReappointmentRound

JAPAN = zoneinfo.ZoneInfo("Asia/Tokyo")
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
CASES_PER_PAGE = 50
ORGANISATIONS_PER_PAGE = 100

# What a case's history shows, in this order: the answers, CLAIR's reopening, the outcome.
AUDITED = (
    "organisation_answer",
    "organisation_reason",
    "grounds",
    "participant_answer",
    "participant_reason",
    "reopened_until",
    "reopen_reason",
    "outcome",
)


# --- forms -------------------------------------------------------------------------------


class JapanTimeField(forms.DateTimeField):
    """A date and time as the clock shows it in Japan, whatever zone the person typing it
    is in: the round's deadlines are Japanese deadlines."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)

    def to_python(self, value):
        with timezone.override(JAPAN):
            return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value, JAPAN)
        return value


class RoundOpenForm(forms.Form):
    programme_year = forms.ModelChoiceField(
        label=gettext_lazy("Programme year"),
        queryset=ProgrammeYear.objects.none(),
        help_text=gettext_lazy(
            "The year whose terms the round fills: the new contracts start with its arrivals."
        ),
    )
    organisation_deadline = JapanTimeField(
        label=gettext_lazy("Organisations answer by (Japan time)")
    )
    participant_deadline = JapanTimeField(label=gettext_lazy("Participants answer by (Japan time)"))
    confirmation_deadline = JapanTimeField(label=gettext_lazy("CLAIR confirms by (Japan time)"))

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_year"].queryset = years


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for reopening"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the case's history with your name."),
    )
    until = JapanTimeField(label=gettext_lazy("Open for a late answer until (Japan time)"))


class RoundConfirmForm(forms.Form):
    """The second step of "Confirm the round": the person has seen what it will do."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, required=False)
    early_reason = forms.CharField(
        label=gettext_lazy("Reason for confirming before the deadline"),
        max_length=limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept on the round with your name."),
    )


class CaseFilterForm(forms.Form):
    prefecture = forms.ModelChoiceField(
        label=gettext_lazy("Prefecture"),
        queryset=Prefecture.objects.all(),
        required=False,
        empty_label=gettext_lazy("Any"),
    )
    waiting = forms.ChoiceField(
        label=gettext_lazy("Waiting for"),
        choices=[
            ("", gettext_lazy("Anyone")),
            ("organisation", gettext_lazy("Waiting for the organisation")),
            ("participant", gettext_lazy("Waiting for the participant")),
        ],
        required=False,
    )


# --- reading a round ---------------------------------------------------------------------


def open_years() -> QuerySet:
    """Programme years from the current one on that have no round yet."""
    current = selectors.programme_year_current()
    if current is None:
        return ProgrammeYear.objects.none()
    return ProgrammeYear.objects.filter(
        year__gte=current.year, reappointmentround__isnull=True
    ).order_by("year")


def _waiting(side: str) -> Q:
    return Q(**{f"{side}_answer": ""}, may_continue=True)


def progress_by_organisation(cases):
    """One row per organisation of `cases`: who has answered what, who is still waiting."""
    return (
        cases.order_by()
        .values(
            "organisation_id",
            "organisation__name_en",
            "organisation__name_ja",
            "organisation__prefecture_id",
            "organisation__prefecture__name_en",
            "organisation__prefecture__name_ja",
        )
        .annotate(
            total=Count("pk"),
            offer=Count("pk", filter=Q(organisation_answer="OFFER")),
            no_offer=Count("pk", filter=Q(organisation_answer="NO_OFFER")),
            organisation_waiting=Count("pk", filter=_waiting("organisation")),
            keep=Count("pk", filter=Q(participant_answer="CONTINUE")),
            leave=Count("pk", filter=Q(participant_answer="LEAVE")),
            participant_waiting=Count("pk", filter=_waiting("participant")),
        )
        .order_by("organisation__prefecture_id", "organisation__name_en", "organisation_id")
    )


def round_figures(cases) -> dict:
    return cases.order_by().aggregate(
        total=Count("pk"),
        organisation_waiting=Count("pk", filter=_waiting("organisation")),
        participant_waiting=Count("pk", filter=_waiting("participant")),
        both_agree=Count(
            "pk",
            filter=Q(organisation_answer="OFFER", participant_answer="CONTINUE", may_continue=True),
        ),
    )


def case_row(case: ReappointmentCase, round_: ReappointmentRound, now) -> dict:
    """A case with what the list shows beside it: whose answer is late, whether CLAIR has
    reopened it for a late answer."""
    waiting_organisation = case.may_continue and not case.organisation_answer
    waiting_participant = case.may_continue and not case.participant_answer
    return {
        "case": case,
        "organisation_late": waiting_organisation and now > round_.organisation_deadline,
        "participant_late": waiting_participant and now > round_.participant_deadline,
        "reopened": case.reopened_until is not None and case.reopened_until >= now,
    }


def history_rows(case: ReappointmentCase) -> list[dict]:
    """The case's history, newest first: when, who, and what each save changed."""
    fields = {name: ReappointmentCase._meta.get_field(name) for name in AUDITED}
    records = case.history.select_related("history_user").order_by("history_date", "history_id")
    rows, previous = [], None
    for record in records:
        changes = []
        for name, field in fields.items():
            value = getattr(record, name)
            before = getattr(previous, name) if previous is not None else None
            if value == before or (previous is None and value in ("", None)):
                continue
            if field.choices:
                value = dict(field.flatchoices).get(value, value)
            changes.append({"field": field.verbose_name, "value": value})
        rows.append(
            {
                "record": record,
                "created": record.history_type == "+",
                "changes": changes,
            }
        )
        previous = record
    rows.reverse()
    return rows


# --- views -------------------------------------------------------------------------------


class ClairReappointmentMixin(KindRequiredMixin):
    kinds = (Kind.CLAIR,)

    def round(self) -> ReappointmentRound:
        return programme_selectors.reappointment_round_get(
            user=self.request.user, pk=self.kwargs["pk"]
        )


class RoundListView(ClairReappointmentMixin, TemplateView):
    """The rounds so far, and the form that opens the next one."""

    template_name = "clair/reappointment/rounds.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = open_years()
        context["rounds"] = programme_selectors.reappointment_round_list(
            user=self.request.user
        ).annotate(cases_count=Count("cases"))
        context["programme_year"] = selectors.programme_year_current()
        context["form"] = kwargs.get("form") or (
            RoundOpenForm(years=years, initial={"programme_year": years.first()})
            if years.exists()
            else None
        )
        return context

    def post(self, request):
        form = RoundOpenForm(request.POST, years=open_years())
        if form.is_valid():
            try:
                round_ = services.round_open(by=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                count = round_.cases.count()
                messages.success(
                    request,
                    ngettext(
                        "The re-appointment round for %(year)s is open: %(count)s participant.",
                        "The re-appointment round for %(year)s is open: %(count)s participants.",
                        count,
                    )
                    % {"year": round_.programme_year.year, "count": count},
                )
                return redirect("clair:reappointment-round", pk=round_.pk)
        return self.render_to_response(self.get_context_data(form=form))


class RoundView(ClairReappointmentMixin, TemplateView):
    """One round: who has answered and who is late, per prefecture and organisation; the
    cases with names; reminders, confirmation, counts and exports."""

    template_name = "clair/reappointment/round.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, query = self.request.user, self.request.GET
        round_ = self.round()
        now = timezone.now()
        filters = CaseFilterForm(query)
        values = filters.cleaned_data if filters.is_valid() else {}
        prefecture = values.get("prefecture")
        cases = programme_selectors.reappointment_case_list(
            user=user,
            round=round_,
            prefecture=prefecture.code if prefecture else None,
            waiting=values.get("waiting") or None,
        )
        organisations = Paginator(progress_by_organisation(cases), ORGANISATIONS_PER_PAGE).get_page(
            query.get("org_page")
        )
        for row in organisations:
            row["organisation_late"] = (
                row["organisation_waiting"] if now > round_.organisation_deadline else 0
            )
            row["participant_late"] = (
                row["participant_waiting"] if now > round_.participant_deadline else 0
            )
        page = Paginator(cases, CASES_PER_PAGE).get_page(query.get("page"))
        params = query.copy()
        for name in ("page", "org_page"):
            params.pop(name, None)
        is_open = round_.state == ReappointmentRound.State.OPEN
        runs = is_open and access.can(user, "change", round_)
        context.update(
            round=round_,
            is_open=is_open,
            organisation_deadline_passed=now > round_.organisation_deadline,
            participant_deadline_passed=now > round_.participant_deadline,
            figures=round_figures(
                programme_selectors.reappointment_case_list(user=user, round=round_)
            ),
            filters=filters,
            filter_query=params.urlencode(),
            organisations=organisations,
            page=page,
            case_rows=[case_row(case, round_, now) for case in page],
            counts=counts_summary(
                programme_selectors.reappointment_counts(user=user, round=round_),
                protect=programme_selectors.reappointment_counts_only(user=user, round=round_),
            ),
            can_remind=runs and now <= round_.participant_deadline,
            can_confirm=runs,
            confirm_preview=(
                programme_selectors.round_confirm_preview(user=user, round=round_) if runs else None
            ),
            can_confirm_early=runs and access.can(user, "confirm_early", round_),
        )
        return context


class RoundRemindView(ClairReappointmentMixin, View):
    def post(self, request, pk):
        round_ = self.round()
        try:
            sent = services.round_remind(by=request.user, round_=round_)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if sent:
                messages.success(
                    request,
                    ngettext("%(count)s reminder sent.", "%(count)s reminders sent.", sent)
                    % {"count": sent},
                )
            else:
                messages.info(
                    request,
                    _(
                        "No reminder sent: everyone has answered, today's reminders have "
                        "gone out already, or the deadlines have passed."
                    ),
                )
        return redirect("clair:reappointment-round", pk=round_.pk)


class RoundConfirmView(ClairReappointmentMixin, TemplateView):
    """Confirm the round in two steps: the first post shows what confirming will do (who
    stays, who leaves, who has not answered) and asks again; only the second, with
    `confirm`, confirms. Before the last answer deadline a CLAIR manager gives a reason;
    anyone else is told to wait."""

    template_name = "clair/reappointment/round_confirm.html"
    http_method_names = ["post", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, round_ = self.request.user, kwargs["round_"]
        context.update(
            round=round_,
            preview=programme_selectors.round_confirm_preview(user=user, round=round_),
            can_confirm_early=access.can(user, "confirm_early", round_),
            form=kwargs.get("form") or RoundConfirmForm(initial={"confirm": True}),
        )
        return context

    def post(self, request, pk):
        round_ = self.round()
        access.require(
            request.user, "change", round_, _("Only CLAIR runs the re-appointment round.")
        )
        if round_.state != ReappointmentRound.State.OPEN:
            messages.error(request, _("This round is already confirmed."))
            return redirect("clair:reappointment-round", pk=round_.pk)
        form = RoundConfirmForm(request.POST)
        if not (form.is_valid() and form.cleaned_data["confirm"]):
            return self.render_to_response(
                self.get_context_data(
                    round_=round_, form=RoundConfirmForm(initial={"confirm": True})
                )
            )
        try:
            outcome = services.round_confirm(
                by=request.user, round_=round_, early_reason=form.cleaned_data["early_reason"]
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.render_to_response(self.get_context_data(round_=round_, form=form))
        else:
            messages.success(
                request,
                _(
                    "The round is confirmed: %(continues)s re-appointed (their next "
                    "contracts are drafted), %(leaves)s leaving the programme."
                )
                % outcome,
            )
        return redirect("clair:reappointment-round", pk=round_.pk)


class RoundExportView(ClairReappointmentMixin, View):
    def post(self, request, pk):
        round_ = self.round()
        try:
            job = jobs.reappointment_export_start(
                by=request.user, round_=round_, file_format=request.POST.get("format", "csv")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("clair:reappointment-round", pk=round_.pk)
        return redirect(job.get_absolute_url())


class CaseView(ClairReappointmentMixin, TemplateView):
    """One case: both answers, its history (who changed what, who reopened it and why),
    and the form that reopens it for a late answer."""

    template_name = "clair/reappointment/case.html"

    def case(self) -> ReappointmentCase:
        round_ = self.round()
        case = programme_selectors.reappointment_case_get(
            user=self.request.user, pk=self.kwargs["case"]
        )
        if case.round_id != round_.pk:
            raise Http404
        return case

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = kwargs.get("case_obj") or self.case()
        now = timezone.now()
        can_reopen = case.round.state == ReappointmentRound.State.OPEN and access.can(
            self.request.user, "reopen", case
        )
        context.update(
            case=case,
            round=case.round,
            row=case_row(case, case.round, now),
            history=history_rows(case),
            can_reopen=can_reopen,
            form=kwargs.get("form") or (ReopenForm() if can_reopen else None),
        )
        return context

    def post(self, request, pk, case):
        case_obj = self.case()
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                services.case_reopen(by=request.user, case=case_obj, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s's case is open for a late answer; the reason is recorded.")
                    % {"name": case_obj.participant.get_full_name()},
                )
                return redirect(
                    reverse("clair:reappointment-case", args=[case_obj.round_id, case_obj.pk])
                )
        return self.render_to_response(self.get_context_data(case_obj=case_obj, form=form))
