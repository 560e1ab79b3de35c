"""Pieces every API module uses: the caller's language and time zone, named choice sets
in the schema, the export request and the job it starts."""

import zoneinfo

from django.utils import timezone, translation
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_description_list
from rest_framework import serializers


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


class ExportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")


class JobOutputSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    url = serializers.CharField(help_text="The page that shows the job's progress")
