"""Pages of the counselling subsidy: the participant claims half of their counselling
costs (up to the fiscal year's cap, shown before they submit) and fixes a returned
claim; their contracting organisation checks and forwards or returns; CLAIR approves or
returns. Every claim and receipt comes through `selectors_subsidy`, so one the user may
not see is a 404; `services_subsidy`, asking the access rule, decides everything else."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from apps.core import access, limits
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.views import AccessRequiredMixin
from apps.support import selectors_subsidy as selectors
from apps.support import services_subsidy as services
from apps.support import subsidy as rules
from apps.support.models import SubsidyClaim


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ClaimForm(forms.Form):
    session_date = forms.DateField(
        label=gettext_lazy("Date of the counselling"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    cost = forms.IntegerField(
        label=gettext_lazy("Cost of the counselling (yen)"),
        min_value=1,
        help_text=gettext_lazy("What you paid, as on the receipts."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    receipts = MultipleFileField(
        label=gettext_lazy("Receipts"),
        required=False,
        help_text=gettext_lazy("One or more PDF, JPEG or PNG files, 5 MB each at most."),
    )

    def __init__(self, *args, receipts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if receipts is not None:
            self.fields["receipts"].label = _("Add receipts")
            self.fields["remove_receipts"] = forms.MultipleChoiceField(
                label=_("Remove receipts"),
                required=False,
                choices=[(str(r.pk), r.name) for r in receipts],
                widget=forms.CheckboxSelectMultiple,
            )


class ReturnForm(forms.Form):
    """The reason sent with a return; its textarea is written out in the claim's page."""

    reason = forms.CharField(required=False, max_length=limits.NOTE)


# --- lists ---------------------------------------------------------------------------------


class ClaimListView(AccessRequiredMixin, ListView):
    permission = ("view", SubsidyClaim)
    template_name = "subsidy/claim_list.html"
    context_object_name = "claims"
    paginate_by = 50

    def get_queryset(self):
        return selectors.claim_list(user=self.request.user, state=self.request.GET.get("state"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["states"] = SubsidyClaim.State.choices
        context["selected_state"] = self.request.GET.get("state", "")
        context["counts"] = selectors.claim_counts(user=user)
        context["can_claim"] = access.allowed(user, "add", SubsidyClaim)
        if context["can_claim"]:
            context["allowance"] = rules.allowance(user)
        return context


# --- the participant's claim ---------------------------------------------------------------


class ClaimCreateView(AccessRequiredMixin, FormView):
    permission = ("add", SubsidyClaim)
    template_name = "subsidy/claim_form.html"
    form_class = ClaimForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["allowance"] = rules.allowance(self.request.user)
        context["organisation"] = rules.participant_organisation(self.request.user)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            claim = services.subsidy_claim_submit(
                by=self.request.user,
                session_date=data["session_date"],
                cost=data["cost"],
                note=data["note"],
                receipts=data["receipts"],
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your claim for ¥%(amount)s is sent to your organisation.")
            % {"amount": f"{claim.amount:,}"},
        )
        return redirect("subsidy:claim-detail", pk=claim.pk)


class ClaimFixView(AccessRequiredMixin, FormView):
    """The participant corrects a returned claim and submits it again."""

    permission = ("resubmit", SubsidyClaim)
    template_name = "subsidy/claim_form.html"
    form_class = ClaimForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # A claim the user may not see is a 404 before any refusal.
            self.claim = selectors.claim_get(user=request.user, pk=kwargs["pk"])
            access.require(request.user, "resubmit", self.claim)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        if self.claim.state != SubsidyClaim.State.RETURNED:
            raise PermissionDenied
        return super().get_form_kwargs() | {"receipts": list(self.claim.receipts.all())}

    def get_initial(self):
        claim = self.claim
        return {"session_date": claim.session_date, "cost": claim.cost, "note": claim.note}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["claim"] = self.claim
        context["allowance"] = rules.allowance(self.request.user, self.claim.fiscal_year)
        context["organisation"] = self.claim.organisation
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            claim = services.subsidy_claim_resubmit(
                by=self.request.user,
                claim=self.claim,
                session_date=data["session_date"],
                cost=data["cost"],
                note=data["note"],
                receipts=data["receipts"],
                remove_receipts=data.get("remove_receipts") or [],
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your corrected claim for ¥%(amount)s is sent to your organisation again.")
            % {"amount": f"{claim.amount:,}"},
        )
        return redirect("subsidy:claim-detail", pk=claim.pk)


# --- one claim -----------------------------------------------------------------------------


def _actions(user, claim) -> list[str]:
    """What the user may do with the claim now: the step its state waits for, if the
    access rule gives the user that step."""
    state = SubsidyClaim.State
    if claim.state == state.SUBMITTED and access.can(user, "check", claim):
        return ["forward", "return"]
    if claim.state == state.FORWARDED and access.can(user, "decide", claim):
        return ["approve", "return"]
    if claim.state == state.RETURNED and access.can(user, "resubmit", claim):
        return ["fix"]
    return []


class ClaimDetailView(LoginRequiredMixin, TemplateView):
    template_name = "subsidy/claim_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        claim = selectors.claim_get(user=user, pk=kwargs["pk"])
        context["claim"] = claim
        context["receipts"] = list(claim.receipts.all())
        context["actions"] = _actions(user, claim)
        context["allowance"] = rules.allowance(claim.participant, claim.fiscal_year)
        context["return_form"] = ReturnForm()
        return context


class ClaimDecideView(LoginRequiredMixin, View):
    """The organisation forwards or returns; CLAIR approves or returns."""

    def post(self, request, pk):
        user = request.user
        claim = selectors.claim_get(user=user, pk=pk)
        action = request.POST.get("action")
        if action not in _actions(user, claim) or action == "fix":
            raise PermissionDenied
        form = ReturnForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["reason"][0])
            return redirect("subsidy:claim-detail", pk=claim.pk)
        reason = form.cleaned_data["reason"]
        try:
            if action == "forward":
                services.subsidy_claim_forward(by=user, claim=claim)
                done = _("The claim is forwarded to CLAIR.")
            elif action == "approve":
                services.subsidy_claim_approve(by=user, claim=claim)
                done = _("The claim is approved.")
            else:
                services.subsidy_claim_return(by=user, claim=claim, reason=reason)
                done = _("The claim is returned to the participant.")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect("subsidy:claim-detail", pk=claim.pk)


def receipt_download(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    receipt = selectors.receipt_get(user=request.user, pk=pk)
    if not receipt.file:
        raise Http404
    return FileResponse(
        receipt.file.open("rb"),
        as_attachment=True,
        filename=receipt.name,
        content_type=receipt.content_type,
    )
