"""CLAIR's part of the re-appointment round in the API: open a round, remind whoever
has not answered, confirm the round, reopen one case for a late answer.

The rounds' read side (list, detail, counts) is apps/reappointment/api.py;
CLAIR's actions are added to it here, and the router mounts this class. A round or case
the caller cannot see is 404; one they see but may not act on (MIC, an organisation, a
participant) is 403; the service then checks the transition (400 with its message)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.clair import services_reappointment as services
from apps.core import selectors as core_selectors
from apps.core.api.common import CallerLocaleMixin
from apps.core.models import Kind, ProgrammeYear
from apps.reappointment import api as read
from apps.reappointment import selectors


def _require_clair(user) -> None:
    if user.kind != Kind.CLAIR:
        raise exceptions.PermissionDenied(_("Only CLAIR runs the re-appointment round."))


class ReappointmentRoundOpenInputSerializer(serializers.Serializer):
    programme_year = serializers.IntegerField(
        required=False,
        help_text="The year whose terms the round fills; the current one if left out",
    )
    organisation_deadline = serializers.DateTimeField()
    participant_deadline = serializers.DateTimeField()
    confirmation_deadline = serializers.DateTimeField()


class ReappointmentRoundConfirmOutputSerializer(serializers.Serializer):
    round = read.ReappointmentRoundOutputSerializer()
    continues = serializers.IntegerField(help_text="Re-appointed: the next draft contract made")
    leaves = serializers.IntegerField(
        help_text="Leaving: registered for the Conference for Returning JETs, mission told"
    )


class ReappointmentRoundRemindOutputSerializer(serializers.Serializer):
    sent = serializers.IntegerField(help_text="Reminders recorded (none twice the same day)")


class ReappointmentRoundViewSet(read.ReappointmentRoundViewSet):
    """Re-appointment rounds: CLAIR and MIC see every round, an organisation or a
    participant the rounds they have cases in. CLAIR opens a round (every participant
    with a contract in force today is in it), reminds and confirms it."""

    def _fresh(self, round_, code=status.HTTP_200_OK) -> Response:
        round_ = selectors.reappointment_round_get(user=self.request.user, pk=round_.pk)
        return Response(self.get_serializer(round_).data, status=code)

    @extend_schema(
        request=ReappointmentRoundOpenInputSerializer,
        responses={201: read.ReappointmentRoundOutputSerializer},
    )
    def create(self, request):
        """Open the round for a programme year, with the organisations', participants'
        and CLAIR's deadlines, in that order."""
        _require_clair(request.user)
        data = ReappointmentRoundOpenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        number = values.pop("programme_year", None)
        if number is None:
            year = core_selectors.programme_year_current()
        else:
            year = ProgrammeYear.objects.filter(year=number).first()
        if year is None:
            raise serializers.ValidationError(
                {"programme_year": [_("There is no such programme year.")]}
            )
        round_ = services.round_open(by=request.user, programme_year=year, **values)
        return self._fresh(round_, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ReappointmentRoundConfirmOutputSerializer})
    @action(detail=True, methods=["post"], pagination_class=None)
    def confirm(self, request, pk=None):
        """Close the round: where both said yes the next year's draft contract is made;
        everyone else leaves. Once only."""
        round_ = self.get_object()
        _require_clair(request.user)
        outcome = services.round_confirm(by=request.user, round_=round_)
        round_ = selectors.reappointment_round_get(user=request.user, pk=round_.pk)
        return Response(
            ReappointmentRoundConfirmOutputSerializer({"round": round_, **outcome}).data
        )

    @extend_schema(request=None, responses={200: ReappointmentRoundRemindOutputSerializer})
    @action(detail=True, methods=["post"], pagination_class=None)
    def remind(self, request, pk=None):
        """Remind, now, the organisations and participants who have not answered."""
        round_ = self.get_object()
        _require_clair(request.user)
        sent = services.round_remind(by=request.user, round_=round_)
        return Response(ReappointmentRoundRemindOutputSerializer({"sent": sent}).data)


class ReappointmentCaseReopenView(CallerLocaleMixin, APIView):
    """Let one late answer in, until a given time, with the reason; the reason and who
    reopened the case stay in its history."""

    permission_classes = [IsAuthenticated]

    class ReappointmentReopenInputSerializer(serializers.Serializer):
        # Required, but the service says so in its own words.
        reason = serializers.CharField(required=False, allow_blank=True, default="")
        until = serializers.DateTimeField(help_text="The late answer is taken until then")

    @extend_schema(
        request=ReappointmentReopenInputSerializer,
        responses={200: read.ReappointmentCaseOutputSerializer},
    )
    def post(self, request, pk):
        case = read.case_get(request.user, pk)
        _require_clair(request.user)
        data = self.ReappointmentReopenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_reopen(by=request.user, case=case, **data.validated_data)
        return read.case_response(request.user, case)
