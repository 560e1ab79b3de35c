from apps.core import selectors
from apps.core.models import Kind
from apps.core.views import WorkspaceView
from apps.programme import selectors as programme_selectors


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
        return context
