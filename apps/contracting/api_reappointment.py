"""A contracting organisation's answer in the re-appointment round, in the API: offer
its participant another year or not (with the reason), with the grounds a fourth or
fifth year needs.

The case is fetched through the shared selector (a case of another organisation's
participant is 404); anyone but the organisation's staff who sees it (CLAIR, the
participant) is refused with 403; the service checks the rules and the deadline (400
with its message)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from apps.contracting import services
from apps.core import access
from apps.core.api.common import CallerLocaleMixin
from apps.core.models import Kind
from apps.reappointment import api as read


class ReappointmentOrganisationAnswerView(CallerLocaleMixin, APIView):
    """The organisation's answer, changeable until its deadline (or while CLAIR has
    reopened the case); the participant is told."""

    permission_classes = [IsAuthenticated]

    class ReappointmentOrganisationAnswerInputSerializer(serializers.Serializer):
        offer = serializers.BooleanField(help_text="Offer re-appointment for another year")
        # Required when not offering, and grounds for a fourth or fifth year: the service
        # says so in its own words.
        reason = serializers.CharField(
            required=False, allow_blank=True, default="", help_text="Why not, when not offering"
        )
        grounds = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            help_text="Why the work justifies a fourth or fifth year",
        )

    @extend_schema(
        request=ReappointmentOrganisationAnswerInputSerializer,
        responses={200: read.ReappointmentCaseOutputSerializer},
    )
    def post(self, request, pk):
        case = read.case_get(request.user, pk)
        if request.user.kind != Kind.CONTRACTING or not access.can(request.user, "change", case):
            raise exceptions.PermissionDenied(
                _("Only the participant's organisation answers for itself.")
            )
        data = self.ReappointmentOrganisationAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.reappointment_answer(by=request.user, case=case, **data.validated_data)
        return read.case_response(request.user, case)
