from apps.core.models import Kind
from apps.core.views import WorkspaceView


class MextWorkspaceView(WorkspaceView):
    kinds = (Kind.MEXT,)
    template_name = "mext/workspace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # MEXT reads and publishes; no step of the programme waits on it.
        context["todo"] = []
        return context
