"""Pieces every API module uses: the caller's language and time zone, named choice sets
in the schema, the export request and the job it starts, the bounded fields of requests
(apps.core.limits), and file downloads typed as the schema says."""

import zoneinfo

from django.http import FileResponse, Http404
from django.utils import timezone, translation
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_description_list
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation

from apps.core import limits, uploads
from apps.core.api import fields as api_fields
from apps.core.models import Prefecture
from apps.core.reference_data import PREFECTURES


class CallerLocaleMixin:
    """Token-authenticated calls are not seen by the language middleware (DRF signs the
    caller in inside the view), so the caller's language and time zone are switched on
    here, once they are known, and switched back when the response is made."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        self._previous_language = translation.get_language()
        self._previous_zone = timezone.get_current_timezone()
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        zone = getattr(user, "time_zone", "") if user.is_authenticated else ""
        if zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        previous = getattr(self, "_previous_language", None)
        if previous:
            translation.activate(previous)
        zone = getattr(self, "_previous_zone", None)
        if zone is not None:
            timezone.activate(zone)
        return response


@api_fields.value_only
class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choice set is one named enum in the schema (`EventKindEnum`),
    wherever it is used. Without a name, drf-spectacular names enums after the field, and
    `kind` and `state` already mean other choice sets (organisations', positions')."""

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField
    match_subclasses = True

    def get_name(self) -> str:
        return f"{self.target.enum_name}Enum"

    def map_serializer_field(self, auto_schema, direction):
        choices = self.target.choices
        return {
            "type": "string",
            "enum": list(choices),
            "description": build_choice_description_list(choices.items()),
        }


def schema_any_of(target: type, *shapes: type, name: str) -> None:
    """Describe the serializer `target`, which answers in one of several shapes (whose
    fields may overlap), as `anyOf` those serializers in the schema."""

    class Extension(OpenApiSerializerExtension):
        target_class = target

        def get_name(self, auto_schema, direction):
            return name

        def map_serializer(self, auto_schema, direction):
            return {"anyOf": [auto_schema.resolve_serializer(s, direction).ref for s in shapes]}

    Extension.__name__ = Extension.__qualname__ = f"{name}Extension"


class ExportSerializer(api_fields.Serializer):
    format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")


class JobOutputSerializer(api_fields.Serializer):
    job = serializers.IntegerField()
    url = api_fields.CharField(help_text="The page that shows the job's progress")


def id_field(**kwargs) -> serializers.IntegerField:
    """An object's id in a request: a whole number that a primary key can be."""
    return serializers.IntegerField(min_value=1, max_value=limits.ID_MAX, **kwargs)


def ids_field(**kwargs) -> serializers.ListField:
    """A list of ids in a request, as long as any real list of them."""
    return serializers.ListField(child=id_field(), max_length=limits.IDS, **kwargs)


def year_field(**kwargs) -> serializers.IntegerField:
    """A programme or fiscal year (e.g. 2027)."""
    return serializers.IntegerField(min_value=limits.YEAR_MIN, max_value=limits.YEAR_MAX, **kwargs)


def note_field(**kwargs) -> serializers.CharField:
    """A reason, a comment, a note: free text of a paragraph or two."""
    return api_fields.CharField(max_length=limits.NOTE, **kwargs)


def text_field(**kwargs) -> serializers.CharField:
    """A description, a message, a guideline: free text of some pages at most."""
    return api_fields.CharField(max_length=limits.TEXT, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": [code for code, *_ in PREFECTURES], "description": "JIS code"}
)
class PrefectureField(serializers.PrimaryKeyRelatedField):
    """A prefecture in a request, by its JIS code."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Prefecture.objects.all(), **kwargs)


# --- file downloads --------------------------------------------------------------------

# What an uploaded document can be (apps.core.uploads checks its bytes), and the type of a
# file stored before that check.
DOCUMENT_TYPES = (*uploads.SIGNATURES, "application/octet-stream")


class FileNegotiation(BaseContentNegotiation):
    """For an endpoint that answers a file: the file is the view's own response, typed by
    what it is, whatever the client accepts; every error answers JSON (the first renderer),
    never an error body labelled as a PDF."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def file_responses(*media_types: str, description: str) -> dict:
    """`extend_schema(responses=...)` for a download that answers one of these types."""
    return {
        (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for media_type in media_types
    }


def document_response(file, *, filename: str) -> FileResponse:
    """An uploaded document as a download, typed by its bytes (one of DOCUMENT_TYPES), not
    by its name; a file missing from storage is a 404."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    content_type = uploads.sniff(handle.read(16)) or "application/octet-stream"
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
