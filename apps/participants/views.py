import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.core import access, limits
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind
from apps.core.views import KindRequiredMixin, WorkspaceView
from apps.participants.forms import SignForm, WithdrawForm
from apps.participants.todo import participant_todo
from apps.placement import selectors as placement_selectors
from apps.placement import services as placement_services
from apps.reappointment import rules as reappointment_rules
from apps.reappointment import selectors as reappointment_selectors
from apps.reappointment import services as reappointment_services
from apps.safety import selectors as safety_selectors

PERSON_KINDS = (Kind.APPLICANT, Kind.PARTICIPANT)


def _current_contract(contracts):
    """The version that matters now: in force and covering today, else the newest."""
    from django.utils import timezone

    today = timezone.localdate()
    in_force = [
        c for c in contracts if c.status == "IN_FORCE" and c.start_date <= today <= c.end_date
    ]
    return in_force[0] if in_force else (contracts[0] if contracts else None)


class ParticipantWorkspaceView(WorkspaceView):
    kinds = (Kind.PARTICIPANT,)
    template_name = "participants/workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The home page shows a few fields of each: read with only the joins they need
        # (the selectors' full joins took 17 ms of planning for 1 ms of rows).
        placement = placement_selectors.placement_own(
            user=self.request.user, related=("position__organisation", "position__prefecture")
        )
        contracts = []
        if placement:
            contracts = list(
                placement_selectors.contract_list(
                    user=self.request.user, placement=placement
                ).select_related(None)
            )
            for contract in contracts:
                contract.placement = placement
        context.update(
            placement=placement,
            contract=_current_contract(contracts),
            reappointment=_own_reappointment(self.request.user, related=("round",)),
            todo=participant_todo(user=self.request.user),
            safety_waiting=safety_selectors.own_waiting(user=self.request.user),
        )
        return context


class PlacementView(KindRequiredMixin, TemplateView):
    """The person's placement in their language: accept it or withdraw, then the
    contract and every version of it."""

    kinds = PERSON_KINDS
    template_name = "participants/placement.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placement = placement_selectors.placement_own(user=self.request.user)
        contracts = (
            list(placement_selectors.contract_list(user=self.request.user, placement=placement))
            if placement
            else []
        )
        context.update(
            placement=placement,
            contracts=contracts,
            contract=_current_contract(contracts),
            withdraw_form=kwargs.get("withdraw_form") or WithdrawForm(),
        )
        return context

    def post(self, request):
        placement = placement_selectors.placement_own(user=request.user)
        if placement is None:
            return redirect("participants:placement")
        if request.POST.get("action") == "accept":
            try:
                placement_services.placement_candidate_accept(by=request.user, placement=placement)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "You accepted the placement. Your contracting organisation will "
                        "issue your contract here."
                    ),
                )
            return redirect("participants:placement")
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                placement_services.placement_withdraw(
                    by=request.user, placement=placement, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("You have withdrawn. Your mission has been told."))
                return redirect("home")
        return self.render_to_response(self.get_context_data(withdraw_form=form))


class ContractView(KindRequiredMixin, TemplateView):
    kinds = PERSON_KINDS
    template_name = "participants/contract.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = placement_selectors.contract_get(user=self.request.user, pk=self.kwargs["pk"])
        context.update(
            contract=contract,
            versions=placement_selectors.contract_list(
                user=self.request.user, placement=contract.placement
            ),
            form=kwargs.get("form") or SignForm(),
        )
        return context

    def post(self, request, pk):
        contract = placement_selectors.contract_get(user=request.user, pk=pk)
        form = SignForm(request.POST)
        if form.is_valid():
            try:
                placement_services.contract_sign(
                    by=request.user,
                    contract=contract,
                    typed_name=form.cleaned_data["typed_name"],
                    agree=form.cleaned_data["agree"],
                    address=request.META.get("REMOTE_ADDR"),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request, _("You signed the contract. Your organisation will countersign it.")
                )
                return redirect("participants:contract", pk=pk)
        return self.render_to_response(self.get_context_data(form=form))


# --- the re-appointment question ------------------------------------------------------


class ReappointmentAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        choices=[
            ("CONTINUE", gettext_lazy("I wish to continue for another year")),
            ("LEAVE", gettext_lazy("I will leave the programme when my contract ends")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        help_text=gettext_lazy("Your contracting organisation and CLAIR see it."),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _own_reappointment(user, related: tuple[str, ...] | None = None):
    """The person's case in the newest re-appointment round they are in, if any."""
    cases = reappointment_selectors.reappointment_case_list(user=user).filter(participant=user)
    if related is not None:
        cases = cases.select_related(None).select_related(*related)
    return cases.order_by("-round__programme_year__year").first()


class ReappointmentView(KindRequiredMixin, TemplateView):
    """The re-appointment question in the person's language: the deadline, the
    organisation's answer once given, their own answer (changeable until the deadline)
    and, once CLAIR confirms, the outcome and the next year's draft contract."""

    kinds = (Kind.PARTICIPANT,)
    template_name = "participants/reappointment.html"

    def get_context_data(self, *, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        case = _own_reappointment(user)
        can_answer = (
            case is not None
            and case.may_continue
            and reappointment_rules.answer_open(case, case.round.participant_deadline)
            and access.can(user, "participant_answer", case)
        )
        if can_answer and form is None:
            form = ReappointmentAnswerForm(
                initial={
                    "answer": case.participant_answer or None,
                    "reason": case.participant_reason,
                }
            )
        context.update(
            case=case,
            can_answer=can_answer,
            form=form,
            next_year=case and case.contract_year + 1,
            next_start=case and case.contract.end_date + datetime.timedelta(days=1),
        )
        return context


class ReappointmentAnswerView(ReappointmentView):
    http_method_names = ["post"]

    def post(self, request, pk):
        case = reappointment_selectors.reappointment_case_get(
            user=request.user, pk=pk, perm="participant_answer"
        )
        form = ReappointmentAnswerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            case = reappointment_services.participant_answer(
                by=request.user,
                case=case,
                wishes_to_continue=form.cleaned_data["answer"] == "CONTINUE",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Your answer is recorded: %(answer)s. You can change it until the deadline.")
                % {"answer": case.get_participant_answer_display()},
            )
        return redirect("participants:reappointment")
