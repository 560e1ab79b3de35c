"""Positions, placements, contracts and suggestion runs in the API, each actor's actions
on them included. Who sees which is the same selector as the pages (`position_list`,
`placement_list`, `contract_list`, `matching_run_list`): anything else is 404. On what
one sees, an action is the access rule's to allow (403 with the service's message);
the service then checks the transition (400 with its message).

- positions: a contracting organisation requests; MIC approves or returns;
- placements: CLAIR places by hand; the organisation accepts or declines; the candidate
  then accepts or withdraws;
- contracts: the organisation completes the terms, issues, countersigns or starts a new
  version; the participant signs; each party downloads the bilingual PDF;
- suggestion runs: CLAIR starts one (a background job), reviews and overrides its lines;
  a CLAIR manager approves it, whole or line by line, or rejects a line.
"""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import access
from apps.core.api import fields as api_fields
from apps.core.api.common import (
    FileNegotiation,
    file_responses,
    id_field,
    ids_field,
    note_field,
    text_field,
)
from apps.core.api.filters import (
    FilteredListMixin,
    IntegerFilter,
    ListFilters,
    YesNoFilter,
    list_filters,
)
from apps.core.api.pagination import CountedPagination, CursorPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.selectors import programme_year_current
from apps.placement import engine, matching, selectors, services
from apps.placement.documents import contract_pdf, contract_pdf_filename
from apps.placement.models import Contract, MatchingLine, MatchingRun, Placement, PositionRequest
from apps.placement.notes import move_row, note_text, unmet_summary
from apps.recruitment import selectors as recruitment_selectors
from apps.recruitment.choices import DrivingLicence, JapaneseLevel, LocationPreference, Position

# The position codes as their own choice set: the schema names it TypeEnum, apart from
# the guidelines' PositionEnum (same codes, long labels).
TYPE_CHOICES = [(code, code) for code in Position.values]


def _position_or_400(user, pk: int) -> PositionRequest:
    position = selectors.position_list(user=user).filter(pk=pk).first()
    if position is None:
        raise serializers.ValidationError({"position": [_("There is no such position.")]})
    return position


# --- positions -------------------------------------------------------------------------


class PositionOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    programme_year = serializers.IntegerField(source="programme_year.year")
    organisation = serializers.IntegerField(source="organisation_id")
    prefecture = api_fields.CharField(source="prefecture_id", help_text="JIS prefecture code")
    type = serializers.ChoiceField(choices=TYPE_CHOICES)
    school_level = serializers.ChoiceField(
        choices=PositionRequest.SchoolLevel.choices, allow_blank=True
    )
    base = api_fields.CharField()
    base_ja = api_fields.CharField()
    municipality = api_fields.CharField()
    municipality_ja = api_fields.CharField()
    location = serializers.ChoiceField(choices=LocationPreference.choices[:3])
    driving_licence_required = serializers.ChoiceField(
        choices=DrivingLicence.choices[1:], allow_blank=True
    )
    min_japanese_level = serializers.ChoiceField(choices=JapaneseLevel.choices, allow_blank=True)
    cir_language = api_fields.CharField()
    housing = serializers.ChoiceField(choices=PositionRequest.Housing.choices)
    state = serializers.ChoiceField(choices=PositionRequest.State.choices)
    return_reason = api_fields.CharField()


class DeclineOutputSerializer(api_fields.Serializer):
    position = serializers.IntegerField()
    organisation = api_fields.CharField()
    date = serializers.DateField()
    reason = api_fields.CharField()
    text = api_fields.CharField(help_text="Declined by <organisation> on <date>: <reason>")


def _decline(params: dict) -> dict:
    return params | {"text": note_text({"code": matching.DECLINED, "params": params})}


