"""API of issue 7 (outreach): promotional activities and alumni consents.

- `/api/v1/promotions/`: MOFA headquarters and CLAIR list every activity, a mission its
  own (anyone else: an empty list, and 404 on an id). Missions and CLAIR create theirs
  and change their own (`PATCH`); `/api/v1/promotions/counts/` gives activities and
  people reached by country and month over the same rows (`from`, `to`: dates, the
  activity's start day, `to` exclusive).
- `/api/v1/alumni/`: a mission lists the participants of its applications who agreed to
  alumni contact and have not withdrawn; a participant their own consents. A participant
  gives consent with `POST` and withdraws it with `POST /api/v1/alumni/{id}/withdraw/`;
  a mission exports its list as a job with `POST /api/v1/alumni/export/`.

Reads are apps/outreach/selectors.py, the same as the pages; writes
apps/outreach/services.py; who may do what is the access policy, so a refusal is the
same 403 here as on the pages.
"""

from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import limits
from apps.core.api import fields as api_fields
from apps.core.api.common import CallerLocaleMixin, NamedChoiceField, ids_field
from apps.core.api.filters import FilteredListMixin, ListFilters, list_filters
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.outreach import jobs as jobs_outreach
from apps.outreach import selectors, services
from apps.outreach.models import AlumniConsent, PromotionActivity

# --- promotional activities ------------------------------------------------------------------


def _promotion_kind(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="PromotionKind", choices=PromotionActivity.Kind.choices, **kwargs
    )


class PromotionSessionSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    title = api_fields.CharField()
    starts_at = api_fields.DateTimeField()


class PromotionOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = api_fields.CharField(source="organisation.name")
    country = api_fields.CharField(
        source="organisation.country_id", allow_null=True, help_text="None for CLAIR's"
    )
    kind = _promotion_kind()
    title = api_fields.CharField()
    starts_on = api_fields.DateField()
    ends_on = api_fields.DateField()
    place = api_fields.CharField()
    audience = api_fields.CharField()
    reach = serializers.IntegerField()
    information_sessions = PromotionSessionSerializer(many=True)
    created_at = api_fields.DateTimeField()


class PromotionInputSerializer(api_fields.Serializer):
    kind = _promotion_kind()
    title = api_fields.CharField(max_length=200)
    starts_on = api_fields.DateField()
    ends_on = api_fields.DateField(required=False)
    place = api_fields.CharField(max_length=200, required=False, allow_blank=True)
    audience = api_fields.CharField(max_length=200, required=False, allow_blank=True)
    reach = serializers.IntegerField(min_value=0, max_value=limits.AUDIENCE, required=False)
    information_sessions = ids_field(
        required=False, help_text="Ids of your own information sessions"
    )


class PromotionCountSerializer(api_fields.Serializer):
    country_code = api_fields.CharField(help_text='"" for CLAIR\'s activities (Japan)')
    country = api_fields.CharField()
    month = api_fields.DateField(help_text="The month's first day")
    activities = serializers.IntegerField()
    reach = serializers.IntegerField()


# The parameters are named `from` and `to`, and `from` is a Python keyword: the classes
# are made from dictionaries.
_PERIOD = {
    "from": filters.DateFilter(help_text="Starting on or after"),
    "to": filters.DateFilter(help_text="Starting before"),
    "Meta": type("Meta", (ListFilters.Meta,), {"model": PromotionActivity}),
    "__module__": __name__,
}
PromotionCountFilters = type("PromotionCountFilters", (ListFilters,), dict(_PERIOD))
PromotionFilters = type(
    "PromotionFilters",
    (ListFilters,),
    {**_PERIOD, "kind": filters.ChoiceFilter(choices=PromotionActivity.Kind.choices)},
)


class PromotionViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Promotional activities: fairs, university visits, online sessions, social media
    pushes, with the information sessions they led to."""

    serializer_class = PromotionOutputSerializer
    pagination_class = CountedPagination
    filterset_class = PromotionFilters
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    access_model = PromotionActivity
    model_action_perms = {"create": "add"}
    action_messages = {
        "create": _lazy("Only embassies, consulates and CLAIR record promotional activities."),
        "partial_update": _lazy("Only the organisation that recorded the activity changes it."),
    }

    def get_queryset(self):
        # An activity's own address ignores the list's filters.
        params = list_filters(self) if self.action == "list" else {}
        return selectors.promotion_list(
            user=self.request.user,
            starts_from=params.get("from"),
            starts_before=params.get("to"),
            kind=params.get("kind"),
        ).prefetch_related("information_sessions")

    def _values(self, data, *, partial=False) -> dict:
        serializer = PromotionInputSerializer(data=data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=PromotionInputSerializer, responses={201: PromotionOutputSerializer})
    def create(self, request):
        promotion = services.promotion_create(by=request.user, **self._values(request.data))
        promotion = selectors.promotion_get(user=request.user, pk=promotion.pk)
        return Response(self.get_serializer(promotion).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PromotionInputSerializer, responses={200: PromotionOutputSerializer})
    def partial_update(self, request, pk=None):
        promotion = self.get_object()
        services.promotion_update(
            by=request.user, promotion=promotion, **self._values(request.data, partial=True)
        )
        promotion = selectors.promotion_get(user=request.user, pk=promotion.pk)
        return Response(self.get_serializer(promotion).data)

    @extend_schema(filters=True, responses={200: PromotionCountSerializer(many=True)})
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        filterset_class=PromotionCountFilters,
    )
    def counts(self, request):
        params = list_filters(self)
        rows = selectors.promotion_counts(
            user=request.user, starts_from=params.get("from"), starts_before=params.get("to")
        )
        return Response(PromotionCountSerializer(rows, many=True).data)


# --- alumni ------------------------------------------------------------------------------------


class AlumniOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    participant = serializers.IntegerField(source="participant_id")
    family_name = api_fields.CharField(source="participant.last_name")
    given_names = api_fields.CharField(source="participant.first_name")
    mission = serializers.IntegerField(source="mission_id")
    contact_email = serializers.EmailField()
    contact_phone = api_fields.CharField()
    years = serializers.IntegerField()
    prefecture = serializers.SerializerMethodField()
    prefecture_en = api_fields.CharField()
    prefecture_ja = api_fields.CharField()
    given_at = api_fields.DateTimeField()
    withdrawn_at = api_fields.DateTimeField(allow_null=True)

    def get_prefecture(self, consent) -> str:
        return jobs_outreach.consent_prefecture(consent)


class AlumniInputSerializer(api_fields.Serializer):
    contact_email = serializers.EmailField(max_length=254)
    contact_phone = api_fields.CharField(max_length=40, required=False, allow_blank=True)


class AlumniExportInputSerializer(api_fields.Serializer):
    format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")


class AlumniExportOutputSerializer(api_fields.Serializer):
    job = serializers.IntegerField()
    job_url = serializers.URLField(help_text="The page that shows the job's progress")


class AlumniViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Alumni consents: a mission's standing ones, or a participant's own."""

    serializer_class = AlumniOutputSerializer
    pagination_class = CountedPagination
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "head", "options"]
    access_model = AlumniConsent
    model_action_perms = {"create": "add", "export": "export"}
    action_perms = {"withdraw": "withdraw"}
    action_messages = {
        "create": _lazy("Only participants agree to alumni contact."),
        "withdraw": _lazy("Only the participant withdraws their consent."),
        "export": _lazy("Only an embassy or consulate exports its alumni."),
    }

    def get_queryset(self):
        return selectors.alumni_list(user=self.request.user)

    @extend_schema(request=AlumniInputSerializer, responses={201: AlumniOutputSerializer})
    def create(self, request):
        data = AlumniInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent = services.alumni_consent_give(by=request.user, **data.validated_data)
        return Response(self.get_serializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AlumniOutputSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = services.alumni_consent_withdraw(by=request.user, consent=self.get_object())
        return Response(self.get_serializer(consent).data)

    @extend_schema(
        request=AlumniExportInputSerializer, responses={202: AlumniExportOutputSerializer}
    )
    @action(detail=False, methods=["post"])
    def export(self, request):
        data = AlumniExportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = jobs_outreach.alumni_export_start(
            by=request.user, file_format=data.validated_data["format"]
        )
        return Response(
            {"job": job.pk, "job_url": request.build_absolute_uri(job.get_absolute_url())},
            status=status.HTTP_202_ACCEPTED,
        )


urlpatterns: list = []


def register(router) -> None:
    router.register("promotions", PromotionViewSet, basename="promotion")
    router.register("alumni", AlumniViewSet, basename="alumni")
