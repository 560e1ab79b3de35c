"""The re-appointment round in the API: rounds, cases, a round's counts, and each
side's actions on them.

Who sees what is the selectors' (`reappointment_round_list`, `reappointment_case_list`,
`reappointment_counts`), the same as the pages: CLAIR every case, an organisation its
own participants', a participant their own, MIC none (a round's counts only). Who may
act is the access rule's, asked by the restricted base before the service runs: CLAIR
opens, reminds, confirms and reopens; the organisation answers for its participants;
the participant for themselves. A round or case the caller cannot see is 404; one they
see but may not act on is 403; the service then checks the round's rules (400 with its
message).

Answers and outcomes are codes; each has its label, in the caller's language, beside it.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import selectors as core_selectors
from apps.core.api import fields as api_fields
from apps.core.api.common import CallerLocaleMixin, NamedChoiceField, note_field, year_field
from apps.core.api.filters import (
    FilteredListMixin,
    IntegerFilter,
    ListFilters,
    PrefectureFilter,
    list_filters,
)
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.disclosure_api import CountField
from apps.core.models import ProgrammeYear
from apps.reappointment import rules, selectors, services
from apps.reappointment.counts import counts_rows
from apps.reappointment.models import ReappointmentCase, ReappointmentRound

Case = ReappointmentCase

CLAIR_ONLY = _lazy("Only CLAIR runs the re-appointment round.")


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


# --- output ----------------------------------------------------------------------------


class ReappointmentRoundOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    programme_year = serializers.IntegerField(
        source="programme_year.year", help_text="The year whose terms the round fills"
    )
    state = round_state()
    state_label = api_fields.CharField(source="get_state_display")
    organisation_deadline = api_fields.DateTimeField()
    participant_deadline = api_fields.DateTimeField()
    confirmation_deadline = api_fields.DateTimeField()
    opened_at = api_fields.DateTimeField()
    confirmed_at = api_fields.DateTimeField(allow_null=True)
    early_reason = api_fields.CharField(
        help_text="Why a CLAIR manager confirmed before the last answer deadline, if so"
    )


class ReappointmentReasonsSerializer(api_fields.Serializer):
    organisation = api_fields.CharField(
        source="organisation_reason", help_text="Why the organisation does not offer"
    )
    participant = api_fields.CharField(
        source="participant_reason", help_text="The participant's reason, if they gave one"
    )
    reopen = api_fields.CharField(
        source="reopen_reason", help_text="Why CLAIR reopened the case for a late answer"
    )
    limit = serializers.SerializerMethodField(
        help_text="Why the participant may not continue, if they may not"
    )

    def get_limit(self, case) -> str:
        return rules.may_continue(case.years_so_far)[1]


class ReappointmentCaseOutputSerializer(api_fields.Serializer):
    """One participant in a round: both answers, CLAIR's reopening and the outcome."""

    id = serializers.IntegerField()
    round = serializers.IntegerField(source="round_id")
    programme_year = serializers.IntegerField(source="round.programme_year.year")
    participant = serializers.IntegerField(source="participant_id", help_text="User id")
    participant_name = api_fields.CharField(source="participant.get_full_name")
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = api_fields.CharField(source="organisation.name")
    prefecture = api_fields.CharField(source="organisation.prefecture_id", help_text="JIS code")
    placement = serializers.IntegerField(source="placement_id")
    # A plain string in the schema: the same codes are already the applications' PositionEnum.
    position_type = api_fields.CharField(
        source="placement.position.type", help_text="ALT, CIR or SEA"
    )
    contract = serializers.IntegerField(source="contract_id", help_text="The contract in force")
    contract_year = serializers.IntegerField(help_text="Of the contract in force")
    contract_end = api_fields.DateField(source="contract.end_date")
    years_so_far = serializers.IntegerField(
        help_text="Years on the programme, this one and earlier JET years included"
    )
    may_continue = serializers.BooleanField(help_text="False at five years in all")
    needs_grounds = serializers.BooleanField(
        source="next_year_needs_grounds",
        help_text="An offer needs the organisation's grounds (a fourth or fifth year)",
    )
    organisation_answer = organisation_answer()
    organisation_answer_label = api_fields.CharField(source="get_organisation_answer_display")
    organisation_answered_at = api_fields.DateTimeField(allow_null=True)
    grounds = api_fields.CharField(help_text="Why the work justifies a fourth or fifth year")
    participant_answer = participant_answer()
    participant_answer_label = api_fields.CharField(source="get_participant_answer_display")
    participant_answered_at = api_fields.DateTimeField(allow_null=True)
    reasons = ReappointmentReasonsSerializer(source="*")
    reopened_until = api_fields.DateTimeField(allow_null=True)
    outcome = outcome()
    outcome_label = api_fields.CharField(source="get_outcome_display")
    next_contract = serializers.IntegerField(
        source="next_contract_id",
        allow_null=True,
        help_text="The next year's draft contract, once CLAIR confirmed both said yes",
    )


