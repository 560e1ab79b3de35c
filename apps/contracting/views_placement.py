"""A contracting organisation's placements and contracts (its own pages): every read is
the placement domain's selector (another organisation's placement or contract is 404)
and every write its service (a refusal by the access rule is 403)."""

import hashlib

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.contracting.forms import ContractIssueConfirmForm, ContractTermsForm, DeclineForm
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind
from apps.core.views import KindRequiredMixin
from apps.placement import selectors as programme_selectors
from apps.placement import services
from apps.placement.models import Placement


class ContractingOnlyMixin(KindRequiredMixin):
    kinds = (Kind.CONTRACTING,)


class PlacementListView(ContractingOnlyMixin, TemplateView):
    """The candidates CLAIR placed with the organisation: accept or decline each, then
    their contracts. Only a limited profile (no scores, no health report)."""

    template_name = "contracting/placements.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        placements = list(programme_selectors.placement_list(user=self.request.user)[:200])
        contracts = {}
        for contract in programme_selectors.contract_list(user=self.request.user).filter(
            placement__in=placements
        ):
            contracts.setdefault(contract.placement_id, []).append(contract)
        context.update(
            placements=[(p, contracts.get(p.pk, [])) for p in placements],
            waiting=sum(p.status == Placement.Status.CONFIRMED for p in placements),
            decline_form=kwargs.get("decline_form") or DeclineForm(),
            declining=kwargs.get("declining"),
        )
        return context


class PlacementAnswerView(ContractingOnlyMixin, TemplateView):
    template_name = "contracting/placements.html"
    # Answers are posted from the placements page; a GET here would render that page
    # empty, for any placement id.
    http_method_names = ["post", "options"]

    def post(self, request, pk):
        placement = programme_selectors.placement_get(user=request.user, pk=pk)
        if request.POST.get("action") == "accept":
            try:
                services.placement_accept(by=request.user, placement=placement)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("You accepted %(number)s. The candidate and their mission have been told.")
                    % {"number": placement.application.number},
                )
            return redirect("contracting:placements")
        form = DeclineForm(request.POST)
        if form.is_valid():
            try:
                services.placement_decline(
                    by=request.user, placement=placement, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request, _("You declined the placement; CLAIR has been told the reason.")
                )
                return redirect("contracting:placements")
        view = PlacementListView()
        view.setup(request)
        context = view.get_context_data(decline_form=form, declining=placement.pk)
        return self.render_to_response(context)


def _terms(contract) -> dict:
    """The organisation's part of the draft, as its form shows it."""
    return {name: getattr(contract, name) for name in ContractTermsForm.base_fields}


def terms_stamp(contract) -> str:
    """A short name for the exact terms of this version as they stand: what the person
    confirmed is what is issued."""
    text = repr((contract.pk, contract.version, contract.status, sorted(_terms(contract).items())))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class ContractView(ContractingOnlyMixin, TemplateView):
    """One contract version: complete the draft, issue it, countersign it, or start a
    new version; every earlier version is listed.

    Issuing takes two steps. "Issue the contract…" is a button of the draft's own form:
    what the person changed there is saved first (or, if it is not valid, shown with its
    errors and nothing is issued), never dropped; then the page shows the terms as they
    will be sent and asks again. Only that second post, with `confirm` and the stamp of
    the terms shown, issues."""

    template_name = "contracting/contract.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = kwargs.get("contract") or programme_selectors.contract_get(
            user=self.request.user, pk=self.kwargs["pk"]
        )
        context.update(
            contract=contract,
            placement=contract.placement,
            versions=programme_selectors.contract_list(
                user=self.request.user, placement=contract.placement
            ),
            form=kwargs.get("form") or ContractTermsForm(initial=_terms(contract)),
            confirming=kwargs.get("confirming", False),
            saved_before_issue=kwargs.get("saved_before_issue", False),
            stale=kwargs.get("stale", False),
            issue_form=ContractIssueConfirmForm(
                initial={"confirm": True, "stamp": terms_stamp(contract)}
            ),
        )
        return context

    def _issue(self, request, contract):
        form = ContractTermsForm(request.POST, initial=_terms(contract))
        saved = False
        if any(name in request.POST for name in form.fields):
            # Posted from the draft's form: keep what the person typed.
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            if form.has_changed():
                try:
                    services.contract_update(
                        by=request.user, contract=contract, **form.cleaned_data
                    )
                except DomainError as exc:
                    form_error(form, exc)
                    return self.render_to_response(self.get_context_data(form=form))
                # Read back as stored, so the terms shown (and their stamp) are the saved ones.
                contract = programme_selectors.contract_get(user=request.user, pk=contract.pk)
                saved = True
        confirm = ContractIssueConfirmForm(request.POST)
        confirmed = confirm.is_valid() and confirm.cleaned_data["confirm"]
        stale = confirmed and confirm.cleaned_data["stamp"] != terms_stamp(contract)
        if not confirmed or saved or stale:
            return self.render_to_response(
                self.get_context_data(
                    contract=contract, confirming=True, saved_before_issue=saved, stale=stale
                )
            )
        services.contract_issue(by=request.user, contract=contract)
        messages.success(request, _("The contract is issued; the participant can sign it."))
        return redirect("contracting:contract", pk=contract.pk)

    def post(self, request, pk):
        contract = programme_selectors.contract_get(user=request.user, pk=pk)
        action = request.POST.get("action")
        try:
            if action == "save":
                form = ContractTermsForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                try:
                    services.contract_update(
                        by=request.user, contract=contract, **form.cleaned_data
                    )
                except DomainError as exc:
                    form_error(form, exc)
                    return self.render_to_response(self.get_context_data(form=form))
                messages.success(request, _("The draft is saved."))
            elif action == "issue":
                return self._issue(request, contract)
            elif action == "countersign":
                services.contract_countersign(by=request.user, contract=contract)
                messages.success(request, _("You countersigned the contract; it is in force."))
            elif action == "new_version":
                new = services.contract_new_version(by=request.user, contract=contract)
                messages.success(
                    request,
                    _("Version %(version)s is a new draft; both sides sign it again.")
                    % {"version": new.version},
                )
                return redirect("contracting:contract", pk=new.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("contracting:contract", pk=contract.pk)
