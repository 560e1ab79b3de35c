"""The organisation's workspace and its position requests (its own pages); the writes
are the placement domain's services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView

from apps.contracting.forms import PositionForm, PositionRequestForm
from apps.contracting.todo import contracting_todo
from apps.core import selectors
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind
from apps.core.views import KindRequiredMixin, WorkspaceView
from apps.placement import selectors as programme_selectors
from apps.placement import services
from apps.placement.models import PositionRequest
from apps.placement.services import POSITION_FIELDS


class ContractingWorkspaceView(WorkspaceView):
    kinds = (Kind.CONTRACTING,)
    template_name = "contracting/workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["todo"] = contracting_todo(
            user=self.request.user, programme_year=context["programme_year"]
        )
        return context


class PositionListView(KindRequiredMixin, FormView):
    """The organisation's own requests for the current year, and a form for more."""

    kinds = (Kind.CONTRACTING,)
    template_name = "contracting/positions.html"
    form_class = PositionRequestForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = selectors.programme_year_current()
        context["programme_year"] = year
        context["positions"] = (
            programme_selectors.position_list(user=self.request.user, programme_year=year)
            if year
            else []
        )
        return context

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        seats = data.pop("seats")
        try:
            created = services.position_request_create(by=self.request.user, seats=seats, **data)
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)s position requested.", "%(count)s positions requested.", len(created)
            )
            % {"count": len(created)},
        )
        return redirect("contracting:positions")


class PositionEditView(KindRequiredMixin, FormView):
    """Change a requested or returned position; it goes back to MIC for review."""

    kinds = (Kind.CONTRACTING,)
    template_name = "contracting/position_form.html"
    form_class = PositionForm

    def get(self, request, *args, **kwargs):
        self.position = self.get_position()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.position = self.get_position()
        return super().post(request, *args, **kwargs)

    def get_position(self) -> PositionRequest:
        """One of the organisation's own requests (another's, or none: 404); fetched
        once the mixin has let the user in."""
        try:
            return programme_selectors.position_list(user=self.request.user).get(
                pk=self.kwargs["pk"]
            )
        except PositionRequest.DoesNotExist:
            raise Http404 from None

    def get_initial(self):
        return {name: getattr(self.position, name) for name in POSITION_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["position"] = self.position
        return context

    def form_valid(self, form):
        try:
            services.position_request_update(
                by=self.request.user, position=self.position, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The position was changed and sent to MIC again."))
        return redirect("contracting:positions")
