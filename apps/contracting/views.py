from apps.core.models import Kind
from apps.core.views import WorkspaceView


class ContractingWorkspaceView(WorkspaceView):
    kinds = (Kind.CONTRACTING,)
    template_name = "contracting/workspace.html"
