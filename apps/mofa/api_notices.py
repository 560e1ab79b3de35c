"""A mission's own wording of its notices to applicants, through the API: as the page.

`/api/notice-templates/` lists every kind the caller's mission may word (its own wording
or the standard text); each kind is read, replaced (PUT, PATCH), reset to the standard
text (DELETE) and previewed with sample values (POST .../preview/). Only the caller's own
mission's wording is ever read or changed; anyone else finds none (404).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api import fields as api_fields
from apps.core.api.common import CallerLocaleMixin
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.mofa import notices
from apps.notifications.notice_texts import EDITABLE


class NoticeOutputSerializer(api_fields.Serializer):
    kind = api_fields.CharField()
    title = api_fields.CharField(help_text="The notice's standard subject, translated")
    customised = serializers.BooleanField(help_text="False: the standard text is sent")
    placeholders = serializers.ListField(child=serializers.CharField())
    subject_en = api_fields.CharField()
    body_en = api_fields.CharField()
    subject_ja = api_fields.CharField()
    body_ja = api_fields.CharField()
    updated_at = api_fields.DateTimeField(source="template.updated_at", allow_null=True)


class NoticeInputSerializer(api_fields.Serializer):
    subject_en = api_fields.CharField(max_length=200)
    body_en = api_fields.CharField(max_length=5000)
    subject_ja = api_fields.CharField(max_length=200)
    body_ja = api_fields.CharField(max_length=5000)


class PreviewPartSerializer(api_fields.Serializer):
    subject = serializers.CharField()
    body = serializers.CharField()
    html = serializers.CharField(help_text="The text as HTML, everything escaped")


class PreviewSerializer(api_fields.Serializer):
    en = PreviewPartSerializer()
    ja = PreviewPartSerializer()


class NoticeTemplateViewSet(CallerLocaleMixin, RestrictedQuerysetMixin, viewsets.ViewSet):
    """The caller's mission's notices to applicants, by kind. Each is found through
    `notices.notice_get`, which asks the access rule for the caller's own mission's
    wording (another mission's is never reached: 404)."""

    lookup_field = "kind"
    lookup_value_regex = "|".join(EDITABLE)

    def _values(self, request, *, partial: bool) -> dict:
        values = {}
        if partial:
            notice = notices.notice_get(user=request.user, kind=self.kwargs["kind"])
            values = {field: getattr(notice, field) for field in notices.FIELDS}
        data = NoticeInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        return {**values, **data.validated_data}

    @extend_schema(responses={200: NoticeOutputSerializer(many=True)})
    def list(self, request):
        rows = notices.notice_list(user=request.user)
        return Response(NoticeOutputSerializer(rows, many=True).data)

    @extend_schema(responses={200: NoticeOutputSerializer})
    def retrieve(self, request, kind):
        notice = notices.notice_get(user=request.user, kind=kind)
        return Response(NoticeOutputSerializer(notice).data)

    def _save(self, request, kind, *, partial: bool):
        notices.notice_get(user=request.user, kind=kind)  # 404 before anything else
        values = self._values(request, partial=partial)
        notices.notice_template_save(by=request.user, kind=kind, values=values)
        notice = notices.notice_get(user=request.user, kind=kind)
        return Response(NoticeOutputSerializer(notice).data)

    @extend_schema(request=NoticeInputSerializer, responses={200: NoticeOutputSerializer})
    def update(self, request, kind):
        return self._save(request, kind, partial=False)

    @extend_schema(request=NoticeInputSerializer, responses={200: NoticeOutputSerializer})
    def partial_update(self, request, kind):
        return self._save(request, kind, partial=True)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, kind):
        """Reset to the standard text."""
        notices.notice_get(user=request.user, kind=kind)
        notices.notice_template_reset(by=request.user, kind=kind)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=NoticeInputSerializer, responses={200: PreviewSerializer})
    @action(detail=True, methods=["post"])
    def preview(self, request, kind):
        """The text as an applicant would read it, with sample values; nothing is saved."""
        notices.notice_get(user=request.user, kind=kind)
        values = self._values(request, partial=False)
        preview = notices.notice_preview(by=request.user, kind=kind, values=values)
        return Response(PreviewSerializer(preview).data)
