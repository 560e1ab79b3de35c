from django.utils import timezone

from apps.core import selectors
from apps.core.models import Kind
from apps.core.views import WorkspaceView
from apps.mofa.todo import applicant_todo, hq_todo, mission_todo


class HqWorkspaceView(WorkspaceView):
    kinds = (Kind.MOFA,)
    template_name = "mofa/hq_workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["missions"] = selectors.organisation_list(
            user=self.request.user, kind=Kind.MISSION
        ).order_by("country__name_en", "name_en")
        context["todo"] = hq_todo(user=self.request.user)
        return context


class MissionWorkspaceView(WorkspaceView):
    kinds = (Kind.MISSION,)
    template_name = "mofa/mission_workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["todo"] = mission_todo(
            user=self.request.user, programme_year=context["programme_year"]
        )
        return context


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
        context["todo"] = applicant_todo(
            user=self.request.user, programme_year=year, window_open=context["window_open"]
        )
        return context