class ReappointmentCountRowSerializer(api_fields.Serializer):
    prefecture = api_fields.CharField(source="organisation__prefecture_id", help_text="JIS code")
    prefecture_name_en = api_fields.CharField(source="organisation__prefecture__name_en")
    prefecture_name_ja = api_fields.CharField(source="organisation__prefecture__name_ja")
    position_type = api_fields.CharField(source="placement__position__type")
    contract_year = serializers.IntegerField()
    organisation_answer = organisation_answer()
    participant_answer = participant_answer()
    outcome = outcome()
    n = CountField(help_text="Number of participants; hidden when small, for MIC.")


class ReappointmentCountsOutputSerializer(api_fields.Serializer):
    round = serializers.IntegerField()
    total = CountField(help_text="Participants of the round that you may count.")
    rows = ReappointmentCountRowSerializer(many=True)


# --- input -----------------------------------------------------------------------------


class ReappointmentRoundOpenInputSerializer(api_fields.Serializer):
    programme_year = year_field(
        required=False,
        help_text="The year whose terms the round fills; the current one if left out",
    )
    organisation_deadline = api_fields.DateTimeField()
    participant_deadline = api_fields.DateTimeField()
    confirmation_deadline = api_fields.DateTimeField()


class ReappointmentRoundConfirmInputSerializer(api_fields.Serializer):
    # Required before the last answer deadline (a CLAIR manager only): the service says
    # so in its own words.
    early_reason = note_field(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why a CLAIR manager confirms before the last answer deadline; kept on the round",
    )


class ReappointmentRoundConfirmOutputSerializer(api_fields.Serializer):
    round = ReappointmentRoundOutputSerializer()
    continues = serializers.IntegerField(help_text="Re-appointed: the next draft contract made")
    leaves = serializers.IntegerField(
        help_text="Leaving: registered for the Conference for Returning JETs, mission told"
    )


class ReappointmentRoundRemindOutputSerializer(api_fields.Serializer):
    sent = serializers.IntegerField(help_text="Reminders recorded (none twice the same day)")


class ReappointmentReopenInputSerializer(api_fields.Serializer):
    # Required, but the service says so in its own words.
    reason = note_field(required=False, allow_blank=True, default="")
    until = api_fields.DateTimeField(help_text="The late answer is taken until then")


class ReappointmentOrganisationAnswerInputSerializer(api_fields.Serializer):
    offer = serializers.BooleanField(help_text="Offer re-appointment for another year")
    # Required when not offering, and grounds for a fourth or fifth year: the service
    # says so in its own words.
    reason = note_field(
        required=False, allow_blank=True, default="", help_text="Why not, when not offering"
    )
    grounds = note_field(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the work justifies a fourth or fifth year",
    )


