from apps.core.models import Kind
from apps.core.views import WorkspaceView


class ParticipantWorkspaceView(WorkspaceView):
    kinds = (Kind.PARTICIPANT,)
    template_name = "participants/workspace.html"
