"""Positions in the API: requested by contracting organisations, reviewed by MIC, read
by whoever `position_list` lets see them."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.contracting import services
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.models import Kind
from apps.mic import services as mic_services
from apps.placement import selectors
from apps.placement.models import PositionRequest
from apps.recruitment.choices import DrivingLicence, JapaneseLevel, LocationPreference, Position

REVIEW_ACTIONS = ("approve", "return_position")
# The position codes as their own choice set: the schema names it TypeEnum, apart from
# the guidelines' PositionEnum (same codes, long labels).
TYPE_CHOICES = [(code, code) for code in Position.values]


class PositionWritePermission(permissions.BasePermission):
    """Only a contracting organisation requests; only MIC approves or returns."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) == "create":
            return request.user.kind == Kind.CONTRACTING
        return True

    def has_object_permission(self, request, view, obj):
        if getattr(view, "action", None) in REVIEW_ACTIONS:
            return request.user.kind == Kind.MIC
        return True


class PositionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme_year = serializers.IntegerField(source="programme_year.year")
    organisation = serializers.IntegerField(source="organisation_id")
    prefecture = serializers.CharField(source="prefecture_id", help_text="JIS prefecture code")
    type = serializers.ChoiceField(choices=TYPE_CHOICES)
    school_level = serializers.ChoiceField(
        choices=PositionRequest.SchoolLevel.choices, allow_blank=True
    )
    base = serializers.CharField()
    municipality = serializers.CharField()
    location = serializers.ChoiceField(choices=LocationPreference.choices[:3])
    driving_licence_required = serializers.ChoiceField(
        choices=DrivingLicence.choices[1:], allow_blank=True
    )
    min_japanese_level = serializers.ChoiceField(choices=JapaneseLevel.choices, allow_blank=True)
    cir_language = serializers.CharField()
    housing = serializers.ChoiceField(choices=PositionRequest.Housing.choices)
    state = serializers.ChoiceField(choices=PositionRequest.State.choices)
    return_reason = serializers.CharField()


class PositionCreateInputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=TYPE_CHOICES)
    school_level = serializers.ChoiceField(
        choices=PositionRequest.SchoolLevel.choices, allow_blank=True, required=False, default=""
    )
    base = serializers.CharField(max_length=200)
    city = serializers.CharField(max_length=30, allow_blank=True, required=False, default="")
    municipality = serializers.CharField(max_length=100)
    location = serializers.ChoiceField(choices=LocationPreference.choices[:3])
    driving_licence_required = serializers.ChoiceField(
        choices=DrivingLicence.choices[1:], allow_blank=True, required=False, default=""
    )
    min_japanese_level = serializers.ChoiceField(
        choices=JapaneseLevel.choices, allow_blank=True, required=False, default=""
    )
    cir_language = serializers.CharField(
        max_length=100, allow_blank=True, required=False, default=""
    )
    housing = serializers.ChoiceField(choices=PositionRequest.Housing.choices)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    seats = serializers.IntegerField(min_value=1, max_value=50, default=1)


class PositionReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


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
    permission_classes = [*RestrictedQuerysetMixin.permission_classes, PositionWritePermission]
    # The review check is PositionWritePermission's; the visible object needs no grant.
    action_perms = dict.fromkeys(REVIEW_ACTIONS, "view")
    lookup_value_regex = r"[0-9]+"

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
        mic_services.positions_review(by=request.user, positions=[position], approve=True)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=PositionReturnInputSerializer, responses={200: PositionOutputSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_position(self, request, pk=None):
        position = self.get_object()
        data = PositionReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mic_services.positions_review(
            by=request.user,
            positions=[position],
            approve=False,
            reason=data.validated_data["reason"],
        )
        return Response(self.get_serializer(self.get_object()).data)
