"""Programme costs in the API (issue 8).

- `GET /api/v1/costs/?fiscal_year=2026[&prefecture=28]`: national totals, prefecture
  rows and organisation rows, for whoever may see them (`selectors_costs`: CLAIR and MIC
  all, a contracting organisation its own; anyone else 403).
- `GET /api/v1/costs/parameters/<year>/` (MIC, CLAIR): a programme year's parameters.
- `POST /api/v1/costs/parameters/<year>/preview/` (MIC): the figures the proposed
  parameters would change, nothing saved.
- `PUT /api/v1/costs/parameters/<year>/` (MIC): save them; the answer lists the figures
  recomputed, the same rows the preview gave.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.models import Kind, ProgrammeYear
from apps.mic import services_costs
from apps.programme import cost_figures, costs, selectors_costs


class FiguresSerializer(serializers.Serializer):
    participant_years = serializers.DecimalField(max_digits=12, decimal_places=4)
    remuneration = serializers.IntegerField(help_text="Yen")
    travel = serializers.IntegerField(help_text="Yen")
    cost = serializers.IntegerField(help_text="Remuneration and travel, yen")
    estimate = serializers.IntegerField(help_text="Local allocation tax estimate, yen")
    difference = serializers.IntegerField(help_text="Estimate minus cost, yen")


class NationalSerializer(FiguresSerializer):
    organisations = serializers.IntegerField()


class PrefectureFiguresSerializer(NationalSerializer):
    prefecture = serializers.CharField(source="prefecture_id", allow_null=True)


class OrganisationFiguresSerializer(FiguresSerializer):
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    prefecture = serializers.CharField(source="prefecture_id", allow_null=True)
    computed_at = serializers.DateTimeField()


class CostsSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    national = NationalSerializer()
    prefectures = PrefectureFiguresSerializer(many=True)
    organisations = OrganisationFiguresSerializer(many=True)


class ParametersSerializer(serializers.Serializer):
    scale = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        help_text="Yen a year by contract year (keys 1 to 5)",
    )
    travel = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        help_text="Return airfare estimate in yen by country code",
    )
    base_per_organisation = serializers.IntegerField(min_value=0)
    per_participant = serializers.IntegerField(min_value=0)

    def validate_scale(self, value):
        try:
            return {int(key): yen for key, yen in value.items()}
        except ValueError:
            raise serializers.ValidationError("Keys are contract years 1 to 5.") from None

    def parameters(self) -> cost_figures.Parameters:
        data = self.validated_data
        return cost_figures.Parameters(
            scale=data["scale"],
            travel=data["travel"],
            tax=costs.AllocationTax(data["base_per_organisation"], data["per_participant"]),
        )


class ChangeSerializer(serializers.Serializer):
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


def _require(user, kinds) -> None:
    if user.kind not in kinds:
        raise exceptions.PermissionDenied()


class CostsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("fiscal_year", OpenApiTypes.INT, description="April-to-March year"),
            OpenApiParameter("prefecture", OpenApiTypes.STR, description="JIS code"),
        ],
        responses=CostsSerializer,
    )
    def get(self, request):
        user = request.user
        _require(user, selectors_costs.COST_KINDS)
        try:
            fiscal_year = int(request.query_params.get("fiscal_year") or 0)
        except ValueError:
            raise exceptions.ValidationError({"fiscal_year": "A year, like 2026."}) from None
        fiscal_year = fiscal_year or selectors_costs.current_fiscal_year()
        data = {
            "fiscal_year": fiscal_year,
            "national": selectors_costs.cost_national(user=user, fiscal_year=fiscal_year),
            "prefectures": selectors_costs.cost_by_prefecture(user=user, fiscal_year=fiscal_year),
            "organisations": selectors_costs.cost_figure_list(
                user=user,
                fiscal_year=fiscal_year,
                prefecture=request.query_params.get("prefecture") or None,
            ),
        }
        return Response(CostsSerializer(data).data)


class CostParametersView(APIView):
    permission_classes = [IsAuthenticated]

    def year(self, request, year: int) -> ProgrammeYear:
        return get_object_or_404(ProgrammeYear, year=year)

    @extend_schema(responses=ParametersSerializer)
    def get(self, request, year: int):
        _require(request.user, (Kind.MIC, Kind.CLAIR))
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
        _require(request.user, (Kind.MIC,))
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
        _require(request.user, (Kind.MIC,))
        programme_year = self.year(request, year)
        serializer = ParametersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = services_costs.cost_parameters_preview(
            by=request.user, year=programme_year, params=serializer.parameters()
        )
        return Response(_changes(found))


urlpatterns = [
    path("costs/", CostsView.as_view(), name="costs"),
    path("costs/parameters/<int:year>/", CostParametersView.as_view(), name="cost-parameters"),
    path(
        "costs/parameters/<int:year>/preview/",
        CostParametersPreviewView.as_view(),
        name="cost-parameters-preview",
    ),
]


def register(router) -> None:
    """Plain views only; nothing on the router."""
