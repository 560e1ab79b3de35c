from django.utils import timezone

from apps.core import selectors
from apps.core.models import Kind
from apps.core.views import WorkspaceView


class HqWorkspaceView(WorkspaceView):
    kinds = (Kind.MOFA,)
    template_name = "mofa/hq_workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["missions"] = selectors.organisation_list(
            user=self.request.user, kind=Kind.MISSION
        ).order_by("country__name_en", "name_en")
        return context


class MissionWorkspaceView(WorkspaceView):
    kinds = (Kind.MISSION,)
    template_name = "mofa/mission_workspace.html"


class ApplicantWorkspaceView(WorkspaceView):
    kinds = (Kind.APPLICANT,)
    template_name = "mofa/applicant_workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = context["programme_year"]
        now = timezone.now()
        context["window_open"] = bool(
            year and year.applications_open <= now < year.application_deadline
        )
        context["before_window"] = bool(year and now < year.applications_open)
        from apps.mofa.views_applicant import workspace_context

        context.update(workspace_context(user=self.request.user, programme_year=year))
        return context


def document_download(request, pk):
    """A document only through this permission-checked view, never a public media URL."""
    from django.http import FileResponse

    from apps.recruitment import selectors as programme_selectors

    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    document = programme_selectors.document_get(user=request.user, pk=pk)
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=request.GET.get("inline") != "1",
        filename=document.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response
