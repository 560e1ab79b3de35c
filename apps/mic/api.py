"""MIC's acceptance numbers and guidelines in the API: read by whoever may see them,
written by MIC through the same services as its pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import access
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.models import Country, ProgrammeYear
from apps.mic import services
from apps.recruitment import selectors
from apps.recruitment.choices import Position
from apps.recruitment.models import AcceptanceNumber


class CanCreateAcceptanceNumbers(permissions.BasePermission):
    """Creating has no object to check, so it needs the model-wide right MIC holds."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) != "create":
            return True
        return access.has_model_perm(request.user, "change", AcceptanceNumber)


class GuidelineOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme_year = serializers.IntegerField(source="programme_year.year")
    country = serializers.CharField(source="country_id", help_text="ISO 3166-1 alpha-2")
    position = serializers.ChoiceField(choices=Position.choices)
    places = serializers.IntegerField()
    guideline_en = serializers.CharField()
    guideline_ja = serializers.CharField()
    state = serializers.ChoiceField(choices=AcceptanceNumber.State.choices)
    published_at = serializers.DateTimeField(allow_null=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("year", int, description="Programme year, e.g. 2027")]
    )
)
class GuidelineViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Acceptance numbers and guidelines per programme year, country and position.

    Missions read the published numbers of their own country; MOFA HQ, CLAIR and MIC read
    all. Only MIC creates, changes and publishes them."""

    serializer_class = GuidelineOutputSerializer
    pagination_class = CountedPagination
    permission_classes = [*RestrictedQuerysetMixin.permission_classes, CanCreateAcceptanceNumbers]
    action_perms = {"publish": "change"}
    lookup_value_regex = r"[0-9]+"

    class GuidelineCreateInputSerializer(serializers.Serializer):
        year = serializers.IntegerField(help_text="Programme year, e.g. 2027")
        country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
        position = serializers.ChoiceField(choices=Position.choices)
        places = serializers.IntegerField(min_value=0)
        guideline_en = serializers.CharField(required=False, allow_blank=True, default="")
        guideline_ja = serializers.CharField(required=False, allow_blank=True, default="")

        def validate_year(self, value):
            year = ProgrammeYear.objects.filter(year=value).first()
            if year is None:
                raise serializers.ValidationError(_("There is no such programme year."))
            return year

        def validate_country(self, value):
            country = Country.objects.filter(code=value.upper()).first()
            if country is None:
                raise serializers.ValidationError(_("There is no such country."))
            return country

    class GuidelineUpdateInputSerializer(serializers.Serializer):
        places = serializers.IntegerField(min_value=0)
        guideline_en = serializers.CharField(required=False, allow_blank=True, default="")
        guideline_ja = serializers.CharField(required=False, allow_blank=True, default="")

    def get_queryset(self):
        year = self.request.query_params.get("year", "")
        qs = selectors.acceptance_number_list(user=self.request.user)
        if year.isdigit():
            qs = qs.filter(programme_year__year=int(year))
        return qs

    @extend_schema(
        request=GuidelineCreateInputSerializer,
        responses={200: GuidelineOutputSerializer, 201: GuidelineOutputSerializer},
    )
    def create(self, request):
        data = self.GuidelineCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        existed = (
            self.get_queryset()
            .filter(
                programme_year=values["year"],
                country=values["country"],
                position=values["position"],
            )
            .exists()
        )
        number = services.acceptance_number_set(
            by=request.user,
            programme_year=values["year"],
            country=values["country"],
            position=values["position"],
            places=values["places"],
            guideline_en=values["guideline_en"],
            guideline_ja=values["guideline_ja"],
        )
        return Response(
            self.get_serializer(number).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=GuidelineUpdateInputSerializer, responses={200: GuidelineOutputSerializer}
    )
    def update(self, request, pk=None):
        number = self.get_object()
        data = self.GuidelineUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = services.acceptance_number_set(
            by=request.user,
            programme_year=number.programme_year,
            country=number.country,
            position=number.position,
            **data.validated_data,
        )
        return Response(self.get_serializer(number).data)

    @extend_schema(request=None, responses={200: GuidelineOutputSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        number = self.get_object()
        services.acceptance_numbers_publish(by=request.user, numbers=[number])
        return Response(self.get_serializer(self.get_object()).data)
