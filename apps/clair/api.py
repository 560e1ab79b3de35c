"""CLAIR's actions in the API: placing a candidate by hand, and the suggestion runs
("Suggest placements") that CLAIR staff review and a CLAIR manager approves. Runs are
CLAIR's working papers: to anyone else they do not exist (404)."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.clair import services
from apps.core.api.pagination import CountedPagination
from apps.core.models import Kind
from apps.placement import selectors as placement_selectors
from apps.placement.api import PlacementOutputSerializer
from apps.placement.models import MatchingLine, MatchingRun, Placement
from apps.recruitment import selectors as recruitment_selectors


def _require_clair(user, *, manager: bool = False) -> None:
    """403 for a user who may see the object but not take this action."""
    if user.kind != Kind.CLAIR:
        raise exceptions.PermissionDenied(_("Only CLAIR places candidates."))
    if manager and not user.is_manager:
        raise exceptions.PermissionDenied(_("Only a CLAIR manager approves placements."))


def _position_or_400(user, pk: int):
    position = placement_selectors.position_list(user=user).filter(pk=pk).first()
    if position is None:
        raise serializers.ValidationError({"position": [_("There is no such position.")]})
    return position


class NoteOutputSerializer(serializers.Serializer):
    """One reason or note of the engine, as a code (translated by the client) and its
    parameters."""

    code = serializers.CharField()
    params = serializers.DictField(default=dict)


class PlacementConfirmView(APIView):
    """CLAIR places a forwarded candidate in an approved position; the organisation is
    told and answers."""

    permission_classes = [IsAuthenticated]

    class PlacementConfirmInputSerializer(serializers.Serializer):
        application = serializers.IntegerField(help_text="Id of a forwarded candidate")
        position = serializers.IntegerField(help_text="Id of an approved open position")
        arrival_group = serializers.ChoiceField(
            choices=Placement.ArrivalGroup.choices, default=Placement.ArrivalGroup.A
        )

    @extend_schema(
        request=PlacementConfirmInputSerializer, responses={201: PlacementOutputSerializer}
    )
    def post(self, request):
        _require_clair(request.user)
        data = self.PlacementConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            application = recruitment_selectors.application_get(
                user=request.user, pk=data.validated_data["application"]
            )
        except Http404:
            raise serializers.ValidationError(
                {"application": [_("There is no such candidate.")]}
            ) from None
        position = _position_or_400(request.user, data.validated_data["position"])
        placement = services.placement_confirm(
            by=request.user,
            application=application,
            position=position,
            arrival_group=data.validated_data["arrival_group"],
        )
        placement = placement_selectors.placement_get(user=request.user, pk=placement.pk)
        return Response(PlacementOutputSerializer(placement).data, status=status.HTTP_201_CREATED)


class MatchingRunOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme_year = serializers.IntegerField(source="programme_year.year")
    state = serializers.ChoiceField(choices=MatchingRun.State.choices)
    started_by = serializers.IntegerField(source="started_by_id")
    started_by_name = serializers.CharField(source="started_by.get_full_name")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    previous = serializers.IntegerField(source="previous_id", allow_null=True)
    job = serializers.IntegerField(source="job_id", allow_null=True)
    stats = serializers.DictField(
        help_text="Candidates, positions, placed, by preference rank, couples, seconds"
    )


class MatchingRunStartedOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The run: its state, then its figures once ready")
    job = serializers.IntegerField()
    job_url = serializers.URLField(help_text="The page that shows the job's progress")


class MatchingLineOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    run = serializers.IntegerField(source="run_id")
    application = serializers.IntegerField(source="application_id")
    application_number = serializers.CharField(source="application.number")
    candidate_name = serializers.CharField(source="application.full_name")
    country = serializers.CharField(source="application.country_id", help_text="ISO 3166-1")
    proposed_position = serializers.IntegerField(source="proposed_position_id", allow_null=True)
    position = serializers.IntegerField(source="position_id", allow_null=True)
    organisation_name = serializers.CharField(
        source="position.organisation.name", allow_null=True, default=None
    )
    prefecture = serializers.CharField(
        source="position.prefecture_id", allow_null=True, default=None, help_text="JIS code"
    )
    municipality = serializers.CharField(
        source="position.municipality", allow_null=True, default=None
    )
    preference_rank = serializers.IntegerField(allow_null=True)
    cost = serializers.IntegerField()
    notes = NoteOutputSerializer(many=True)
    overridden = serializers.BooleanField()
    override_reason = serializers.CharField()
    decision = serializers.ChoiceField(choices=MatchingLine.Decision.choices)
    decision_note = serializers.CharField()
    placement = serializers.IntegerField(source="placement_id", allow_null=True)


class MatchingChangeOutputSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="change.candidate_id")
    kind = serializers.ChoiceField(
        source="change.kind",
        choices=[("placed", "placed"), ("unplaced", "unplaced"), ("moved", "moved")],
    )
    previous_position = serializers.IntegerField(source="change.previous_position", allow_null=True)
    current_position = serializers.IntegerField(source="change.current_position", allow_null=True)
    previous_rank = serializers.IntegerField(source="change.previous_rank", allow_null=True)
    current_rank = serializers.IntegerField(source="change.current_rank", allow_null=True)
    reasons = NoteOutputSerializer(source="change.reasons", many=True)
    override_reason = serializers.CharField(
        allow_null=True, help_text="Why CLAIR staff changed this line by hand, if they did"
    )


class MatchingCompareOutputSerializer(serializers.Serializer):
    previous = serializers.IntegerField(allow_null=True, help_text="The run compared with")
    changes = MatchingChangeOutputSerializer(many=True)


class MatchingRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Suggestion runs: CLAIR starts one (a background job), reviews its lines and what
    moved since the previous run; a CLAIR manager approves it, whole or line by line."""

    serializer_class = MatchingRunOutputSerializer
    pagination_class = CountedPagination
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]+"

    class ApproveInputSerializer(serializers.Serializer):
        lines = serializers.ListField(
            child=serializers.IntegerField(),
            required=False,
            help_text="Ids of the lines to approve; every proposed line if left out",
        )

    class ApproveOutputSerializer(serializers.Serializer):
        approved = serializers.IntegerField()
        failed = serializers.IntegerField(help_text="Lines whose candidate or position was taken")

    def get_queryset(self):
        return placement_selectors.matching_run_list(user=self.request.user)

    def get_object(self):
        return placement_selectors.matching_run_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=None, responses={202: MatchingRunStartedOutputSerializer})
    def create(self, request):
        """Start a run over the current year's pool; it runs as a background job."""
        _require_clair(request.user)
        run = services.matching_run_start(by=request.user)
        output = {
            "id": run.pk,
            "url": request.build_absolute_uri(
                reverse("api:placement-run-detail", kwargs={"pk": run.pk})
            ),
            "job": run.job.pk,
            "job_url": request.build_absolute_uri(run.job.get_absolute_url()),
        }
        return Response(
            MatchingRunStartedOutputSerializer(output).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(responses={200: MatchingLineOutputSerializer(many=True)})
    @action(detail=True, methods=["get"], serializer_class=MatchingLineOutputSerializer)
    def lines(self, request, pk=None):
        """The run's lines, placed candidates first, each with the engine's notes."""
        lines = placement_selectors.matching_lines(run=self.get_object())
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ApproveInputSerializer, responses={200: ApproveOutputSerializer})
    @action(detail=True, methods=["post"], pagination_class=None)
    def approve(self, request, pk=None):
        """Place the proposed lines (all, or those listed), each on its own: a line whose
        candidate or position was taken meanwhile fails with its reason. CLAIR managers
        only."""
        run = self.get_object()
        _require_clair(request.user, manager=True)
        data = self.ApproveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = services.matching_lines_approve(
            by=request.user, run=run, lines=data.validated_data.get("lines")
        )
        return Response(self.ApproveOutputSerializer(outcome).data)

    @extend_schema(responses={200: MatchingCompareOutputSerializer})
    @action(detail=True, methods=["get"], pagination_class=None)
    def compare(self, request, pk=None):
        """What moved since the previous run, and why, as reason codes."""
        run = self.get_object()
        changes = [
            {"change": change, "override_reason": reason}
            for change, reason in placement_selectors.matching_run_compare(run=run)
        ]
        output = {"previous": run.previous_id, "changes": changes}
        return Response(MatchingCompareOutputSerializer(output).data)


