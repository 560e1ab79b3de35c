from apps.core import selectors
from apps.core.models import Kind
from apps.core.views import WorkspaceView


class MicWorkspaceView(WorkspaceView):
    kinds = (Kind.MIC,)
    template_name = "mic/workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["by_prefecture"] = selectors.contracting_counts_by_prefecture(user=user)
        context["contracting_total"] = sum(row["n"] for row in context["by_prefecture"])
        return context
