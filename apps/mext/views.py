from apps.core.models import Kind
from apps.core.views import WorkspaceView


class MextWorkspaceView(WorkspaceView):
    kinds = (Kind.MEXT,)
    template_name = "mext/workspace.html"
