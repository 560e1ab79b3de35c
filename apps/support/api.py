"""Confidential support cases in the API: /api/v1/support-cases/.

Who sees what is `apps.support.selectors`, the same as the pages: the participant their
own cases and thread without internal notes; CLAIR's counsellors the queue and their own
cases with every note; a prefectural advisor only what was shared with them (summary,
category, status); anyone else an empty list and 404 for any id. Writes are
`apps.support.services`; one who sees a case but may not do the action gets 403.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import fields as api_fields
from apps.core.api.common import (
    DOCUMENT_TYPES,
    CallerLocaleMixin,
    FileNegotiation,
    NamedChoiceField,
    document_response,
    file_responses,
    id_field,
    note_field,
    schema_any_of,
    text_field,
)
from apps.core.api.filters import FilteredListMixin, ListFilters, TextFilter, list_filters
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.support import selectors, services
from apps.support.models import SupportCase

# --- output ------------------------------------------------------------------------------


def _category(**kwargs):
    return NamedChoiceField(
        enum_name="SupportCategory", choices=SupportCase.Category.choices, **kwargs
    )


def _status(**kwargs):
    return NamedChoiceField(enum_name="SupportStatus", choices=SupportCase.Status.choices, **kwargs)


class SupportMessageOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    author = serializers.IntegerField(source="author_id", help_text="User id")
    author_name = serializers.SerializerMethodField()
    body = api_fields.CharField()
    internal = serializers.BooleanField(help_text="A counsellors' note (never to participants)")
    attachment_name = api_fields.CharField()
    attachment = serializers.SerializerMethodField(help_text="Download path, or null")
    created_at = api_fields.DateTimeField()

    def get_author_name(self, message) -> str:
        return message.author.get_full_name() or message.author.username

    def get_attachment(self, message) -> str | None:
        if not message.attachment:
            return None
        return f"/api/v1/support-cases/{message.case_id}/attachments/{message.pk}/"


class SupportSharedOutputSerializer(api_fields.Serializer):
    """What a prefectural advisor reads: the shared summary, category and status."""

    id = serializers.IntegerField()
    category = _category()
    category_label = api_fields.CharField(source="get_category_display")
    status = _status()
    status_label = api_fields.CharField(source="get_status_display")
    shared_summary = api_fields.CharField()
    shared_at = api_fields.DateTimeField()


class SupportCaseOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    participant = serializers.IntegerField(source="participant_id", help_text="User id")
    category = _category()
    category_label = api_fields.CharField(source="get_category_display")
    subject = api_fields.CharField()
    status = _status()
    status_label = api_fields.CharField(source="get_status_display")
    anonymous_to_organisation = serializers.BooleanField()
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    host_organisation = serializers.IntegerField(source="host_organisation_id", allow_null=True)
    shared_summary = api_fields.CharField()
    shared_at = api_fields.DateTimeField(allow_null=True)
    created_at = api_fields.DateTimeField()
    updated_at = api_fields.DateTimeField()


class SupportCaseDetailSerializer(SupportCaseOutputSerializer):
    messages = serializers.SerializerMethodField()

    def get_messages(self, case) -> list[dict]:
        user = self.context["user"]
        return SupportMessageOutputSerializer(
            selectors.support_message_list(user=user, case=case), many=True
        ).data


class SupportCaseReadSerializer(api_fields.Serializer):
    """A case as `_output` gives it: all of it to those who see its thread, the shared
    summary to a prefectural advisor."""


class SupportCaseListItemSerializer(api_fields.Serializer):
    """A row of the list, as `_output(detail=False)` gives it."""


schema_any_of(
    SupportCaseReadSerializer,
    SupportCaseDetailSerializer,
    SupportSharedOutputSerializer,
    name="SupportCaseRead",
)
schema_any_of(
    SupportCaseListItemSerializer,
    SupportCaseOutputSerializer,
    SupportSharedOutputSerializer,
    name="SupportCaseListItem",
)


# --- input -------------------------------------------------------------------------------


class SupportCaseInputSerializer(api_fields.Serializer):
    category = serializers.ChoiceField(choices=SupportCase.Category.choices)
    subject = api_fields.CharField(max_length=200)
    message = text_field()
    attachment = serializers.FileField(required=False, allow_null=True)
    anonymous_to_organisation = serializers.BooleanField(required=False, default=False)


class SupportMessageInputSerializer(api_fields.Serializer):
    body = text_field()
    internal = serializers.BooleanField(
        required=False, default=False, help_text="Counsellors only: a note never shown"
    )
    attachment = serializers.FileField(required=False, allow_null=True)


class SupportStatusInputSerializer(api_fields.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in SupportCase.Status.choices if c[0] != SupportCase.Status.NEW]
    )


class SupportReassignInputSerializer(api_fields.Serializer):
    to = id_field(help_text="User id of a CLAIR counsellor")
    reason = note_field(allow_blank=True)


class SupportShareInputSerializer(api_fields.Serializer):
    shared_summary = note_field(
        allow_blank=True, help_text="What the advisor reads; empty stops sharing"
    )


# --- the viewset -------------------------------------------------------------------------


def _output(user, case, *, detail=True):
    if not selectors.sees_thread(user, case):
        return SupportSharedOutputSerializer(case).data
    if detail:
        return SupportCaseDetailSerializer(case, context={"user": user}).data
    return SupportCaseOutputSerializer(case).data


class SupportCaseFilters(ListFilters):
    scope = filters.ChoiceFilter(
        choices=[(selectors.QUEUE, "queue"), (selectors.MINE, "mine")], help_text="Counsellors"
    )
    q = TextFilter(help_text="Search in the subject")

    class Meta(ListFilters.Meta):
        model = SupportCase


class SupportCaseViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Support cases: a participant opens one (POST) and reads their own; counsellors the
    queue and theirs; a prefectural advisor the summaries shared with them."""

    serializer_class = SupportCaseListItemSerializer
    pagination_class = CountedPagination
    filterset_class = SupportCaseFilters
    lookup_value_regex = r"[0-9]+"
    access_model = SupportCase
    model_action_perms = {"create": "add"}
    # A message is the participant's or a counsellor's (the service tells which); the
    # thread the advisor may not read answers 404 below, as it is not theirs to see.
    action_perms = {
        "messages": "view",
        "take": "counsel",
        "status": "counsel",
        "reassign": "counsel",
        "share": "write",
    }
    action_messages = {
        "create": _lazy("Only participants open support requests."),
        "take": _lazy("Only CLAIR's counsellors do this."),
        "status": _lazy("Only CLAIR's counsellors do this."),
        "reassign": _lazy("Only CLAIR's counsellors do this."),
        "share": _lazy("Only the participant shares their case."),
    }

    def get_queryset(self):
        if self.action != "list":
            return selectors.support_case_list(user=self.request.user)
        params = list_filters(self)
        # A row shows the case's own columns (its people and organisation by key): the
        # selector's joins of whole users and organisations would be read for nothing.
        return selectors.support_case_list(
            user=self.request.user, scope=params.get("scope"), q=params.get("q", ""), reads=False
        ).select_related(None)

    def list(self, request, *args, **kwargs):
        page = selectors.reads_thread_attach(
            self.paginate_queryset(self.get_queryset()), user=request.user
        )
        # One serializer of each view for the page: building one per row deep-copies its
        # fields every time (_output serves one case).
        full, shared = SupportCaseOutputSerializer(), SupportSharedOutputSerializer()
        return self.get_paginated_response(
            [
                (full if selectors.sees_thread(request.user, case) else shared).to_representation(
                    case
                )
                for case in page
            ]
        )

    @extend_schema(responses={200: SupportCaseReadSerializer})
    def retrieve(self, request, *args, **kwargs):
        return Response(_output(request.user, self.get_object()))

    @extend_schema(request=SupportCaseInputSerializer, responses={201: SupportCaseDetailSerializer})
    def create(self, request):
        data = SupportCaseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.support_case_open(by=request.user, **data.validated_data)
        return Response(_output(request.user, case), status=201)

    @extend_schema(
        request=SupportMessageInputSerializer, responses={201: SupportMessageOutputSerializer}
    )
    @action(detail=True, methods=["post"])
    def messages(self, request, pk=None):
        """A message in the thread: the participant's, or a counsellor's reply or note."""
        case = self.get_object()
        if not selectors.sees_thread(request.user, case):
            raise Http404
        data = SupportMessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        message = services.support_message_add(
            by=request.user,
            case=case,
            body=values["body"],
            internal=values["internal"],
            attachment=values.get("attachment"),
        )
        return Response(SupportMessageOutputSerializer(message).data, status=201)

    @extend_schema(request=None, responses={200: SupportCaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        case = services.support_case_take(by=request.user, case=self.get_object())
        return Response(_output(request.user, case))

    @extend_schema(
        request=SupportStatusInputSerializer, responses={200: SupportCaseDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        case = self.get_object()
        data = SupportStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.support_status_set(
            by=request.user, case=case, status=data.validated_data["status"]
        )
        return Response(_output(request.user, case))

    @extend_schema(request=SupportReassignInputSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        case = self.get_object()
        data = SupportReassignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        to = selectors.counsellor_list().filter(pk=data.validated_data["to"]).first()
        reassignment = services.support_case_reassign(
            by=request.user, case=case, to=to, reason=data.validated_data["reason"]
        )
        return Response(
            {
                "case": case.pk,
                "from_counsellor": reassignment.from_counsellor_id,
                "to_counsellor": reassignment.to_counsellor_id,
                "reason": reassignment.reason,
            }
        )

    @extend_schema(
        request=SupportShareInputSerializer, responses={200: SupportCaseDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """The participant shares a summary with their host prefecture's advisor (an
        empty summary stops sharing)."""
        case = self.get_object()
        data = SupportShareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        summary = data.validated_data["shared_summary"].strip()
        if summary:
            case = services.support_case_share(by=request.user, case=case, summary=summary)
        else:
            case = services.support_case_unshare(by=request.user, case=case)
        return Response(_output(request.user, case))

    @extend_schema(responses=file_responses(*DOCUMENT_TYPES, description="The attached file"))
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<message_pk>[0-9]+)",
        pagination_class=None,
        content_negotiation_class=FileNegotiation,
    )
    # **kwargs: the router's format suffix (…/attachments/7.json) arrives as `format`.
    def attachment(self, request, pk=None, message_pk=None, **kwargs):
        message = selectors.support_message_get(user=request.user, case_pk=pk, pk=message_pk)
        if not message.attachment:
            raise Http404
        return document_response(
            message.attachment, filename=message.attachment_name or "attachment"
        )


urlpatterns: list = []


def register(router) -> None:
    router.register("support-cases", SupportCaseViewSet, basename="support-case")