# `continue` is a Python keyword, so that field is added by name in `get_fields`.
class ReappointmentParticipantAnswerInputSerializer(api_fields.Serializer):
    reason = note_field(required=False, allow_blank=True, default="", help_text="Optional")

    def get_fields(self):
        fields = super().get_fields()
        fields["continue"] = serializers.BooleanField(
            help_text="Wish to continue for another year (false: leave with the term)"
        )
        return fields


# --- rounds ----------------------------------------------------------------------------


class ReappointmentRoundViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Re-appointment rounds: CLAIR and MIC see every round, an organisation or a
    participant the rounds they have cases in. CLAIR opens a round (every participant
    with a contract in force today is in it), reminds and confirms it."""

    serializer_class = ReappointmentRoundOutputSerializer
    pagination_class = CountedPagination
    lookup_value_regex = r"[0-9]+"
    access_model = ReappointmentRound
    model_action_perms = {"create": "add"}
    action_perms = {"confirm": "change", "remind": "change", "counts": "count"}
    action_messages = {
        "create": CLAIR_ONLY,
        "confirm": CLAIR_ONLY,
        "remind": CLAIR_ONLY,
        "counts": _lazy("The round's counts are for CLAIR, MIC and organisations."),
    }

    def get_queryset(self):
        return selectors.reappointment_round_list(user=self.request.user)

    def _fresh(self, round_, code=status.HTTP_200_OK) -> Response:
        round_ = selectors.reappointment_round_get(user=self.request.user, pk=round_.pk)
        return Response(self.get_serializer(round_).data, status=code)

    @extend_schema(
        request=ReappointmentRoundOpenInputSerializer,
        responses={201: ReappointmentRoundOutputSerializer},
    )
    def create(self, request):
        """Open the round for a programme year, with the organisations', participants'
        and CLAIR's deadlines, in that order."""
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

    @extend_schema(
        request=ReappointmentRoundConfirmInputSerializer,
        responses={200: ReappointmentRoundConfirmOutputSerializer},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def confirm(self, request, pk=None):
        """Close the round: where both said yes the next year's draft contract is made;
        everyone else leaves. Once only. Before the last answer deadline, only a CLAIR
        manager confirms, giving `early_reason`."""
        round_ = self.get_object()
        data = ReappointmentRoundConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = services.round_confirm(
            by=request.user, round_=round_, early_reason=data.validated_data["early_reason"]
        )
        round_ = selectors.reappointment_round_get(user=request.user, pk=round_.pk)
        return Response(
            ReappointmentRoundConfirmOutputSerializer({"round": round_, **outcome}).data
        )

    @extend_schema(request=None, responses={200: ReappointmentRoundRemindOutputSerializer})
    @action(detail=True, methods=["post"], pagination_class=None)
    def remind(self, request, pk=None):
        """Remind, now, the organisations and participants who have not answered."""
        round_ = self.get_object()
        sent = services.round_remind(by=request.user, round_=round_)
        return Response(ReappointmentRoundRemindOutputSerializer({"sent": sent}).data)

    @extend_schema(responses={200: ReappointmentCountsOutputSerializer})
    @action(detail=True, methods=["get"], pagination_class=None)
    def counts(self, request, pk=None):
        """The round in numbers, without names: by prefecture, position type, contract
        year, each side's answer and the outcome. CLAIR and MIC the whole round; an
        organisation its own participants. For MIC, which sees no case, a count below 3
        is "fewer_than_3" (and another "withheld" where the total would give it away)."""
        round_ = self.get_object()
        output = counts_rows(
            selectors.reappointment_counts(user=request.user, round=round_),
            protect=selectors.reappointment_counts_only(user=request.user, round=round_),
        )
        output["round"] = round_.pk
        return Response(ReappointmentCountsOutputSerializer(output).data)


# --- cases -----------------------------------------------------------------------------


class ReappointmentCaseFilters(ListFilters):
    round = IntegerFilter(help_text="Round id")
    organisation = IntegerFilter(help_text="Organisation id")
    prefecture = PrefectureFilter()
    waiting = filters.ChoiceFilter(
        choices=[("organisation", "organisation"), ("participant", "participant")],
        help_text="Only cases still waiting for that side's answer",
    )

    class Meta(ListFilters.Meta):
        model = ReappointmentCase


class ReappointmentCaseViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Re-appointment cases: CLAIR all, an organisation its own participants', a
    participant their own; MIC none (it reads a round's counts). Each side's answer and
    CLAIR's reopening are the views below."""

    serializer_class = ReappointmentCaseOutputSerializer
    pagination_class = CountedPagination
    filterset_class = ReappointmentCaseFilters
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        # A case's own address ignores the list's filters.
        params = list_filters(self) if self.action == "list" else {}
        round_id = params.get("round")
        organisation_id = params.get("organisation")
        cases = selectors.reappointment_case_list(
            user=self.request.user,
            prefecture=params.get("prefecture"),
            waiting=params.get("waiting"),
        )
        if round_id is not None:
            cases = cases.filter(round_id=round_id)
        if organisation_id is not None:
            cases = cases.filter(organisation_id=organisation_id)
        return cases


def case_get(user, pk) -> ReappointmentCase:
    """A case with everything its output shows, or 404 where `user` may not see it (the
    list's selector, so a case and the list cannot disagree)."""
    try:
        return selectors.reappointment_case_list(user=user).get(pk=pk)
    except (ReappointmentCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


class CaseActionView(CallerLocaleMixin, RestrictedQuerysetMixin, generics.GenericAPIView):
    """One action on one case: the case comes through the list's selector (404 where the
    caller cannot see it), the access rule checks `object_action` (403), the service the
    round's rules (400). Answers with the case as the list shows it."""

    serializer_class = ReappointmentCaseOutputSerializer

    def get_queryset(self):
        return selectors.reappointment_case_list(user=self.request.user)

    def answer(self, case) -> Response:
        return Response(self.get_serializer(case_get(self.request.user, case.pk)).data)


class ReappointmentCaseReopenView(CaseActionView):
    """CLAIR lets one late answer in, until a given time, with the reason; the reason
    and who reopened the case stay in its history."""

    object_action = "reopen"
    denied_message = CLAIR_ONLY

    @extend_schema(
        request=ReappointmentReopenInputSerializer,
        responses={200: ReappointmentCaseOutputSerializer},
    )
    def post(self, request, pk):
        case = self.get_object()
        data = ReappointmentReopenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(services.case_reopen(by=request.user, case=case, **data.validated_data))


class ReappointmentOrganisationAnswerView(CaseActionView):
    """The organisation's answer, changeable until its deadline (or while CLAIR has
    reopened the case); the participant is told."""

    object_action = "organisation_answer"
    denied_message = _lazy("Only the participant's organisation answers for itself.")

    @extend_schema(
        request=ReappointmentOrganisationAnswerInputSerializer,
        responses={200: ReappointmentCaseOutputSerializer},
    )
    def post(self, request, pk):
        case = self.get_object()
        data = ReappointmentOrganisationAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(
            services.organisation_answer(by=request.user, case=case, **data.validated_data)
        )


class ReappointmentParticipantAnswerView(CaseActionView):
    """The participant's answer, changeable until their deadline (or while CLAIR has
    reopened the case)."""

    object_action = "participant_answer"
    denied_message = _lazy("Only the participant answers for themselves.")

    @extend_schema(
        request=ReappointmentParticipantAnswerInputSerializer,
        responses={200: ReappointmentCaseOutputSerializer},
    )
    def post(self, request, pk):
        case = self.get_object()
        data = ReappointmentParticipantAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.answer(
            services.participant_answer(
                by=request.user,
                case=case,
                wishes_to_continue=data.validated_data["continue"],
                reason=data.validated_data["reason"],
            )
        )
