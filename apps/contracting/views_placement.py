"""A contracting organisation's placements and contracts (its own pages): every read is
the placement domain's selector (another organisation's placement or contract is 404)
and every write its service (a refusal by the access rule is 403)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.contracting.forms import ContractTermsForm, DeclineForm
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


class ContractView(ContractingOnlyMixin, TemplateView):
    """One contract version: complete the draft, issue it, countersign it, or start a
    new version; every earlier version is listed."""

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
            form=kwargs.get("form")
            or ContractTermsForm(
                initial={
                    "hours_per_week": contract.hours_per_week,
                    "paid_leave_days": contract.paid_leave_days,
                    "conditions_en": contract.conditions_en,
                    "conditions_ja": contract.conditions_ja,
                }
            ),
        )
        return context

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
                services.contract_issue(by=request.user, contract=contract)
                messages.success(request, _("The contract is issued; the participant can sign it."))
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
