"""The re-appointment round in the API, read side: rounds, cases and a round's counts.

Who sees what is the selectors' (`reappointment_round_list`, `reappointment_case_list`,
`reappointment_counts`), the same as the pages: CLAIR every case, an organisation its
own participants', a participant their own, MIC none (a round's counts only). The
actions are each actor's, in that actor's app: CLAIR opens, reminds, confirms and reopens
(apps/clair/api_reappointment.py), the organisation answers (apps/contracting/...), the
participant answers (apps/participants/...).

Answers and outcomes are codes; each has its label, in the caller's language, beside it.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.core.api.common import CallerLocaleMixin, NamedChoiceField
from apps.core.api.pagination import CountedPagination
from apps.core.models import Kind
from apps.reappointment import rules, selectors
from apps.reappointment.models import ReappointmentCase, ReappointmentRound

Case = ReappointmentCase

# Who may read a round's counts: the round's coordinator, the ministry that funds the
# posts, and each organisation for its own participants.
COUNTS_KINDS = (Kind.CLAIR, Kind.MIC, Kind.CONTRACTING)


def round_state(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="ReappointmentRoundState", choices=ReappointmentRound.State.choices, **kwargs
    )


def organisation_answer(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="ReappointmentOrganisationAnswer",
        choices=Case.OrganisationAnswer.choices,
        **kwargs,
    )


def participant_answer(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="ReappointmentParticipantAnswer",
        choices=Case.ParticipantAnswer.choices,
        **kwargs,
    )


def outcome(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="ReappointmentOutcome", choices=Case.Outcome.choices, **kwargs
    )


def _id(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


# --- output ----------------------------------------------------------------------------


class ReappointmentRoundOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme_year = serializers.IntegerField(
        source="programme_year.year", help_text="The year whose terms the round fills"
    )
    state = round_state()
    state_label = serializers.CharField(source="get_state_display")
    organisation_deadline = serializers.DateTimeField()
    participant_deadline = serializers.DateTimeField()
    confirmation_deadline = serializers.DateTimeField()
    opened_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)


class ReappointmentReasonsSerializer(serializers.Serializer):
    organisation = serializers.CharField(
        source="organisation_reason", help_text="Why the organisation does not offer"
    )
    participant = serializers.CharField(
        source="participant_reason", help_text="The participant's reason, if they gave one"
    )
    reopen = serializers.CharField(
        source="reopen_reason", help_text="Why CLAIR reopened the case for a late answer"
    )
    limit = serializers.SerializerMethodField(
        help_text="Why the participant may not continue, if they may not"
    )

    def get_limit(self, case) -> str:
        return rules.may_continue(case.years_so_far)[1]


class ReappointmentCaseOutputSerializer(serializers.Serializer):
    """One participant in a round: both answers, CLAIR's reopening and the outcome."""

    id = serializers.IntegerField()
    round = serializers.IntegerField(source="round_id")
    programme_year = serializers.IntegerField(source="round.programme_year.year")
    participant = serializers.IntegerField(source="participant_id", help_text="User id")
    participant_name = serializers.CharField(source="participant.get_full_name")
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    prefecture = serializers.CharField(source="organisation.prefecture_id", help_text="JIS code")
    placement = serializers.IntegerField(source="placement_id")
    # A plain string in the schema: the same codes are already the applications' PositionEnum.
    position_type = serializers.CharField(
        source="placement.position.type", help_text="ALT, CIR or SEA"
    )
    contract = serializers.IntegerField(source="contract_id", help_text="The contract in force")
    contract_year = serializers.IntegerField(help_text="Of the contract in force")
    contract_end = serializers.DateField(source="contract.end_date")
    years_so_far = serializers.IntegerField(
        help_text="Years on the programme, this one and earlier JET years included"
    )
    may_continue = serializers.BooleanField(help_text="False at five years in all")
    needs_grounds = serializers.BooleanField(
        source="next_year_needs_grounds",
        help_text="An offer needs the organisation's grounds (a fourth or fifth year)",
    )
    organisation_answer = organisation_answer()
    organisation_answer_label = serializers.CharField(source="get_organisation_answer_display")
    organisation_answered_at = serializers.DateTimeField(allow_null=True)
    grounds = serializers.CharField(help_text="Why the work justifies a fourth or fifth year")
    participant_answer = participant_answer()
    participant_answer_label = serializers.CharField(source="get_participant_answer_display")
    participant_answered_at = serializers.DateTimeField(allow_null=True)
    reasons = ReappointmentReasonsSerializer(source="*")
    reopened_until = serializers.DateTimeField(allow_null=True)
    outcome = outcome()
    outcome_label = serializers.CharField(source="get_outcome_display")
    next_contract = serializers.IntegerField(
        source="next_contract_id",
        allow_null=True,
        help_text="The next year's draft contract, once CLAIR confirmed both said yes",
    )


