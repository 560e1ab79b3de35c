"""Correspondence threads in the API (issue 7): `/api/v1/threads/`.

Who sees what is `selectors_correspondence`, the same as the pages: the staff of a
thread's member organisations; for anyone else a thread, its messages and its files
answer 404. Every write is `services_correspondence`, which asks the access rule.

- GET  /threads/                      the organisation's threads with unread counts
                                      (`?unread=1`, `?q=` on the subject)
- POST /threads/                      start a thread (CLAIR and the ministries)
- GET  /threads/{id}/                 one thread with its messages
- GET  /threads/{id}/messages/        its messages; POST a new one (JSON or multipart,
                                      with an optional `attachment`)
- POST /threads/{id}/read/            mark it read for the caller's organisation only
- GET  /threads/{id}/messages/{message_id}/attachment/   a message's file
"""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from apps.core.api import fields as api_fields
from apps.core.api.common import (
    DOCUMENT_TYPES,
    CallerLocaleMixin,
    FileNegotiation,
    file_responses,
    ids_field,
)
from apps.core.api.filters import (
    FilteredListMixin,
    ListFilters,
    TextFilter,
    YesNoFilter,
    list_filters,
)
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.outreach import selectors_correspondence as selectors
from apps.outreach import services_correspondence as services
from apps.outreach.models import Thread
from apps.outreach.services_correspondence import BODY_MAX, SUBJECT_MAX
from apps.outreach.views_correspondence import attachment_response


class ThreadOrganisationSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    kind = api_fields.CharField()
    name = api_fields.CharField()
    name_en = api_fields.CharField()
    name_ja = api_fields.CharField()


class ThreadMessageOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    organisation = ThreadOrganisationSerializer()
    author = serializers.SerializerMethodField()
    body = api_fields.CharField()
    attachment_name = api_fields.CharField()
    attachment_url = serializers.SerializerMethodField()
    created_at = api_fields.DateTimeField()

    def get_author(self, message) -> str:
        return message.author.get_full_name() or message.author.username

    def get_attachment_url(self, message) -> str | None:
        if not message.attachment:
            return None
        return reverse(
            "api:thread-message-attachment",
            kwargs={"pk": message.thread_id, "message_pk": message.pk},
            request=self.context.get("request"),
        )


class ThreadOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    subject = api_fields.CharField()
    members = serializers.SerializerMethodField()
    created_at = api_fields.DateTimeField()
    updated_at = api_fields.DateTimeField()
    message_count = serializers.IntegerField()
    unread_count = serializers.IntegerField(
        help_text="Messages from the other members that the caller's organisation has not read"
    )
    last_read_at = api_fields.DateTimeField(
        allow_null=True, help_text="When the caller's organisation last read the thread"
    )
    last_message_at = api_fields.DateTimeField(allow_null=True)

    def get_members(self, thread) -> list[dict]:
        return ThreadOrganisationSerializer(
            [m.organisation for m in thread.memberships.all()], many=True
        ).data


class ThreadDetailSerializer(ThreadOutputSerializer):
    messages = serializers.SerializerMethodField()

    @extend_schema_field(ThreadMessageOutputSerializer(many=True))
    def get_messages(self, thread) -> list[dict]:
        return ThreadMessageOutputSerializer(
            selectors.thread_messages(thread=thread), many=True, context=self.context
        ).data


class ThreadMessageInputSerializer(api_fields.Serializer):
    body = api_fields.CharField(max_length=BODY_MAX)
    attachment = serializers.FileField(required=False, allow_null=True)


class ThreadInputSerializer(ThreadMessageInputSerializer):
    subject = api_fields.CharField(max_length=SUBJECT_MAX)
    members = ids_field(
        allow_empty=False,
        help_text="Ids of the other member organisations (your own is always a member)",
    )


class ThreadFilters(ListFilters):
    unread = YesNoFilter(help_text="Only threads with unread messages")
    q = TextFilter(help_text="Words in the subject")

    class Meta(ListFilters.Meta):
        model = Thread


class ThreadViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Correspondence threads of the caller's organisation: CLAIR, the ministries and,
    where they take part, missions and contracting organisations. CLAIR and the
    ministries start threads; members write in them; each organisation has its own read
    state."""

    serializer_class = ThreadOutputSerializer
    pagination_class = CountedPagination
    filterset_class = ThreadFilters
    lookup_value_regex = r"[0-9]+"
    access_model = Thread
    model_action_perms = {"create": "add"}
    # Reading and writing in a thread are for its members, whom the selector already
    # lets see it; the service asks again before it writes.
    action_perms = {"messages": "view", "read": "view"}
    action_messages = {
        "create": gettext_lazy("CLAIR and the ministries start correspondence threads.")
    }

    def get_queryset(self):
        # A thread's own address ignores the list's filters.
        params = list_filters(self) if self.action == "list" else {}
        return selectors.thread_list(
            user=self.request.user,
            unread_only=params.get("unread", False),
            q=params.get("q", ""),
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ThreadDetailSerializer
        return ThreadOutputSerializer

    def _fresh(self, pk, code=status.HTTP_200_OK) -> Response:
        thread = selectors.thread_get(user=self.request.user, pk=pk)
        data = ThreadDetailSerializer(thread, context=self.get_serializer_context()).data
        return Response(data, status=code)

    @extend_schema(request=ThreadInputSerializer, responses={201: ThreadDetailSerializer})
    def create(self, request):
        data = ThreadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The caller's own organisation is always a member, named or not.
        ids = set(data.validated_data["members"]) - {request.user.organisation.pk}
        members = list(selectors.member_choices(user=request.user).filter(pk__in=ids))
        if len(members) != len(ids):
            raise serializers.ValidationError(
                {"members": [_("Choose organisations that take part in correspondence.")]}
            )
        thread = services.thread_start(
            by=request.user,
            subject=data.validated_data["subject"],
            members=members,
            body=data.validated_data["body"],
            attachment=data.validated_data.get("attachment"),
        )
        return self._fresh(thread.pk, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"], request=None, responses={200: ThreadMessageOutputSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=ThreadMessageInputSerializer,
        responses={201: ThreadMessageOutputSerializer},
    )
    # The thread list's filters are not this answer's: none in its schema (a fuzzer sent
    # a `q` longer than the list allows and was, rightly, not refused).
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def messages(self, request, pk=None):
        """The thread's messages, oldest first; POST writes a new one as the caller's
        organisation, a notice to the other members' staff."""
        thread = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(
                ThreadMessageOutputSerializer(
                    selectors.thread_messages(thread=thread), many=True, context=context
                ).data
            )
        data = ThreadMessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_post(
            by=request.user,
            thread=thread,
            body=data.validated_data["body"],
            attachment=data.validated_data.get("attachment"),
        )
        message = selectors.thread_messages(thread=thread).get(pk=message.pk)
        return Response(
            ThreadMessageOutputSerializer(message, context=context).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: ThreadOutputSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark the thread read for the caller's organisation; the other members' read
        state does not change."""
        thread = self.get_object()
        services.thread_read(by=request.user, thread=thread)
        thread = selectors.thread_get(user=request.user, pk=thread.pk)
        return Response(ThreadOutputSerializer(thread, context=self.get_serializer_context()).data)


class ThreadAttachmentView(CallerLocaleMixin, RestrictedQuerysetMixin, generics.GenericAPIView):
    """A message's file, for the member organisations only (404 for anyone else)."""

    content_negotiation_class = FileNegotiation
    lookup_url_kwarg = "message_pk"
    object_action = "view"

    def get_queryset(self):
        return selectors.attachment_list(user=self.request.user, thread_pk=self.kwargs.get("pk"))

    @extend_schema(
        responses=file_responses(*DOCUMENT_TYPES, description="The file (PDF, JPEG or PNG)")
    )
    def get(self, request, pk, message_pk):
        return attachment_response(self.get_object())


urlpatterns: list = [
    path(
        "threads/<int:pk>/messages/<int:message_pk>/attachment/",
        ThreadAttachmentView.as_view(),
        name="thread-message-attachment",
    ),
]


def register(router) -> None:
    router.register("threads", ThreadViewSet, basename="thread")
