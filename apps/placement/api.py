"""Placements and contracts in the API, read only: who sees which is `placement_list` and
`contract_list`, the same selectors as the pages. The actions on them are each actor's,
in that actor's app (clair, contracting, participants), mounted next to these."""

import json

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, renderers, serializers, viewsets
from rest_framework.decorators import action

from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.placement import selectors
from apps.placement.documents import contract_pdf, contract_pdf_filename
from apps.placement.models import Contract, Placement, PositionRequest


class PlacementOutputSerializer(serializers.Serializer):
    """What every party to a placement may read: where and when, never scores or health."""

    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    application_number = serializers.CharField(source="application.number")
    candidate_name = serializers.CharField(source="application.full_name")
    country = serializers.CharField(source="application.country_id", help_text="ISO 3166-1")
    position = serializers.IntegerField(source="position_id")
    # A plain string in the schema: the same codes are already the applications' PositionEnum.
    position_type = serializers.CharField(source="position.type", help_text="ALT, CIR or SEA")
    organisation = serializers.IntegerField(source="position.organisation_id")
    organisation_name = serializers.CharField(source="position.organisation.name")
    prefecture = serializers.CharField(source="position.prefecture_id", help_text="JIS code")
    municipality = serializers.CharField(source="position.municipality")
    school_level = serializers.ChoiceField(
        source="position.school_level",
        choices=PositionRequest.SchoolLevel.choices,
        allow_blank=True,
    )
    arrival_group = serializers.ChoiceField(choices=Placement.ArrivalGroup.choices)
    status = serializers.ChoiceField(choices=Placement.Status.choices)
    decline_reason = serializers.CharField()
    confirmed_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class ContractOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    placement = serializers.IntegerField(source="placement_id")
    participant = serializers.IntegerField(
        source="placement.application.applicant_id", help_text="User id"
    )
    participant_name = serializers.CharField(source="participant.get_full_name")
    organisation = serializers.IntegerField(source="placement.position.organisation_id")
    organisation_name = serializers.CharField(source="placement.position.organisation.name")
    contract_year = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Contract.Status.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    remuneration = serializers.IntegerField(help_text="Yen a year")
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1)
    paid_leave_days = serializers.IntegerField()
    conditions_en = serializers.CharField()
    conditions_ja = serializers.CharField()
    participant_signed_at = serializers.DateTimeField(allow_null=True)
    countersigned_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; an error still answers JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Placement.Status.values),
            OpenApiParameter("active", bool, description="Only placements still in force"),
        ]
    )
)
class PlacementViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Placements: CLAIR and MOFA headquarters read all, a mission its own candidates',
    a contracting organisation those offered to it, a candidate their own once the
    organisation has accepted."""

    serializer_class = PlacementOutputSerializer
    pagination_class = CountedPagination
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        params = self.request.query_params
        status = params.get("status")
        return selectors.placement_list(
            user=self.request.user,
            status=status if status in Placement.Status.values else None,
            active_only=_flag(params.get("active")),
        )

    def get_object(self):
        placement = selectors.placement_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, placement)
        return placement


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("placement", int)]),
)
class ContractViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Contracts, every version: the organisation its own, the participant theirs, CLAIR
    all; nobody else."""

    serializer_class = ContractOutputSerializer
    pagination_class = CountedPagination
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        contracts = selectors.contract_list(user=self.request.user)
        placement = self.request.query_params.get("placement", "")
        if placement.isdigit():
            contracts = contracts.filter(placement_id=int(placement))
        return contracts

    def get_object(self):
        contract = selectors.contract_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, contract)
        return contract

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The bilingual contract"
            )
        }
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, PDFRenderer],
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