class MatchingLineViewSet(viewsets.GenericViewSet):
    """One line of a suggestion run: CLAIR staff change its position (or leave the
    candidate unplaced) with a reason; a CLAIR manager may reject it."""

    serializer_class = MatchingLineOutputSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]+"

    class OverrideInputSerializer(serializers.Serializer):
        position = serializers.IntegerField(
            allow_null=True, help_text="Id of an approved open position; null leaves unplaced"
        )
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    class RejectInputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    def get_queryset(self):
        return MatchingLine.objects.none()  # lines are reached one at a time, below

    def get_object(self):
        return placement_selectors.matching_line_get(user=self.request.user, pk=self.kwargs["pk"])

    def _fresh(self, line: MatchingLine) -> Response:
        line = placement_selectors.matching_line_get(user=self.request.user, pk=line.pk)
        return Response(self.get_serializer(line).data)

    @extend_schema(request=OverrideInputSerializer, responses={200: MatchingLineOutputSerializer})
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        """Give the line another open position, or none, with the reason."""
        line = self.get_object()
        data = self.OverrideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        position_id = data.validated_data["position"]
        position = None if position_id is None else _position_or_400(request.user, position_id)
        line = services.matching_line_override(
            by=request.user, line=line, position=position, reason=data.validated_data["reason"]
        )
        return self._fresh(line)

    @extend_schema(request=RejectInputSerializer, responses={200: MatchingLineOutputSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Leave the line out of the placement, with the reason. CLAIR managers only."""
        line = self.get_object()
        _require_clair(request.user, manager=True)
        data = self.RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = services.matching_line_reject(
            by=request.user, line=line, reason=data.validated_data["reason"]
        )
        return self._fresh(line)
