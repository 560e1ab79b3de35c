"""Programme costs in the API (issue 8).

- `GET /api/v1/costs/?fiscal_year=2026[&prefecture=28]`: national totals, prefecture
  rows and organisation rows, for whoever the access rule lets see them
  (`selectors_costs`: CLAIR and MIC all, a contracting organisation its own; anyone
  else 403).
- MIC's parameters: `apps.mic.api_costs` (the acting app's module).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import fields as api_fields
from apps.core.api.filters import (
    FilteredListMixin,
    ListFilters,
    PrefectureFilter,
    YearFilter,
    list_filters,
)
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.finance import selectors_costs
from apps.finance.models import CostFigure


class FiguresSerializer(api_fields.Serializer):
    participant_years = serializers.DecimalField(max_digits=12, decimal_places=4)
    remuneration = serializers.IntegerField(help_text="Yen")
    travel = serializers.IntegerField(help_text="Yen")
    cost = serializers.IntegerField(help_text="Remuneration and travel, yen")
    estimate = serializers.IntegerField(help_text="Local allocation tax estimate, yen")
    difference = serializers.IntegerField(help_text="Estimate minus cost, yen")


class NationalSerializer(FiguresSerializer):
    organisations = serializers.IntegerField()


class PrefectureFiguresSerializer(NationalSerializer):
    prefecture = api_fields.CharField(source="prefecture_id", allow_null=True)


class OrganisationFiguresSerializer(FiguresSerializer):
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = api_fields.CharField(source="organisation.name")
    prefecture = api_fields.CharField(source="prefecture_id", allow_null=True)
    computed_at = api_fields.DateTimeField()


class CostsSerializer(api_fields.Serializer):
    fiscal_year = serializers.IntegerField()
    national = NationalSerializer()
    prefectures = PrefectureFiguresSerializer(many=True)
    organisations = OrganisationFiguresSerializer(many=True)


class CostsFilters(ListFilters):
    fiscal_year = YearFilter(help_text="April-to-March year")
    prefecture = PrefectureFilter()

    class Meta(ListFilters.Meta):
        model = CostFigure


class CostsView(RestrictedQuerysetMixin, FilteredListMixin, APIView):
    access_model = CostFigure
    model_action = "view"
    filterset_class = CostsFilters

    @extend_schema(filters=True, responses=CostsSerializer)
    def get(self, request):
        user = request.user
        params = list_filters(self)
        fiscal_year = params.get("fiscal_year") or selectors_costs.current_fiscal_year()
        data = {
            "fiscal_year": fiscal_year,
            "national": selectors_costs.cost_national(user=user, fiscal_year=fiscal_year),
            "prefectures": selectors_costs.cost_by_prefecture(user=user, fiscal_year=fiscal_year),
            "organisations": selectors_costs.cost_figure_list(
                user=user,
                fiscal_year=fiscal_year,
                prefecture=params.get("prefecture"),
            ),
        }
        return Response(CostsSerializer(data).data)


urlpatterns = [
    path("costs/", CostsView.as_view(), name="costs"),
]


def register(router) -> None:
    """A plain view only; nothing on the router."""
