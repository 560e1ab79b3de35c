"""A contracting organisation's part of the re-appointment round: offer each of its
participants another year or not, one at a time or several at once, before the
organisation's deadline; after CLAIR confirms, the next year's draft contracts."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from apps.contracting.views_placement import ContractingOnlyMixin
from apps.core import access, limits
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.reappointment import rules, services
from apps.reappointment import selectors as programme_selectors
from apps.reappointment.models import ReappointmentCase, ReappointmentRound


class ReappointmentAnswerForm(forms.Form):
    """The organisation's answer for one participant or for several; the service checks
    the rules (a reason when not offering, grounds for a fourth or fifth year)."""

    answer = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        choices=[
            ("OFFER", gettext_lazy("Offer re-appointment")),
            ("NO_OFFER", gettext_lazy("Do not offer re-appointment")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for not offering re-appointment"),
        help_text=gettext_lazy(
            "Required when you do not offer re-appointment; the participant sees it."
        ),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    grounds = forms.CharField(
        label=gettext_lazy("Grounds for a fourth or fifth year"),
        help_text=gettext_lazy(
            "Required when the next year would be the participant's fourth or fifth: why "
            "their work justifies it."
        ),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def answer_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "offer": data["answer"] == "OFFER",
            "reason": data["reason"],
            "grounds": data["grounds"],
        }


def _case_form(case: ReappointmentCase, data=None) -> ReappointmentAnswerForm:
    initial = {
        "answer": case.organisation_answer or None,
        "reason": case.organisation_reason,
        "grounds": case.grounds,
    }
    return ReappointmentAnswerForm(data, prefix=f"case-{case.pk}", initial=initial)


def _bulk_form(round_: ReappointmentRound, data=None) -> ReappointmentAnswerForm:
    return ReappointmentAnswerForm(data, prefix=f"bulk-{round_.pk}")


class ReappointmentListView(ContractingOnlyMixin, TemplateView):
    """The organisation's participants in the open round (or, once CLAIR has confirmed
    it, the last round with its outcomes and the next year's draft contracts)."""

    template_name = "contracting/reappointment.html"

    def get_context_data(self, *, case_form=None, bulk_form=None, ticked=(), **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        all_rounds = programme_selectors.reappointment_round_list(user=user)
        rounds = list(all_rounds.filter(state=ReappointmentRound.State.OPEN)) or list(
            all_rounds[:1]
        )
        now = timezone.now()
        sections = []
        for round_ in rounds:
            cases = programme_selectors.reappointment_case_list(user=user, round=round_)
            answerable = set(
                access.restrict(cases, user, "organisation_answer").values_list("pk", flat=True)
            )
            rows = []
            for case in cases:
                can_answer = (
                    case.pk in answerable
                    and case.may_continue
                    and rules.answer_open(case, round_.organisation_deadline, now)
                )
                form = None
                if can_answer:
                    bound = case_form is not None and case_form.prefix == f"case-{case.pk}"
                    form = case_form if bound else _case_form(case)
                rows.append(
                    {
                        "case": case,
                        "can_answer": can_answer,
                        "needs_grounds": case.may_continue
                        and rules.needs_grounds(case.years_so_far),
                        "form": form,
                        "ticked": case.pk in ticked,
                    }
                )
            bound_bulk = bulk_form is not None and bulk_form.prefix == f"bulk-{round_.pk}"
            sections.append(
                {
                    "round": round_,
                    "rows": rows,
                    "is_open": round_.state == ReappointmentRound.State.OPEN,
                    "deadline_passed": now > round_.organisation_deadline,
                    "answerable": sum(row["can_answer"] for row in rows),
                    "any_needs_grounds": any(
                        row["needs_grounds"] for row in rows if row["can_answer"]
                    ),
                    "bulk_form": bulk_form if bound_bulk else _bulk_form(round_),
                }
            )
        context["sections"] = sections
        return context


def _refused(request, form: ReappointmentAnswerForm, exc: DomainError) -> None:
    """A refusal about a field goes under that field; any other (the deadline has
    passed, for one) above the page, where it shows even once the form is gone."""
    if exc.field in form.fields:
        form_error(form, exc)
    else:
        messages.error(request, exc.message)


def _list_url(anchor: str = "") -> str:
    url = reverse("contracting:reappointment")
    return f"{url}#{anchor}" if anchor else url


class ReappointmentAnswerView(ReappointmentListView):
    """One participant's answer; on a refusal the list comes back with the form as typed."""

    http_method_names = ["post"]

    def post(self, request, pk):
        case = programme_selectors.reappointment_case_get(
            user=request.user, pk=pk, perm="organisation_answer"
        )
        form = _case_form(case, request.POST)
        if form.is_valid():
            try:
                services.organisation_answer(by=request.user, case=case, **form.answer_kwargs())
            except DomainError as exc:
                _refused(request, form, exc)
            else:
                messages.success(
                    request,
                    _("Your answer for %(name)s is recorded; they have been told.")
                    % {"name": case.participant.get_full_name()},
                )
                return redirect(_list_url(f"case-{case.pk}"))
        return self.render_to_response(self.get_context_data(case_form=form))


class ReappointmentBulkAnswerView(ReappointmentListView):
    """The same answer for every ticked participant of a round: all are recorded or none."""

    http_method_names = ["post"]

    def post(self, request, pk):
        round_ = programme_selectors.reappointment_round_get(user=request.user, pk=pk)
        try:
            ids = {int(value) for value in request.POST.getlist("case")}
        except ValueError:
            raise Http404 from None
        cases = list(
            programme_selectors.reappointment_case_list(user=request.user, round=round_).filter(
                pk__in=ids
            )
        )
        if len(cases) != len(ids):
            raise Http404
        form = _bulk_form(round_, request.POST)
        if form.is_valid():
            try:
                services.organisation_answer_bulk(
                    by=request.user, cases=cases, **form.answer_kwargs()
                )
            except DomainError as exc:
                _refused(request, form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Your answer for %(count)d participant is recorded; they have been told.",
                        "Your answer for %(count)d participants is recorded; they have been told.",
                        len(cases),
                    )
                    % {"count": len(cases)},
                )
                return redirect(_list_url(f"round-{round_.pk}"))
        context = self.get_context_data(bulk_form=form, ticked=ids)
        return self.render_to_response(context)
