"""The statistics API (issue 8): `GET /api/v1/statistics/?year=2026` gives one programme
year's figures, `?year=all` one row per year, and no `year` the current year. The same
figures as the page (`apps.finance.statistics`) and the same audience, the access
rule's: MIC, MOFA headquarters and CLAIR everything, MEXT the ALT figures, a mission its
own country's rows; anyone else 403. Counts only: no name or id of a person anywhere."""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import fields as api_fields
from apps.core.api.common import CallerLocaleMixin
from apps.core.api.filters import FilteredListMixin, ListFilters, TextFilter, list_filters
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.disclosure_api import CountField, RateField
from apps.core.models import Country
from apps.finance import selectors_statistics as selectors
from apps.finance import statistics


def _counts(*names: str) -> dict:
    return {name: CountField() for name in names}


class StatisticsCountryRowSerializer(api_fields.Serializer):
    country = api_fields.CharField()
    name = api_fields.CharField()
    position = api_fields.CharField()


class StatisticsDimensionSerializer(api_fields.Serializer):
    code = api_fields.CharField(help_text="Country or prefecture code, position, year or level")
    name = api_fields.CharField()
    n = CountField()


class StatisticsParticipantsSerializer(api_fields.Serializer):
    total = CountField()
    by_country = StatisticsDimensionSerializer(many=True, allow_null=True)
    by_position = StatisticsDimensionSerializer(many=True, allow_null=True)
    by_prefecture = StatisticsDimensionSerializer(many=True)
    by_contract_year = StatisticsDimensionSerializer(many=True)
    by_school_level = StatisticsDimensionSerializer(many=True, help_text="ALTs only")


APPLICATION_COUNTS = ("applications", "holding", *statistics.APPLICATION_KEYS.values())

StatisticsApplicationTotalsSerializer = type(
    "StatisticsApplicationTotalsSerializer",
    (serializers.Serializer,),
    {"places": serializers.IntegerField(), **_counts(*APPLICATION_COUNTS)},
)
StatisticsApplicationRowSerializer = type(
    "StatisticsApplicationRowSerializer",
    (StatisticsCountryRowSerializer,),
    {
        "places": serializers.IntegerField(allow_null=True, help_text="Null: none published"),
        **_counts(*APPLICATION_COUNTS),
    },
)


class StatisticsApplicationsSerializer(api_fields.Serializer):
    rows = StatisticsApplicationRowSerializer(many=True)
    totals = StatisticsApplicationTotalsSerializer()


StatisticsPreferenceTotalsSerializer = type(
    "StatisticsPreferenceTotalsSerializer",
    (serializers.Serializer,),
    _counts(*statistics.PREFERENCE_KEYS),
)


class StatisticsPreferenceRowSerializer(
    StatisticsCountryRowSerializer, StatisticsPreferenceTotalsSerializer
):
    pass


class StatisticsPreferencesSerializer(api_fields.Serializer):
    rows = StatisticsPreferenceRowSerializer(many=True)
    totals = StatisticsPreferenceTotalsSerializer()


class StatisticsReappointmentTotalsSerializer(api_fields.Serializer):
    cases = CountField()
    continuing = CountField()
    leaving = CountField()
    open = CountField()
    rate = RateField(
        allow_null=True,
        help_text="Percent continuing of those decided; null while none is; withheld when "
        "continuing or leaving is hidden.",
    )


class StatisticsReappointmentPositionSerializer(StatisticsReappointmentTotalsSerializer):
    position = api_fields.CharField()
    name = api_fields.CharField()


class StatisticsReappointmentPrefectureSerializer(StatisticsReappointmentPositionSerializer):
    prefecture = api_fields.CharField()


class StatisticsReappointmentSerializer(api_fields.Serializer):
    by_prefecture = StatisticsReappointmentPrefectureSerializer(many=True)
    by_position = StatisticsReappointmentPositionSerializer(many=True)
    totals = StatisticsReappointmentTotalsSerializer()


StatisticsLeaverTotalsSerializer = type(
    "StatisticsLeaverTotalsSerializer", (serializers.Serializer,), _counts(*statistics.LEAVER_KEYS)
)


class StatisticsLeaverRowSerializer(
    StatisticsCountryRowSerializer, StatisticsLeaverTotalsSerializer
):
    pass


class StatisticsLeaversSerializer(api_fields.Serializer):
    rows = StatisticsLeaverRowSerializer(many=True)
    totals = StatisticsLeaverTotalsSerializer()


StatisticsYearSerializer = type(
    "StatisticsYearSerializer",
    (serializers.Serializer,),
    {
        "year": serializers.IntegerField(),
        **{
            key: CountField(allow_null=True)
            for key in statistics.YEAR_KEYS
            if key not in statistics.NOT_COUNTS
        },
        "places": serializers.IntegerField(allow_null=True),
        "rate": RateField(allow_null=True),
    },
)


class StatisticsSerializer(api_fields.Serializer):
    year = serializers.IntegerField(allow_null=True, help_text="Null for every year")
    country = api_fields.CharField(
        allow_null=True, help_text="A mission's country: every figure is limited to it"
    )
    participants = StatisticsParticipantsSerializer(allow_null=True)
    applications = StatisticsApplicationsSerializer(allow_null=True)
    preferences = StatisticsPreferencesSerializer(allow_null=True)
    reappointment = StatisticsReappointmentSerializer(allow_null=True)
    leavers = StatisticsLeaversSerializer(allow_null=True)
    years = StatisticsYearSerializer(
        many=True, allow_null=True, help_text="With year=all: one row per programme year"
    )


class StatisticsFilters(ListFilters):
    year = TextFilter(
        max_length=4,
        pattern=r"^(all|[0-9]{4})$",
        help_text='A programme year ("2026"), "all" for every year; the current year if '
        "left out. A year with no programme is a 404.",
    )

    class Meta(ListFilters.Meta):
        model = Country


class StatisticsView(CallerLocaleMixin, RestrictedQuerysetMixin, FilteredListMixin, APIView):
    """Programme statistics: counts only, for the caller's audience. Figures the caller
    may not see are null. A count below 3 is "fewer_than_3" in its place, and where a
    total would give one away another count is "withheld" (and a rate made from it): the
    same cells as the page and the export hide."""

    access_model = Country
    model_action = "statistics"
    denied_message = _lazy("Programme statistics are not shared with you.")
    filterset_class = StatisticsFilters
    also_answers = ["404"]

    @extend_schema(filters=True, responses={200: StatisticsSerializer})
    def get(self, request):
        scope = selectors.statistics_scope(request.user)
        if scope is None:
            # A mission without a country: no rows of its own to count.
            raise exceptions.PermissionDenied(_("Programme statistics are not shared with you."))
        year = statistics.year_asked(list_filters(self).get("year"))
        data = {"country": scope.country}
        if year is None:
            data |= {"year": None, "years": statistics.across_years(user=request.user)["rows"]}
        else:
            data |= {"years": None} | statistics.year_statistics(user=request.user, year=year)
        for section in ("participants", "applications", "preferences", "reappointment", "leavers"):
            data.setdefault(section, None)
        return Response(StatisticsSerializer(data).data)


urlpatterns = [path("statistics/", StatisticsView.as_view(), name="statistics")]


def register(router) -> None:
    # A single read view, not a viewset: it lives in urlpatterns.
    pass