class PositionFitOutputSerializer(api_fields.Serializer):
    """One open position for the chosen candidate; the list's order is the ranking."""

    position = PositionOutputSerializer()
    organisation_name = api_fields.CharField(source="position.organisation.name")
    acceptable = serializers.SerializerMethodField(
        help_text="Meets every hard requirement and was not declined by its organisation"
    )
    preference_rank = serializers.IntegerField(source="ranked.fit.preference_rank", allow_null=True)
    cost = serializers.IntegerField(source="ranked.fit.cost", help_text="The engine's; lower fits")
    unmet = serializers.SerializerMethodField(help_text="Does not meet: the failing requirements")
    failures = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    declined = serializers.SerializerMethodField()

    def get_acceptable(self, row) -> bool:
        return row["ranked"].group == 0

    def get_unmet(self, row) -> str:
        failures = row["ranked"].fit.failures
        return unmet_summary(failures) if failures else ""

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_failures(self, row) -> list:
        return engine.as_dicts(row["ranked"].fit.failures)

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_notes(self, row) -> list:
        return engine.as_dicts(row["ranked"].fit.notes)

    @extend_schema_field(DeclineOutputSerializer(allow_null=True))
    def get_declined(self, row) -> dict | None:
        declined = row["ranked"].declined
        return DeclineOutputSerializer(_decline(declined)).data if declined else None


class PositionCreateInputSerializer(api_fields.Serializer):
    type = serializers.ChoiceField(choices=TYPE_CHOICES)
    school_level = serializers.ChoiceField(
        choices=PositionRequest.SchoolLevel.choices, allow_blank=True, required=False, default=""
    )
    base = api_fields.CharField(max_length=200)
    base_ja = api_fields.CharField(max_length=200, allow_blank=True, required=False, default="")
    city = api_fields.CharField(max_length=30, allow_blank=True, required=False, default="")
    municipality = api_fields.CharField(max_length=100)
    municipality_ja = api_fields.CharField(
        max_length=100, allow_blank=True, required=False, default=""
    )
    location = serializers.ChoiceField(choices=LocationPreference.choices[:3])
    driving_licence_required = serializers.ChoiceField(
        choices=DrivingLicence.choices[1:], allow_blank=True, required=False, default=""
    )
    min_japanese_level = serializers.ChoiceField(
        choices=JapaneseLevel.choices, allow_blank=True, required=False, default=""
    )
    cir_language = api_fields.CharField(
        max_length=100, allow_blank=True, required=False, default=""
    )
    housing = serializers.ChoiceField(choices=PositionRequest.Housing.choices)
    description = text_field(allow_blank=True, required=False, default="")
    seats = serializers.IntegerField(min_value=1, max_value=50, default=1)


class PositionReturnInputSerializer(api_fields.Serializer):
    reason = note_field(allow_blank=True, required=False, default="")


class PositionViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Positions, one row per seat. A contracting organisation sees and requests its own;
    MIC sees all and approves or returns them; CLAIR sees the approved ones."""

    serializer_class = PositionOutputSerializer
    pagination_class = CountedPagination
    lookup_value_regex = r"[0-9]+"
    model_action_perms = {"create": "add"}
    action_perms = {"approve": "review", "return_position": "review"}
    action_messages = {
        "create": services.ONLY_ORGANISATIONS_REQUEST,
        "approve": services.ONLY_MIC_REVIEWS,
        "return_position": services.ONLY_MIC_REVIEWS,
    }

    def get_queryset(self):
        return selectors.position_list(user=self.request.user).select_related("programme_year")

    @extend_schema(
        request=PositionCreateInputSerializer,
        responses={201: PositionOutputSerializer(many=True)},
    )
    def create(self, request):
        data = PositionCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        seats = values.pop("seats")
        created = services.position_request_create(by=request.user, seats=seats, **values)
        return Response(
            PositionOutputSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: PositionOutputSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        position = self.get_object()
        services.positions_review(by=request.user, positions=[position], approve=True)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("candidate", int, required=True, description="Application id"),
            OpenApiParameter("page", int),
        ],
        responses={200: PositionFitOutputSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="fit", url_name="fit")
    def fit(self, request):
        """The board's ranking for one candidate: every open position with its fit, best
        first (the engine's cost); positions whose organisation declined the candidate
        next, those failing a hard requirement last. CLAIR only."""
        access.require_allowed(request.user, "add", Placement, services.ONLY_CLAIR_PLACES)
        year = programme_year_current()
        candidate = str(request.query_params.get("candidate", ""))
        application = None
        if year is not None and candidate.isdigit():
            application = (
                selectors.board_candidates(user=request.user, programme_year=year)
                .filter(pk=candidate)
                .first()
            )
        if application is None:
            raise serializers.ValidationError(
                {"candidate": [_("There is no such candidate to place.")]}
            )
        ranked = selectors.board_fit(
            user=request.user, programme_year=year, application=application
        )
        page = self.paginate_queryset(ranked)
        shown = selectors.board_positions(user=request.user, programme_year=year).in_bulk(
            [r.position_id for r in page]
        )
        rows = [{"ranked": r, "position": shown[r.position_id]} for r in page]
        return self.get_paginated_response(PositionFitOutputSerializer(rows, many=True).data)

    @extend_schema(request=PositionReturnInputSerializer, responses={200: PositionOutputSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_position(self, request, pk=None):
        position = self.get_object()
        data = PositionReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.positions_review(
            by=request.user,
            positions=[position],
            approve=False,
            reason=data.validated_data["reason"],
        )
        return Response(self.get_serializer(self.get_object()).data)


# --- placements ------------------------------------------------------------------------


class PlacementOutputSerializer(api_fields.Serializer):
    """What every party to a placement may read: where and when, never scores or health."""

    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    application_number = api_fields.CharField(source="application.number")
    candidate_name = api_fields.CharField(source="application.full_name")
    country = api_fields.CharField(source="application.country_id", help_text="ISO 3166-1")
    position = serializers.IntegerField(source="position_id")
    # A plain string in the schema: the same codes are already the applications' PositionEnum.
    position_type = api_fields.CharField(source="position.type", help_text="ALT, CIR or SEA")
    organisation = serializers.IntegerField(source="position.organisation_id")
    organisation_name = api_fields.CharField(source="position.organisation.name")
    prefecture = api_fields.CharField(source="position.prefecture_id", help_text="JIS code")
    municipality = api_fields.CharField(source="position.municipality")
    school_level = serializers.ChoiceField(
        source="position.school_level",
        choices=PositionRequest.SchoolLevel.choices,
        allow_blank=True,
    )
    arrival_group = serializers.ChoiceField(choices=Placement.ArrivalGroup.choices)
    status = serializers.ChoiceField(choices=Placement.Status.choices)
    decline_reason = api_fields.CharField()
    confirmed_at = api_fields.DateTimeField()
    decided_at = api_fields.DateTimeField(allow_null=True)


class ContractOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    placement = serializers.IntegerField(source="placement_id")
    participant = serializers.IntegerField(
        source="placement.application.applicant_id", help_text="User id"
    )
    participant_name = api_fields.CharField(source="placement.application.applicant.get_full_name")
    organisation = serializers.IntegerField(source="placement.position.organisation_id")
    organisation_name = api_fields.CharField(source="placement.position.organisation.name")
    contract_year = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Contract.Status.choices)
    status_label = api_fields.CharField(
        help_text="The status as the reader is told it: an in-force contract whose term is over "
        "reads as ended"
    )
    start_date = api_fields.DateField()
    end_date = api_fields.DateField()
    remuneration = serializers.IntegerField(help_text="Yen a year")
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1)
    paid_leave_days = serializers.IntegerField()
    conditions_en = api_fields.CharField()
    conditions_ja = api_fields.CharField()
    participant_signed_at = api_fields.DateTimeField(allow_null=True)
    countersigned_at = api_fields.DateTimeField(allow_null=True)
    created_at = api_fields.DateTimeField()


class PlacementConfirmInputSerializer(api_fields.Serializer):
    application = id_field(help_text="Id of a forwarded candidate")
    position = id_field(help_text="Id of an approved open position")
    arrival_group = serializers.ChoiceField(
        choices=Placement.ArrivalGroup.choices, default=Placement.ArrivalGroup.A
    )


class PlacementDeclineInputSerializer(api_fields.Serializer):
    # Required, but the service says so in its own words.
    reason = note_field(required=False, allow_blank=True, default="")


class PlacementWithdrawInputSerializer(api_fields.Serializer):
    reason = note_field(required=False, allow_blank=True, default="")


class PlacementFilters(ListFilters):
    status = filters.ChoiceFilter(choices=Placement.Status.choices)
    active = YesNoFilter(help_text="Only placements still in force")

    class Meta(ListFilters.Meta):
        model = Placement


class PlacementPages(CursorPagination):
    """Every placement of the programme for CLAIR and MOFA (thousands a year): paged by a
    cursor in the list's own order, newest first, with no COUNT of them all on every page
    (2 ms of an embassy's 4.4 over its 22,000, bench/load.py's scaled world)."""

    ordering = ("-confirmed_at", "-pk")


class PlacementViewSet(
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Placements: CLAIR and MOFA headquarters read all, a mission its own candidates',
    a contracting organisation those offered to it, a candidate their own once the
    organisation has accepted."""

    serializer_class = PlacementOutputSerializer
    pagination_class = PlacementPages
    filterset_class = PlacementFilters
    lookup_value_regex = r"[0-9]+"
    model_action_perms = {"confirm": "add"}
    action_perms = {
        "accept": "change",
        "decline": "change",
        "candidate_accept": "answer",
        "withdraw": "answer",
    }
    action_messages = {
        "confirm": services.ONLY_CLAIR_PLACES,
        "accept": services.NOT_YOUR_PLACEMENT,
        "decline": services.NOT_YOUR_PLACEMENT,
        "candidate_accept": services.ONLY_THE_CANDIDATE_ANSWERS,
        "withdraw": services.ONLY_THE_CANDIDATE_ANSWERS,
    }

    def get_queryset(self):
        if self.action != "list":
            # One placement's own address (and its actions) ignores the list's filters.
            return selectors.placement_list(user=self.request.user)
        params = list_filters(self)
        return selectors.placement_list(
            user=self.request.user,
            status=params.get("status"),
            active_only=params.get("active", False),
        )

    def _out(self, placement: Placement) -> Response:
        placement = selectors.placement_get(user=self.request.user, pk=placement.pk)
        return Response(PlacementOutputSerializer(placement).data)

    @extend_schema(
        request=PlacementConfirmInputSerializer, responses={201: PlacementOutputSerializer}
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def confirm(self, request):
        """CLAIR places a forwarded candidate in an approved position; the organisation is
        told and answers."""
        data = PlacementConfirmInputSerializer(data=request.data)
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
        response = self._out(placement)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=None, responses={200: PlacementOutputSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The organisation takes the candidate CLAIR placed with it; the candidate and
        the mission are told."""
        return self._out(services.placement_accept(by=request.user, placement=self.get_object()))

    @extend_schema(
        request=PlacementDeclineInputSerializer, responses={200: PlacementOutputSerializer}
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The organisation turns the candidate down, with its reason; CLAIR is told."""
        placement = self.get_object()
        data = PlacementDeclineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement = services.placement_decline(
            by=request.user, placement=placement, reason=data.validated_data["reason"]
        )
        return self._out(placement)

    @extend_schema(request=None, responses={201: ContractOutputSerializer})
    @action(detail=True, methods=["post"], url_path="candidate-accept")
    def candidate_accept(self, request, pk=None):
        """The candidate takes the placement: they become a participant and the draft
        contract is made for the organisation to complete and issue."""
        contract = services.placement_candidate_accept(by=request.user, placement=self.get_object())
        contract = selectors.contract_get(user=request.user, pk=contract.pk)
        return Response(ContractOutputSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PlacementWithdrawInputSerializer, responses={200: PlacementOutputSerializer}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The candidate withdraws: the position is open again and any unsigned contract
        is cancelled."""
        placement = self.get_object()
        data = PlacementWithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement = services.placement_withdraw(
            by=request.user, placement=placement, reason=data.validated_data["reason"]
        )
        return self._out(placement)


# --- contracts -------------------------------------------------------------------------


class ContractTermsInputSerializer(api_fields.Serializer):
    # Bounded only so far as a column can hold: the terms' rules (apps/placement/services.py)
    # refuse what is outside them in their own words, on the page and here alike.
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    paid_leave_days = serializers.IntegerField(min_value=0, max_value=366, required=False)
    conditions_en = text_field(required=False, allow_blank=True)
    conditions_ja = text_field(required=False, allow_blank=True)


class ContractSignInputSerializer(api_fields.Serializer):
    typed_name = api_fields.CharField(
        max_length=200, allow_blank=True, help_text="Full name, as on the account"
    )
    agree = serializers.BooleanField()


class ContractFilters(ListFilters):
    placement = IntegerFilter(help_text="Placement id")

    class Meta(ListFilters.Meta):
        model = Contract


class ContractPages(CursorPagination):
    """Every contract version for CLAIR (one or more a participant, thousands a year):
    paged by a cursor in the list's own order, each placement's versions together, newest
    first, with no COUNT of them all on every page."""

    ordering = ("placement_id", "-contract_year", "-version")


class ContractViewSet(
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Contracts, every version: the organisation its own, the participant theirs, CLAIR
    all; nobody else."""

    serializer_class = ContractOutputSerializer
    pagination_class = ContractPages
    filterset_class = ContractFilters
    lookup_value_regex = r"[0-9]+"
    action_perms = {
        "terms": "change",
        "issue": "change",
        "countersign": "change",
        "new_version": "change",
        "sign": "sign",
    }
    action_messages = {
        "terms": services.NOT_YOUR_CONTRACT,
        "issue": services.NOT_YOUR_CONTRACT,
        "countersign": services.NOT_YOUR_CONTRACT,
        "new_version": services.NOT_YOUR_CONTRACT,
        "sign": services.ONLY_THE_PARTICIPANT_SIGNS,
    }

    def get_queryset(self):
        contracts = selectors.contract_list(user=self.request.user)
        # One contract's own address (and its actions) ignores the list's filter.
        placement = list_filters(self).get("placement") if self.action == "list" else None
        if placement is not None:
            contracts = contracts.filter(placement_id=placement)
        return contracts

    def _out(self, contract: Contract, code=status.HTTP_200_OK) -> Response:
        contract = selectors.contract_get(user=self.request.user, pk=contract.pk)
        return Response(ContractOutputSerializer(contract).data, status=code)

    @extend_schema(
        responses=file_responses("application/pdf", description="The bilingual contract")
    )
    @action(
        detail=True,
        methods=["get"],
        content_negotiation_class=FileNegotiation,
        pagination_class=None,
    )
    def pdf(self, request, pk=None):
        """The contract version as the bilingual PDF both parties sign."""
        contract = self.get_object()
        response = HttpResponse(contract_pdf(contract), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=contract_pdf_filename(contract)
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(request=ContractTermsInputSerializer, responses={200: ContractOutputSerializer})
    @action(detail=True, methods=["patch"])
    def terms(self, request, pk=None):
        """The organisation's part of a draft contract: hours, leave and its conditions."""
        contract = self.get_object()
        data = ContractTermsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._out(
            services.contract_update(by=request.user, contract=contract, **data.validated_data)
        )

    @extend_schema(request=None, responses={200: ContractOutputSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Send the draft to the participant to read and sign."""
        return self._out(services.contract_issue(by=request.user, contract=self.get_object()))

    @extend_schema(request=ContractSignInputSerializer, responses={200: ContractOutputSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """The participant signs an issued contract with their typed full name; the time
        and the address they signed from are kept with the version."""
        contract = self.get_object()
        data = ContractSignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = services.contract_sign(
            by=request.user,
            contract=contract,
            typed_name=data.validated_data["typed_name"],
            agree=data.validated_data["agree"],
            address=request.META.get("REMOTE_ADDR"),
        )
        return self._out(contract)

    @extend_schema(request=None, responses={200: ContractOutputSerializer})
    @action(detail=True, methods=["post"])
    def countersign(self, request, pk=None):
        """Countersign what the participant signed: the version comes into force."""
        return self._out(services.contract_countersign(by=request.user, contract=self.get_object()))

    @extend_schema(request=None, responses={201: ContractOutputSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """Start a change to an issued or signed contract: a new draft version."""
        contract = services.contract_new_version(by=request.user, contract=self.get_object())
        return self._out(contract, status.HTTP_201_CREATED)


# --- "Suggest placements" ---------------------------------------------------------------


class NoteOutputSerializer(api_fields.Serializer):
    """One reason or note of the engine, as a code (translated by the client) and its
    parameters."""

    code = api_fields.CharField()
    params = serializers.DictField(default=dict)


class MatchingRunOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    programme_year = serializers.IntegerField(source="programme_year.year")
    state = serializers.ChoiceField(choices=MatchingRun.State.choices)
    started_by = serializers.IntegerField(source="started_by_id")
    started_by_name = api_fields.CharField(source="started_by.get_full_name")
    created_at = api_fields.DateTimeField()
    finished_at = api_fields.DateTimeField(allow_null=True)
    previous = serializers.IntegerField(source="previous_id", allow_null=True)
    job = serializers.IntegerField(source="job_id", allow_null=True)
    stats = serializers.DictField(
        help_text="Candidates, positions, placed, by preference rank, couples, seconds"
    )


class MatchingRunStartedOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The run: its state, then its figures once ready")
    job = serializers.IntegerField()
    job_url = serializers.URLField(help_text="The page that shows the job's progress")


class MatchingLineOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    run = serializers.IntegerField(source="run_id")
    application = serializers.IntegerField(source="application_id")
    application_number = api_fields.CharField(source="application.number")
    candidate_name = api_fields.CharField(source="application.full_name")
    country = api_fields.CharField(source="application.country_id", help_text="ISO 3166-1")
    proposed_position = serializers.IntegerField(source="proposed_position_id", allow_null=True)
    position = serializers.IntegerField(source="position_id", allow_null=True)
    organisation_name = api_fields.CharField(
        source="position.organisation.name", allow_null=True, default=None
    )
    prefecture = api_fields.CharField(
        source="position.prefecture_id", allow_null=True, default=None, help_text="JIS code"
    )
    municipality = api_fields.CharField(
        source="position.municipality", allow_null=True, default=None
    )
    preference_rank = serializers.IntegerField(allow_null=True)
    cost = serializers.IntegerField()
    notes = NoteOutputSerializer(many=True)
    overridden = serializers.BooleanField()
    override_reason = api_fields.CharField()
    carried_from_run = serializers.IntegerField(
        source="carried_from.run_id",
        allow_null=True,
        default=None,
        help_text="The run whose change by hand this line keeps (null: none kept)",
    )
    declined = serializers.SerializerMethodField(
        help_text="Positions whose organisation declined this candidate: never proposed"
    )
    decision = serializers.ChoiceField(choices=MatchingLine.Decision.choices)
    decision_note = api_fields.CharField()
    placement = serializers.IntegerField(source="placement_id", allow_null=True)

    @extend_schema_field(DeclineOutputSerializer(many=True))
    def get_declined(self, line) -> list:
        found = [n["params"] for n in line.notes if n.get("code") == matching.DECLINED]
        return DeclineOutputSerializer([_decline(p) for p in found], many=True).data


class MatchingChangeOutputSerializer(api_fields.Serializer):
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
    override_reason = api_fields.CharField(
        allow_null=True, help_text="Why CLAIR staff changed this line by hand, if they did"
    )
    candidate_name = api_fields.CharField(source="name")
    before = api_fields.CharField(help_text="Where the candidate was: prefecture (municipality)")
    after = api_fields.CharField(help_text="Where the candidate is now")
    previous_organisation = api_fields.CharField(
        source="previous.organisation.name", allow_null=True, default=None
    )
    current_organisation = api_fields.CharField(
        source="current.organisation.name", allow_null=True, default=None
    )
    reason_texts = serializers.ListField(
        source="reasons", child=api_fields.CharField(), help_text="The reasons, in words"
    )
    summary = api_fields.CharField(help_text="Who moved, from where to where, and why")


class MatchingCompareOutputSerializer(api_fields.Serializer):
    previous = serializers.IntegerField(allow_null=True, help_text="The run compared with")
    changes = MatchingChangeOutputSerializer(many=True)


class MatchingRunViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Suggestion runs: CLAIR starts one (a background job), reviews its lines and what
    moved since the previous run; a CLAIR manager approves it, whole or line by line.
    Runs are CLAIR's working papers: to anyone else they do not exist (404)."""

    serializer_class = MatchingRunOutputSerializer
    pagination_class = CountedPagination
    lookup_value_regex = r"[0-9]+"
    access_model = MatchingRun
    model_action_perms = {"create": "add"}
    action_perms = {"approve": "approve"}
    action_messages = {
        "create": services.ONLY_CLAIR_PLACES,
        "approve": services.ONLY_MANAGERS_APPROVE,
    }

    class ApproveInputSerializer(api_fields.Serializer):
        lines = ids_field(
            required=False, help_text="Ids of the lines to approve; every proposed line if left out"
        )

    class ApproveOutputSerializer(api_fields.Serializer):
        approved = serializers.IntegerField()
        failed = serializers.IntegerField(help_text="Lines whose candidate or position was taken")

    def get_queryset(self):
        return selectors.matching_run_list(user=self.request.user)

    @extend_schema(request=None, responses={202: MatchingRunStartedOutputSerializer})
    def create(self, request):
        """Start a run over the current year's pool; it runs as a background job."""
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
        lines = selectors.matching_lines(run=self.get_object())
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ApproveInputSerializer, responses={200: ApproveOutputSerializer})
    @action(detail=True, methods=["post"], pagination_class=None)
    def approve(self, request, pk=None):
        """Place the proposed lines (all, or those listed), each on its own: a line whose
        candidate or position was taken meanwhile fails with its reason. CLAIR managers
        only."""
        run = self.get_object()
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
        changes = [move_row(move) for move in selectors.matching_run_moves(run=run)]
        output = {"previous": run.previous_id, "changes": changes}
        return Response(MatchingCompareOutputSerializer(output).data)


class MatchingLineViewSet(RestrictedQuerysetMixin, viewsets.GenericViewSet):
    """One line of a suggestion run: CLAIR staff change its position (or leave the
    candidate unplaced) with a reason; a CLAIR manager may reject it."""

    serializer_class = MatchingLineOutputSerializer
    lookup_value_regex = r"[0-9]+"
    action_perms = {"override": "change", "remove_override": "change", "reject": "reject"}
    action_messages = {
        "override": services.ONLY_CLAIR_PLACES,
        "remove_override": services.ONLY_CLAIR_PLACES,
        "reject": services.ONLY_MANAGERS_APPROVE,
    }

    class OverrideInputSerializer(api_fields.Serializer):
        position = id_field(
            allow_null=True, help_text="Id of an approved open position; null leaves unplaced"
        )
        reason = note_field(required=False, allow_blank=True, default="")

    class RejectInputSerializer(api_fields.Serializer):
        reason = note_field(required=False, allow_blank=True, default="")

    def get_queryset(self):
        return selectors.matching_line_list(user=self.request.user)

    def _out(self, line: MatchingLine) -> Response:
        line = selectors.matching_line_get(user=self.request.user, pk=line.pk)
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
        return self._out(line)

    @extend_schema(request=None, responses={200: MatchingLineOutputSerializer})
    @action(detail=True, methods=["post"], url_path="remove-override", url_name="remove-override")
    def remove_override(self, request, pk=None):
        """Take back the line's change by hand (made on this run, or carried from an
        earlier one): the next run no longer keeps it."""
        line = services.matching_line_override_remove(by=request.user, line=self.get_object())
        return self._out(line)

    @extend_schema(request=RejectInputSerializer, responses={200: MatchingLineOutputSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Leave the line out of the placement, with the reason. CLAIR managers only."""
        line = self.get_object()
        data = self.RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = services.matching_line_reject(
            by=request.user, line=line, reason=data.validated_data["reason"]
        )
        return self._out(line)
