from django.conf import settings
from django.contrib.auth import authenticate, logout
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import selectors, services
from apps.core.api import fields as api_fields
from apps.core.api.filters import FilteredListMixin, ListFilters, list_filters
from apps.core.api.pagination import CountedPagination, CursorPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.api.throttling import ScopedRateThrottle
from apps.core.models import Kind, Language, Organisation, SavedFilter


class TokenObtainView(APIView):
    """Exchange a username and password for an API token of its own (each device or
    script its own), which expires after API_TOKEN_IDLE_HOURS unused and API_TOKEN_MAX_DAYS
    in all, and ends with a password change or a sign-out."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "signin"

    class TokenInputSerializer(api_fields.Serializer):
        username = api_fields.CharField()
        password = api_fields.CharField(style={"input_type": "password"}, trim_whitespace=False)

    class TokenOutputSerializer(api_fields.Serializer):
        token = api_fields.CharField()
        expiry = api_fields.DateTimeField(help_text="Moves on with each use, up to a limit")

    @extend_schema(request=TokenInputSerializer, responses={200: TokenOutputSerializer})
    def post(self, request):
        data = self.TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # authenticate(request=...) so django-axes and the limit per address count API
        # failures too.
        user = authenticate(
            request=request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(request, "signin_address_refused", False):
            return Response(
                {
                    "detail": _(
                        "Too many failed sign-in attempts from your network. Try again in "
                        "%(minutes)d minutes."
                    )
                    % {"minutes": settings.SIGNIN_ADDRESS_WINDOW_MINUTES}
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if getattr(request, "axes_locked_out", False):
            return Response(
                {
                    "detail": _(
                        "Too many failed sign-in attempts. Try again in 15 minutes, or ask "
                        "your organisation's manager to reset your password."
                    )
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Unable to sign in with the username and password given.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, key = services.api_token_create(user=user)
        return Response(self.TokenOutputSerializer({"token": key, "expiry": token.expiry}).data)


class ApiTokenOutputSerializer(api_fields.Serializer):
    key = api_fields.CharField(
        source="token_key", help_text="The token's first characters, which name it"
    )
    created = api_fields.DateTimeField()
    expiry = api_fields.DateTimeField()
    current = serializers.SerializerMethodField(help_text="The token this call was made with")

    def get_current(self, token) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, AuthToken) and auth.digest == token.digest


class ApiTokenViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own API tokens that still work; DELETE revokes one (a lost laptop's)."""

    serializer_class = ApiTokenOutputSerializer
    pagination_class = None  # a handful per person
    lookup_field = "token_key"

    def get_queryset(self):
        return selectors.api_token_list(user=self.request.user)

    def perform_destroy(self, instance):
        services.api_token_revoke(by=self.request.user, token=instance)


class TokenLogoutView(RestrictedQuerysetMixin, generics.GenericAPIView):
    """Sign out: the token this call carries stops working at once (a browser's session
    ends instead). The caller's other tokens keep working: see /api/v1/auth/tokens/."""

    # It takes no body; OPTIONS still describes the POST from a serializer.
    serializer_class = serializers.Serializer

    def get_queryset(self):
        return selectors.api_token_list(user=self.request.user)

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            services.api_token_revoke(by=request.user, token=request.auth)
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(RestrictedQuerysetMixin, generics.RetrieveAPIView):
    """The caller's own account: the one row of `user_own`. PATCH changes their own
    settings: `time_zone` (an IANA name; once chosen, a mission's zone no longer replaces
    it) and `language`."""

    class MeOutputSerializer(api_fields.Serializer):
        username = api_fields.CharField()
        full_name = api_fields.CharField(source="get_full_name")
        email = serializers.EmailField()
        organisation = serializers.SerializerMethodField()
        organisation_id = serializers.SerializerMethodField()
        kind = serializers.ChoiceField(choices=Kind.choices, allow_null=True)
        role = api_fields.CharField(allow_null=True)
        language = api_fields.CharField()
        time_zone = api_fields.CharField(help_text="IANA zone the caller's times are shown in")
        time_zone_label = serializers.SerializerMethodField(
            help_text="The zone as people read it, in the caller's language"
        )

        def get_organisation(self, user) -> str | None:
            return user.organisation.name if user.organisation else None

        def get_organisation_id(self, user) -> int | None:
            return user.organisation.pk if user.organisation else None

        def get_time_zone_label(self, user) -> str:
            from django.utils import translation

            from apps.core import time_zones

            with translation.override(user.language):
                return time_zones.label(user.time_zone)

    class MeInputSerializer(api_fields.Serializer):
        time_zone = api_fields.CharField(
            max_length=50, required=False, help_text="IANA zone, e.g. America/New_York"
        )
        language = serializers.ChoiceField(choices=Language.choices, required=False)

    serializer_class = MeOutputSerializer
    # The one row is the caller's own: reading it is enough to change its settings.
    object_action = "view"

    def get_queryset(self):
        return selectors.user_own(user=self.request.user)

    def get_object(self):
        user = get_object_or_404(self.get_queryset())
        self.check_object_permissions(self.request, user)
        return user

    @extend_schema(request=MeInputSerializer, responses={200: MeOutputSerializer})
    def patch(self, request):
        user = self.get_object()
        data = self.MeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_settings_update(user=user, **data.validated_data)
        return Response(self.MeOutputSerializer(user).data)


