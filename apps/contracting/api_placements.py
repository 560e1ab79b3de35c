"""A contracting organisation's actions on placements and contracts in the API: answer
a placement CLAIR offered, then complete, issue and countersign the contract.

Each view fetches through the shared selector (a placement or contract the user may not
see is 404) and asks for the organisation's "change" grant on it (a visible one the user
may not act on is 403); the service checks the transition (400 with its message)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.contracting import services
from apps.placement import selectors
from apps.placement.api import ContractOutputSerializer, PlacementOutputSerializer


def _placement(request, pk):
    return selectors.placement_get(user=request.user, pk=pk, perm="change")


def _placement_response(request, placement) -> Response:
    placement = selectors.placement_get(user=request.user, pk=placement.pk)
    return Response(PlacementOutputSerializer(placement).data)


def _contract(request, pk):
    return selectors.contract_get(user=request.user, pk=pk, perm="change")


def _contract_response(request, contract, *, created: bool = False) -> Response:
    contract = selectors.contract_get(user=request.user, pk=contract.pk)
    return Response(
        ContractOutputSerializer(contract).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


class PlacementAcceptView(APIView):
    """The organisation takes the candidate CLAIR placed with it; the candidate and the
    mission are told."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: PlacementOutputSerializer})
    def post(self, request, pk):
        placement = services.placement_accept(by=request.user, placement=_placement(request, pk))
        return _placement_response(request, placement)


class PlacementDeclineView(APIView):
    """The organisation turns the candidate down, with its reason; CLAIR is told."""

    permission_classes = [IsAuthenticated]

    class PlacementDeclineInputSerializer(serializers.Serializer):
        # Required, but the service says so in its own words.
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        request=PlacementDeclineInputSerializer, responses={200: PlacementOutputSerializer}
    )
    def post(self, request, pk):
        placement = _placement(request, pk)
        data = self.PlacementDeclineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement = services.placement_decline(
            by=request.user, placement=placement, reason=data.validated_data["reason"]
        )
        return _placement_response(request, placement)


class ContractTermsView(APIView):
    """The organisation's part of a draft contract: hours, leave and its conditions."""

    permission_classes = [IsAuthenticated]

    class ContractTermsInputSerializer(serializers.Serializer):
        hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
        paid_leave_days = serializers.IntegerField(required=False)
        conditions_en = serializers.CharField(required=False, allow_blank=True)
        conditions_ja = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(request=ContractTermsInputSerializer, responses={200: ContractOutputSerializer})
    def patch(self, request, pk):
        contract = _contract(request, pk)
        data = self.ContractTermsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = services.contract_update(
            by=request.user, contract=contract, **data.validated_data
        )
        return _contract_response(request, contract)


class ContractIssueView(APIView):
    """Send the draft to the participant to read and sign."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ContractOutputSerializer})
    def post(self, request, pk):
        contract = services.contract_issue(by=request.user, contract=_contract(request, pk))
        return _contract_response(request, contract)


class ContractCountersignView(APIView):
    """Countersign what the participant signed: the version comes into force."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ContractOutputSerializer})
    def post(self, request, pk):
        contract = services.contract_countersign(by=request.user, contract=_contract(request, pk))
        return _contract_response(request, contract)


class ContractNewVersionView(APIView):
    """Start a change to an issued or signed contract: a new draft version."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: ContractOutputSerializer})
    def post(self, request, pk):
        contract = services.contract_new_version(by=request.user, contract=_contract(request, pk))
        return _contract_response(request, contract, created=True)