class ReappointmentCountRowSerializer(serializers.Serializer):
    prefecture = serializers.CharField(source="organisation__prefecture_id", help_text="JIS code")
    prefecture_name_en = serializers.CharField(source="organisation__prefecture__name_en")
    prefecture_name_ja = serializers.CharField(source="organisation__prefecture__name_ja")
    position_type = serializers.CharField(source="placement__position__type")
    contract_year = serializers.IntegerField()
    organisation_answer = organisation_answer()
    participant_answer = participant_answer()
    outcome = outcome()
    n = serializers.IntegerField(help_text="Number of participants")


class ReappointmentCountsOutputSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    total = serializers.IntegerField()
    rows = ReappointmentCountRowSerializer(many=True)


# --- rounds ----------------------------------------------------------------------------


class ReappointmentRoundViewSet(
    CallerLocaleMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Re-appointment rounds: CLAIR and MIC see every round, an organisation or a
    participant the rounds they have cases in. CLAIR's actions on a round are added in
    apps/clair/api_reappointment.py."""

    serializer_class = ReappointmentRoundOutputSerializer
    pagination_class = CountedPagination
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.reappointment_round_list(user=self.request.user)

    def get_object(self):
        return selectors.reappointment_round_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses={200: ReappointmentCountsOutputSerializer})
    @action(detail=True, methods=["get"], pagination_class=None)
    def counts(self, request, pk=None):
        """The round in numbers, without names: by prefecture, position type, contract
        year, each side's answer and the outcome. CLAIR and MIC the whole round; an
        organisation its own participants."""
        round_ = self.get_object()
        if request.user.kind not in COUNTS_KINDS:
            raise exceptions.PermissionDenied(
                _("The round's counts are for CLAIR, MIC and organisations.")
            )
        rows = selectors.reappointment_counts(user=request.user, round=round_)
        output = {"round": round_.pk, "total": sum(row["n"] for row in rows), "rows": rows}
        return Response(ReappointmentCountsOutputSerializer(output).data)


# --- cases -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("round", int),
            OpenApiParameter("organisation", int),
            OpenApiParameter("prefecture", str, description="JIS code"),
            OpenApiParameter(
                "waiting",
                str,
                enum=["organisation", "participant"],
                description="Only cases still waiting for that side's answer",
            ),
        ]
    )
)
class ReappointmentCaseViewSet(
    CallerLocaleMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Re-appointment cases: CLAIR all, an organisation its own participants', a
    participant their own; MIC none (it reads a round's counts). The answers and CLAIR's
    reopening are mounted next to these, each from its actor's app."""

    serializer_class = ReappointmentCaseOutputSerializer
    pagination_class = CountedPagination
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        params = self.request.query_params
        waiting = params.get("waiting")
        round_id = _id(params.get("round"))
        organisation_id = _id(params.get("organisation"))
        cases = selectors.reappointment_case_list(
            user=self.request.user,
            prefecture=(params.get("prefecture") or "")[:2] or None,
            waiting=waiting if waiting in ("organisation", "participant") else None,
        )
        if round_id is not None:
            cases = cases.filter(round_id=round_id)
        if organisation_id is not None:
            cases = cases.filter(organisation_id=organisation_id)
        return cases

    def get_object(self):
        return case_get(self.request.user, self.kwargs["pk"])


def case_get(user, pk) -> ReappointmentCase:
    """A case with everything its output shows, or 404 where `user` may not see it (the
    list's selector, so a case and the list cannot disagree)."""
    try:
        return selectors.reappointment_case_list(user=user).get(pk=pk)
    except (ReappointmentCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_response(user, case, *, status_code: int = 200) -> Response:
    return Response(
        ReappointmentCaseOutputSerializer(case_get(user, case.pk)).data, status=status_code
    )
