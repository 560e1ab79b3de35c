from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from apps.clair import services as clair_services
from apps.clair.forms import AlternateRequestForm
from apps.clair.todo import clair_todo
from apps.core import selectors
from apps.core.errors import DomainError
from apps.core.forms import form_error
from apps.core.models import Kind
from apps.core.views import KindRequiredMixin, WorkspaceView
from apps.recruitment import selectors as programme_selectors


class ClairWorkspaceView(WorkspaceView):
    kinds = (Kind.CLAIR,)
    template_name = "clair/workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["counts"] = selectors.organisation_counts_by_kind(user=user)
        context["by_prefecture"] = selectors.contracting_counts_by_prefecture(user=user)
        # CLAIR sees exactly the candidates missions have forwarded to it.
        context["forwarded_count"] = programme_selectors.application_list(
            user=user, programme_year=context["programme_year"]
        ).count()
        context["todo"] = clair_todo(user=user)
        return context


class AlternateRequestView(KindRequiredMixin, FormView):
    """CLAIR asks a mission for an alternate, and follows its earlier requests."""

    kinds = (Kind.CLAIR,)
    template_name = "clair/alternate_requests.html"
    form_class = AlternateRequestForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requests"] = programme_selectors.alternate_request_list(user=self.request.user)
        return context

    def form_valid(self, form):
        try:
            clair_services.alternate_request_create(by=self.request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The mission has been asked for an alternate."))
        return redirect("clair:alternate-requests")
