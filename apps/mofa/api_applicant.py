"""The applicant's next step through the API: the banner of their home, as data."""

from datetime import datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import access
from apps.core import selectors as core_selectors
from apps.core.api import fields as api_fields
from apps.core.api.common import CallerLocaleMixin
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.models import Kind
from apps.mofa.next_step import next_step
from apps.recruitment import selectors as recruitment_selectors


class NextStepSerializer(api_fields.Serializer):
    key = serializers.CharField(
        help_text="start, finish, closed, wait, book, attend, reply, … (none: nothing to do)"
    )
    text = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    action = serializers.CharField(allow_blank=True)
    due = serializers.SerializerMethodField(
        help_text="ISO 8601: a date-time, or a date for a reply due on a day; null: no date"
    )

    @extend_schema_field(OpenApiTypes.STR)
    def get_due(self, step) -> str | None:
        if step.due is None:
            return None
        if isinstance(step.due, datetime):
            return timezone.localtime(step.due).isoformat()
        return step.due.isoformat()


class NextStepView(CallerLocaleMixin, RestrictedQuerysetMixin, APIView):
    """What the applicant should do next and by when, in their language: their own
    application alone (`application_own`), so there is nothing of anyone else's to see."""

    @extend_schema(responses=NextStepSerializer)
    def get(self, request):
        if not access.acts_as(request.user, Kind.APPLICANT):
            raise PermissionDenied
        year = core_selectors.programme_year_current()
        application = recruitment_selectors.application_own(user=request.user, programme_year=year)
        step = next_step(application=application, programme_year=year)
        if step is None:
            return Response({"key": "none", "text": "", "url": "", "action": "", "due": None})
        return Response(NextStepSerializer(step).data)
