"""The person's inbox in the API (`/api/v1/notifications/`): their own notifications, read
and marked read through the notifications app's selectors and services; it lives here, with
the API's restricted base, so that the outbox below it imports nothing of core."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import fields as api_fields
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.notifications import selectors, services
from apps.notifications.kinds import subject_for
from apps.notifications.links import notice_link
from apps.notifications.notice_texts import custom_wording, notice_templates_attach


class NotificationOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    kind = api_fields.CharField()
    title = serializers.SerializerMethodField()
    created_at = api_fields.DateTimeField()
    read_at = api_fields.DateTimeField(allow_null=True)
    state = api_fields.CharField()
    link = serializers.SerializerMethodField(help_text="Absolute URL of the page it is about")
    link_label = serializers.SerializerMethodField(help_text="The link's words, translated")

    def get_title(self, obj) -> str:
        # The mission's own wording where it has one, as the inbox page shows it.
        custom = custom_wording(obj)
        return custom.subject if custom is not None else str(subject_for(obj.kind))

    def _link(self, obj):
        # The reader is the recipient: no query for them per row.
        request = self.context.get("request")
        return notice_link(obj, user=getattr(request, "user", None))

    def get_link(self, obj) -> str | None:
        link = self._link(obj)
        return link.url if link else None

    def get_link_label(self, obj) -> str | None:
        link = self._link(obj)
        return link.label if link else None


class NotificationViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in person's inbox."""

    serializer_class = NotificationOutputSerializer
    # The inbox selector already holds only the person's own rows; reading one of them
    # is all that marking it read needs.
    action_perms = {"read": "view"}

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            notice_templates_attach(page)  # the page's mission wordings in one query
        return page

    @extend_schema(request=None, responses={200: NotificationOutputSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.notification_mark_read(user=request.user, notification=notification)
        return Response(self.get_serializer(notification).data)