class PrefectureOutputSerializer(api_fields.Serializer):
    code = api_fields.CharField(help_text="JIS X 0401 code, as other answers give it")
    name_en = api_fields.CharField()
    name_ja = api_fields.CharField()
    region = api_fields.CharField()


class PrefecturePagination(CursorPagination):
    ordering = ("code",)


class PrefectureViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The 47 prefectures: the names of the JIS codes that positions, placements and
    organisations carry. Every signed-in person reads them; the load bench's floor."""

    serializer_class = PrefectureOutputSerializer
    pagination_class = PrefecturePagination
    lookup_value_regex = r"[0-9]{2}"

    def get_queryset(self):
        return selectors.prefecture_list(user=self.request.user)


class OrganisationOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    kind = api_fields.CharField()
    name = api_fields.CharField()
    name_en = api_fields.CharField()
    name_ja = api_fields.CharField()
    country = api_fields.CharField(source="country_id", allow_null=True)
    jurisdiction_note = api_fields.CharField()
    prefecture = api_fields.CharField(source="prefecture_id", allow_null=True)
    municipality = api_fields.CharField()
    contracting_type = api_fields.CharField()
    member_count = serializers.IntegerField()


class OrganisationFilters(ListFilters):
    # The kinds of organisation; the kinds of person (applicant, participant) are none.
    kind = filters.ChoiceFilter(choices=Kind.choices[:6])

    class Meta(ListFilters.Meta):
        model = Organisation


class OrganisationViewSet(
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations the user may see: their own, and more for CLAIR, MIC and MOFA."""

    serializer_class = OrganisationOutputSerializer
    pagination_class = CountedPagination
    filterset_class = OrganisationFilters

    def get_queryset(self):
        kind = list_filters(self).get("kind") if self.action == "list" else None
        return selectors.organisation_list(user=self.request.user, kind=kind).order_by(
            "kind", "name_en", "id"
        )


class SavedFilterOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    name = api_fields.CharField()
    path = api_fields.CharField(help_text="The list's path, e.g. /mofa/mission/applications/")
    query = api_fields.CharField(help_text="Its query string, without the page")
    url = api_fields.CharField(help_text="The list so filtered")
    created_at = api_fields.DateTimeField()


class SavedFilterFilters(ListFilters):
    path = filters.CharFilter(max_length=200, help_text="Only the saved filters of this list")

    class Meta(ListFilters.Meta):
        model = SavedFilter


class SavedFilterViewSet(
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own saved filters of lists (the page's "Save these filters"); POST
    saves one (the same name on the same list replaces it), DELETE removes one. Anyone
    else's answers 404."""

    serializer_class = SavedFilterOutputSerializer
    filterset_class = SavedFilterFilters
    pagination_class = None  # a handful per person and list
    lookup_value_regex = r"[0-9]+"

    class SavedFilterInputSerializer(api_fields.Serializer):
        name = api_fields.CharField(max_length=100)
        path = api_fields.CharField(max_length=200)
        query = api_fields.CharField(max_length=1000, required=False, allow_blank=True, default="")

    def get_queryset(self):
        path = list_filters(self).get("path") if self.action == "list" else None
        return selectors.saved_filter_list(user=self.request.user, path=path)

    @extend_schema(request=SavedFilterInputSerializer, responses={201: SavedFilterOutputSerializer})
    def create(self, request):
        data = self.SavedFilterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.saved_filter_save(by=request.user, **data.validated_data)
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.saved_filter_delete(by=self.request.user, saved_filter=instance)
