"""The libraries in the API: `/api/v1/library/`.

Who reads what is `selectors_library` (the same as the pages): a document the caller may
not read answers 404; one they read but did not publish answers 403 on a change or a new
version (the access policy). Writes go through `services_library`. Files come from
`/api/v1/library/versions/<id>/file/` after the same check.

Query parameters on the list: `q` (searched in the English and Japanese titles and
summaries), `audience`, `kind`, `publisher` (an organisation id).
"""

from django.http import FileResponse, Http404
from django.urls import path
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from apps.core.api import fields as api_fields
from apps.core.api.common import (
    FileNegotiation,
    NamedChoiceField,
    file_responses,
    note_field,
    text_field,
)
from apps.core.api.filters import (
    FilteredListMixin,
    IntegerFilter,
    ListFilters,
    TextFilter,
    list_filters,
)
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.learning import selectors_library as selectors
from apps.learning import services_library as services
from apps.learning.models import LibraryDocument, LibraryVersion


def _document_kind(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(enum_name="LibraryKind", choices=LibraryDocument.Kind.choices, **kwargs)


def _audience(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="LibraryAudience", choices=LibraryDocument.Audience.choices, **kwargs
    )


class VersionSerializer(api_fields.ModelSerializer):
    published_by = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = LibraryVersion
        fields = ["id", "number", "filename", "note", "published_at", "published_by", "file_url"]

    def get_published_by(self, obj) -> str:
        return obj.published_by.get_full_name() or obj.published_by.username

    def get_file_url(self, obj) -> str:
        return reverse(
            "api:library-version-file", kwargs={"pk": obj.pk}, request=self.context.get("request")
        )


class DocumentSerializer(api_fields.ModelSerializer):
    kind = _document_kind(read_only=True)
    audience = _audience(read_only=True)
    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    publisher = serializers.IntegerField(source="publisher_id", read_only=True)
    publisher_name = api_fields.CharField(source="publisher.name", read_only=True)
    current_version = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()

    class Meta:
        model = LibraryDocument
        fields = [
            "id",
            "kind",
            "audience",
            "title",
            "title_en",
            "title_ja",
            "summary",
            "summary_en",
            "summary_ja",
            "publisher",
            "publisher_name",
            "current_version",
            "can_edit",
            "created_at",
            "updated_at",
        ]

    def get_title(self, obj) -> str:
        return obj.text("title")

    def get_summary(self, obj) -> str:
        return obj.text("summary")

    def get_current_version(self, obj) -> VersionSerializer(allow_null=True):  # type: ignore[valid-type]
        version = selectors.version_latest(document=obj)
        return VersionSerializer(version, context=self.context).data if version else None

    def get_can_edit(self, obj) -> bool:
        request = self.context.get("request")
        return bool(request and selectors.can_edit(request.user, obj))


class DocumentDetailSerializer(DocumentSerializer):
    versions = serializers.SerializerMethodField()

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "versions"]

    def get_versions(self, obj) -> VersionSerializer(many=True):  # type: ignore[valid-type]
        return VersionSerializer(
            selectors.versions(document=obj), many=True, context=self.context
        ).data


class DocumentWriteSerializer(api_fields.Serializer):
    kind = _document_kind()
    audience = _audience()
    title_en = api_fields.CharField(max_length=200)
    title_ja = api_fields.CharField(max_length=200, required=False, allow_blank=True)
    summary_en = text_field(required=False, allow_blank=True)
    summary_ja = text_field(required=False, allow_blank=True)


class DocumentCreateSerializer(DocumentWriteSerializer):
    file = serializers.FileField(required=False, help_text="The first version, a PDF.")
    note = note_field(required=False, allow_blank=True)


class VersionCreateSerializer(api_fields.Serializer):
    file = serializers.FileField(help_text="A PDF.")
    note = note_field(required=False, allow_blank=True)


class LibraryFilters(ListFilters):
    q = TextFilter(help_text="Words searched in both languages")
    audience = filters.ChoiceFilter(choices=LibraryDocument.Audience.choices)
    kind = filters.ChoiceFilter(choices=LibraryDocument.Kind.choices)
    publisher = IntegerFilter(help_text="The publishing organisation's id")

    class Meta(ListFilters.Meta):
        model = LibraryDocument


@extend_schema_view(
    list=extend_schema(summary="Library documents the caller may read"),
    retrieve=extend_schema(summary="One document with all its versions, newest first"),
    create=extend_schema(
        summary="Publish a document (CLAIR or MEXT)",
        request=DocumentCreateSerializer,
        responses={201: DocumentDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change one's own document",
        request=DocumentWriteSerializer,
        responses=DocumentDetailSerializer,
    ),
    update=extend_schema(
        summary="Change one's own document",
        request=DocumentWriteSerializer,
        responses=DocumentDetailSerializer,
    ),
)
class LibraryDocumentViewSet(
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    pagination_class = CountedPagination
    filterset_class = LibraryFilters
    queryset = LibraryDocument.objects.none()
    access_model = LibraryDocument
    model_action_perms = {"create": "add"}
    # A new version changes the document: its publisher's staff only.
    action_perms = {"versions": "change"}

    def get_queryset(self):
        if self.action != "list":
            return selectors.document_list(user=self.request.user)
        params = list_filters(self)
        return selectors.document_list(
            user=self.request.user,
            q=params.get("q", ""),
            audience=params.get("audience", ""),
            kind=params.get("kind", ""),
            publisher=params.get("publisher"),
        )

    def get_serializer_class(self):
        if self.action == "list":
            return DocumentSerializer
        return DocumentDetailSerializer

    def _detail(self, document, code=status.HTTP_200_OK):
        serializer = DocumentDetailSerializer(document, context=self.get_serializer_context())
        return Response(serializer.data, status=code)

    def create(self, request, *args, **kwargs):
        data = DocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_publish(by=request.user, **data.validated_data)
        return self._detail(document, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        document = self.get_object()
        partial = kwargs.pop("partial", False)
        data = DocumentWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        document = services.document_update(
            by=request.user, document=document, **data.validated_data
        )
        return self._detail(document)

    @extend_schema(
        summary="Publish a new version of one's own document",
        request={"multipart/form-data": VersionCreateSerializer},
        responses={201: VersionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="versions")
    def versions(self, request, pk=None):
        document = self.get_object()
        data = VersionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.version_add(
            by=request.user,
            document=document,
            file=data.validated_data["file"],
            note=data.validated_data.get("note", ""),
        )
        return Response(
            VersionSerializer(version, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class VersionFileView(RestrictedQuerysetMixin, generics.GenericAPIView):
    """The PDF of one version, for those who may read its document (else 404)."""

    object_action = "view"
    content_negotiation_class = FileNegotiation

    def get_queryset(self):
        return selectors.version_list(user=self.request.user)

    @extend_schema(
        summary="Download a library file",
        responses=file_responses("application/pdf", description="The version's PDF"),
    )
    def get(self, request, pk):
        version = self.get_object()
        try:
            handle = version.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        return FileResponse(
            handle, as_attachment=True, filename=version.filename, content_type="application/pdf"
        )


urlpatterns = [
    path(
        "library/versions/<int:pk>/file/",
        VersionFileView.as_view(),
        name="library-version-file",
    ),
]


def register(router) -> None:
    router.register("library", LibraryDocumentViewSet, basename="library")
