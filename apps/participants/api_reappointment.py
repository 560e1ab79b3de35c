"""A participant's answer in the re-appointment round, in the API: continue for another
year or leave at the end of the term.

A participant sees only their own case, so anyone else's is already 404 from the
selector; the staff who see it (CLAIR, the organisation) are refused with 403 here,
before the service checks the rules and the deadline (400 with its message)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from apps.core.api.common import CallerLocaleMixin
from apps.participants import services
from apps.reappointment import api as read


# `continue` is a Python keyword, so that field is added by name in `get_fields`.
class ReappointmentParticipantAnswerInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Optional"
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["continue"] = serializers.BooleanField(
            help_text="Wish to continue for another year (false: leave with the term)"
        )
        return fields


class ReappointmentParticipantAnswerView(CallerLocaleMixin, APIView):
    """The participant's answer, changeable until their deadline (or while CLAIR has
    reopened the case)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReappointmentParticipantAnswerInputSerializer,
        responses={200: read.ReappointmentCaseOutputSerializer},
    )
    def post(self, request, pk):
        case = read.case_get(request.user, pk)
        if case.participant_id != request.user.pk:
            raise exceptions.PermissionDenied(_("Only the participant answers for themselves."))
        data = ReappointmentParticipantAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.reappointment_answer(
            by=request.user,
            case=case,
            wishes_to_continue=data.validated_data["continue"],
            reason=data.validated_data["reason"],
        )
        return read.case_response(request.user, case)
