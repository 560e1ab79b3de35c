"""MIC's cost parameters in the API (issue 8); the figures they price are read through
`apps.finance.api_costs`.

- `GET /api/v1/costs/parameters/<year>/` (MIC, CLAIR): a programme year's parameters.
- `POST /api/v1/costs/parameters/<year>/preview/` (MIC): the figures the proposed
  parameters would change, nothing saved.
- `PUT /api/v1/costs/parameters/<year>/` (MIC): save them; the answer lists the figures
  recomputed, the same rows the preview gave.
Who may read and who may set them is the access rule's (POLICY: finance.allocationtaxrate).
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import limits
from apps.core.api import fields as api_fields
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.models import ProgrammeYear
from apps.finance import cost_figures, costs
from apps.finance.models import AllocationTaxRate
from apps.mic import services_costs


def _yen() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=limits.YEN)


class ParametersSerializer(api_fields.Serializer):
    scale = serializers.DictField(
        child=_yen(), help_text="Yen a year by contract year (keys 1 to 5)"
    )
    travel = serializers.DictField(
        child=_yen(), help_text="Return airfare estimate in yen by country code"
    )
    base_per_organisation = _yen()
    per_participant = _yen()

    def validate_scale(self, value):
        if not all(key in "12345" and len(key) == 1 for key in value):
            raise serializers.ValidationError(_("Keys are contract years 1 to 5."))
        return {int(key): yen for key, yen in value.items()}

    def validate_travel(self, value):
        # The service names the codes it does not know; here only what could be codes.
        if len(value) > 300 or any(len(code) > 2 for code in value):
            raise serializers.ValidationError(_("Keys are two-letter country codes."))
        return value

    def parameters(self) -> cost_figures.Parameters:
        data = self.validated_data
        return cost_figures.Parameters(
            scale=data["scale"],
            travel=data["travel"],
            tax=costs.AllocationTax(data["base_per_organisation"], data["per_participant"]),
        )


class ChangeSerializer(api_fields.Serializer):
    fiscal_year = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    before = serializers.DictField(allow_null=True)
    after = serializers.DictField(allow_null=True)


def _changes(found) -> list[dict]:
    def plain(values):
        if values is None:
            return None
        return {k: (float(v) if k == "participant_years" else v) for k, v in values.items()}

    return [
        {
            "fiscal_year": change.fiscal_year,
            "organisation": change.organisation_id,
            "before": plain(change.before),
            "after": plain(change.after),
        }
        for change in found
    ]


class CostParametersView(RestrictedQuerysetMixin, APIView):
    access_model = AllocationTaxRate

    @property
    def model_action(self) -> str:
        # Reading the parameters is "view"; previewing and saving them is "change".
        return "view" if self.request.method in SAFE_METHODS else "change"

    def year(self, request, year: int) -> ProgrammeYear:
        return get_object_or_404(ProgrammeYear, year=year)

    @extend_schema(responses=ParametersSerializer)
    def get(self, request, year: int):
        params = cost_figures.parameters_load(self.year(request, year).year)
        tax = params.tax or costs.AllocationTax(0, 0)
        return Response(
            {
                "scale": {str(k): v for k, v in sorted(params.scale.items())},
                "travel": dict(sorted(params.travel.items())),
                "base_per_organisation": tax.base_per_organisation,
                "per_participant": tax.per_participant,
            }
        )

    @extend_schema(request=ParametersSerializer, responses=ChangeSerializer(many=True))
    def put(self, request, year: int):
        programme_year = self.year(request, year)
        serializer = ParametersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = services_costs.cost_parameters_save(
            by=request.user, year=programme_year, params=serializer.parameters()
        )
        return Response(_changes(found))


class CostParametersPreviewView(CostParametersView):
    http_method_names = ["post", "options"]

    @extend_schema(request=ParametersSerializer, responses=ChangeSerializer(many=True))
    def post(self, request, year: int):
        programme_year = self.year(request, year)
        serializer = ParametersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = services_costs.cost_parameters_preview(
            by=request.user, year=programme_year, params=serializer.parameters()
        )
        return Response(_changes(found))


urlpatterns = [
    path("costs/parameters/<int:year>/", CostParametersView.as_view(), name="cost-parameters"),
    path(
        "costs/parameters/<int:year>/preview/",
        CostParametersPreviewView.as_view(),
        name="cost-parameters-preview",
    ),
]
