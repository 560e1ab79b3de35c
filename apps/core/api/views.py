from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import selectors
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.models import Kind


class TokenObtainView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes = []

    class TokenInputSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    class TokenOutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(request=TokenInputSerializer, responses={200: TokenOutputSerializer})
    def post(self, request):
        data = self.TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # authenticate(request=...) so django-axes counts API failures too.
        user = authenticate(
            request=request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
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
        token, _created = Token.objects.get_or_create(user=user)
        return Response(self.TokenOutputSerializer({"token": token.key}).data)


class MeView(RestrictedQuerysetMixin, generics.RetrieveAPIView):
    """The caller's own account: the one row of `user_own`."""

    class MeOutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        full_name = serializers.CharField(source="get_full_name")
        email = serializers.EmailField()
        organisation = serializers.SerializerMethodField()
        organisation_id = serializers.SerializerMethodField()
        kind = serializers.ChoiceField(choices=Kind.choices, allow_null=True)
        role = serializers.CharField(allow_null=True)
        language = serializers.CharField()

        def get_organisation(self, user) -> str | None:
            return user.organisation.name if user.organisation else None

        def get_organisation_id(self, user) -> int | None:
            return user.organisation.pk if user.organisation else None

    serializer_class = MeOutputSerializer

    def get_queryset(self):
        return selectors.user_own(user=self.request.user)

    def get_object(self):
        user = get_object_or_404(self.get_queryset())
        self.check_object_permissions(self.request, user)
        return user


class OrganisationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    name_ja = serializers.CharField()
    country = serializers.CharField(source="country_id", allow_null=True)
    jurisdiction_note = serializers.CharField()
    prefecture = serializers.CharField(source="prefecture_id", allow_null=True)
    municipality = serializers.CharField()
    contracting_type = serializers.CharField()
    member_count = serializers.IntegerField()


@extend_schema(
    parameters=[
        inline_serializer(
            "OrganisationFilter",
            {"kind": serializers.ChoiceField(choices=Kind.choices[:6], required=False)},
        )
    ]
)
class OrganisationViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations the user may see: their own, and more for CLAIR, MIC and MOFA."""

    serializer_class = OrganisationOutputSerializer
    pagination_class = CountedPagination

    def get_queryset(self):
        kind = self.request.query_params.get("kind")
        return selectors.organisation_list(
            user=self.request.user, kind=kind if kind in Kind.values else None
        ).order_by("kind", "name_en", "id")
