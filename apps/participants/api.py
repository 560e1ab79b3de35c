"""A candidate's and participant's actions in the API: answer their placement, sign
their contract.

A person sees only their own placement and contracts, so anything else is already 404
from the selector; the staff who see them (CLAIR, the mission, the organisation) are
refused with 403 here, before the service checks the transition."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.models import Kind
from apps.participants import services
from apps.placement import selectors
from apps.placement.api import ContractOutputSerializer, PlacementOutputSerializer

PERSON_KINDS = (Kind.APPLICANT, Kind.PARTICIPANT)


def _require_person(user, message: str) -> None:
    if user.kind not in PERSON_KINDS:
        raise exceptions.PermissionDenied(message)


class PlacementCandidateAcceptView(APIView):
    """The candidate takes the placement: they become a participant and the draft
    contract is made for the organisation to complete and issue."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: ContractOutputSerializer})
    def post(self, request, pk):
        placement = selectors.placement_get(user=request.user, pk=pk)
        _require_person(request.user, _("Only the candidate answers their placement."))
        contract = services.placement_accept(by=request.user, placement=placement)
        contract = selectors.contract_get(user=request.user, pk=contract.pk)
        return Response(ContractOutputSerializer(contract).data, status=status.HTTP_201_CREATED)


class PlacementWithdrawView(APIView):
    """The candidate withdraws: the position is open again and any unsigned contract is
    cancelled."""

    permission_classes = [IsAuthenticated]

    class PlacementWithdrawInputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        request=PlacementWithdrawInputSerializer, responses={200: PlacementOutputSerializer}
    )
    def post(self, request, pk):
        placement = selectors.placement_get(user=request.user, pk=pk)
        _require_person(request.user, _("Only the candidate answers their placement."))
        data = self.PlacementWithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement = services.placement_withdraw(
            by=request.user, placement=placement, reason=data.validated_data["reason"]
        )
        placement = selectors.placement_get(user=request.user, pk=placement.pk)
        return Response(PlacementOutputSerializer(placement).data)


class ContractSignView(APIView):
    """The participant signs an issued contract with their typed full name; the time and
    the address they signed from are kept with the version."""

    permission_classes = [IsAuthenticated]

    class ContractSignInputSerializer(serializers.Serializer):
        typed_name = serializers.CharField(
            max_length=200, allow_blank=True, help_text="Full name, as on the account"
        )
        agree = serializers.BooleanField()

    @extend_schema(request=ContractSignInputSerializer, responses={200: ContractOutputSerializer})
    def post(self, request, pk):
        contract = selectors.contract_get(user=request.user, pk=pk)
        _require_person(request.user, _("Only the participant signs their contract."))
        data = self.ContractSignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = services.contract_sign(
            by=request.user,
            contract=contract,
            typed_name=data.validated_data["typed_name"],
            agree=data.validated_data["agree"],
            address=request.META.get("REMOTE_ADDR"),
        )
        contract = selectors.contract_get(user=request.user, pk=contract.pk)
        return Response(ContractOutputSerializer(contract).data)
