"""The counselling subsidy in the API (issue 7): `/api/v1/subsidy-claims/`.

Who sees what is `selectors_subsidy`'s, the same as the pages: the participant their
own claims, their contracting organisation its participants' claims, CLAIR every claim;
anyone else sees none (a claim's id answers 404). Every write is `services_subsidy`:
the participant submits (multipart, with receipts) and resubmits a returned claim, the
organisation forwards or returns, CLAIR approves or returns. One who sees a claim but
may not do the action gets 403; a rule the service refuses gets 400 with its message.
Receipts are downloaded through `subsidy-claims/receipts/<id>/`, checked the same way.
"""

from django.http import FileResponse, Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import limits
from apps.core.api import fields as api_fields
from apps.core.api.common import (
    DOCUMENT_TYPES,
    CallerLocaleMixin,
    FileNegotiation,
    NamedChoiceField,
    file_responses,
    ids_field,
    note_field,
)
from apps.core.api.filters import (
    FilteredListMixin,
    ListFilters,
    YearFilter,
    list_filters,
)
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.support import selectors_subsidy as selectors
from apps.support import services_subsidy as services
from apps.support import subsidy as rules
from apps.support.models import SubsidyClaim


def claim_state(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="SubsidyClaimState", choices=SubsidyClaim.State.choices, **kwargs
    )


class SubsidyReceiptOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    name = api_fields.CharField()
    content_type = api_fields.CharField()
    size = serializers.IntegerField(help_text="Bytes")
    uploaded_at = api_fields.DateTimeField()
    download = serializers.SerializerMethodField(help_text="Where to download it")

    def get_download(self, receipt) -> str:
        return f"/api/v1/subsidy-claims/receipts/{receipt.pk}/"


class SubsidyClaimOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    participant = serializers.IntegerField(source="participant_id", help_text="User id")
    participant_name = api_fields.CharField(source="participant.get_full_name")
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = api_fields.CharField(source="organisation.name")
    fiscal_year = serializers.IntegerField(help_text="The April-to-March year it counts in")
    session_date = api_fields.DateField()
    cost = serializers.IntegerField(help_text="Yen")
    amount = serializers.IntegerField(help_text="Yen claimed: half the cost, within the cap")
    state = claim_state()
    state_label = api_fields.CharField(source="get_state_display")
    note = api_fields.CharField()
    return_reason = api_fields.CharField()
    forwarded_at = api_fields.DateTimeField(allow_null=True)
    decided_at = api_fields.DateTimeField(allow_null=True)
    created_at = api_fields.DateTimeField()
    receipts = SubsidyReceiptOutputSerializer(many=True)


class SubsidyAllowanceOutputSerializer(api_fields.Serializer):
    fiscal_year = serializers.IntegerField()
    starts = api_fields.DateField()
    ends = api_fields.DateField()
    cap = serializers.IntegerField(help_text="Yen per fiscal year")
    used = serializers.IntegerField(
        help_text="Yen held by submitted, forwarded and approved claims"
    )
    remaining = serializers.IntegerField(help_text="Yen that can still be claimed")


class SubsidyClaimInputSerializer(api_fields.Serializer):
    session_date = api_fields.DateField()
    cost = serializers.IntegerField(min_value=1, max_value=limits.YEN, help_text="Yen paid")
    note = note_field(required=False, allow_blank=True, default="")
    receipts = serializers.ListField(
        child=serializers.FileField(),
        max_length=20,
        required=False,
        default=list,
        help_text="PDF, JPEG or PNG",
    )


class SubsidyClaimResubmitInputSerializer(SubsidyClaimInputSerializer):
    remove_receipts = ids_field(required=False, default=list)


class SubsidyReturnInputSerializer(api_fields.Serializer):
    reason = note_field(allow_blank=True, default="")


class SubsidyClaimFilters(ListFilters):
    state = filters.ChoiceFilter(choices=SubsidyClaim.State.choices, help_text="Only claims in it")

    class Meta(ListFilters.Meta):
        model = SubsidyClaim


class SubsidyAllowanceFilters(ListFilters):
    fiscal_year = YearFilter(
        help_text="Default: the current one",
    )

    class Meta(ListFilters.Meta):
        model = SubsidyClaim


def _files(request) -> list:
    return request.FILES.getlist("receipts") if hasattr(request.FILES, "getlist") else []


class SubsidyClaimViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Counselling subsidy claims."""

    serializer_class = SubsidyClaimOutputSerializer
    pagination_class = CountedPagination
    filterset_class = SubsidyClaimFilters
    lookup_value_regex = r"[0-9]+"
    access_model = SubsidyClaim
    model_action_perms = {"create": "add", "allowance": "add"}
    action_perms = {
        "resubmit": "resubmit",
        "forward": "check",
        "approve": "decide",
        "return_": "return",
    }
    action_messages = {
        "create": _lazy("Only a participant claims the counselling subsidy."),
        "allowance": _lazy("Only a participant has a subsidy allowance."),
        "resubmit": _lazy("Only the participant corrects their claim."),
        "forward": _lazy("Only the participant's organisation forwards a claim."),
        "approve": _lazy("Only CLAIR approves a claim."),
        "return_": _lazy("Only the participant's organisation or CLAIR returns a claim."),
    }

    def get_queryset(self):
        if self.action != "list":
            return selectors.claim_list(user=self.request.user)
        return selectors.claim_list(user=self.request.user, state=list_filters(self).get("state"))

    def _out(self, claim, code=status.HTTP_200_OK):
        claim = selectors.claim_get(user=self.request.user, pk=claim.pk)
        return Response(SubsidyClaimOutputSerializer(claim).data, status=code)

    @extend_schema(
        request=SubsidyClaimInputSerializer, responses={201: SubsidyClaimOutputSerializer}
    )
    def create(self, request):
        """The participant claims half of a counselling cost, with receipts."""
        data = SubsidyClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        claim = services.subsidy_claim_submit(
            by=request.user,
            session_date=v["session_date"],
            cost=v["cost"],
            note=v["note"],
            receipts=_files(request),
        )
        return self._out(claim, status.HTTP_201_CREATED)

    @extend_schema(filters=True, responses={200: SubsidyAllowanceOutputSerializer})
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        filterset_class=SubsidyAllowanceFilters,
    )
    def allowance(self, request):
        """The participant's cap, what is used and what remains, before they submit."""
        year = list_filters(self).get("fiscal_year")
        return Response(SubsidyAllowanceOutputSerializer(rules.allowance(request.user, year)).data)

    @extend_schema(
        request=SubsidyClaimResubmitInputSerializer, responses={200: SubsidyClaimOutputSerializer}
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """The participant corrects a returned claim and submits it again."""
        claim = self.get_object()
        data = SubsidyClaimResubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        # Validated as ids, from JSON or from a multipart form's repeated field alike.
        remove = v["remove_receipts"]
        claim = services.subsidy_claim_resubmit(
            by=request.user,
            claim=claim,
            session_date=v["session_date"],
            cost=v["cost"],
            note=v["note"],
            receipts=_files(request),
            remove_receipts=remove,
        )
        return self._out(claim)

    @extend_schema(request=None, responses={200: SubsidyClaimOutputSerializer})
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """The organisation has checked the claim and forwards it to CLAIR."""
        claim = self.get_object()
        return self._out(services.subsidy_claim_forward(by=request.user, claim=claim))

    @extend_schema(request=None, responses={200: SubsidyClaimOutputSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """CLAIR approves a forwarded claim."""
        claim = self.get_object()
        return self._out(services.subsidy_claim_approve(by=request.user, claim=claim))

    @extend_schema(
        request=SubsidyReturnInputSerializer, responses={200: SubsidyClaimOutputSerializer}
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """The organisation (a submitted claim) or CLAIR (a forwarded one) returns it to
        the participant with a reason."""
        claim = self.get_object()
        data = SubsidyReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.subsidy_claim_return(
            by=request.user, claim=claim, reason=data.validated_data["reason"]
        )
        return self._out(claim)


class SubsidyReceiptDownloadView(RestrictedQuerysetMixin, APIView):
    """A receipt of a claim the caller may see (else 404), as a file."""

    content_negotiation_class = FileNegotiation

    @extend_schema(responses=file_responses(*DOCUMENT_TYPES, description="The receipt"))
    def get(self, request, pk):
        receipt = selectors.receipt_get(user=request.user, pk=pk)
        if not receipt.file:
            raise Http404
        return FileResponse(
            receipt.file.open("rb"),
            as_attachment=True,
            filename=receipt.name,
            content_type=receipt.content_type,
        )


urlpatterns: list = [
    path(
        "subsidy-claims/receipts/<int:pk>/",
        SubsidyReceiptDownloadView.as_view(),
        name="subsidy-receipt-download",
    ),
]


def register(router) -> None:
    router.register("subsidy-claims", SubsidyClaimViewSet, basename="subsidy-claim")
