"""Applications and interview slots in the API: the same selectors as the pages decide
who sees what, and every action is the same service the pages call."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import selectors as core_selectors
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.models import Kind, ProgrammeYear
from apps.mofa import services
from apps.recruitment import selectors
from apps.recruitment.choices import Position
from apps.recruitment.models import Application, Score

Status = Application.Status
UNDER_REVIEW = "UNDER_REVIEW"
PERSON_KINDS = (Kind.APPLICANT, Kind.PARTICIPANT)


def _choice(params, name: str, choices) -> str | None:
    """A query parameter if it is one of `choices`; anything else filters nothing."""
    value = params.get(name)
    return value if value in choices else None


class ApplicationStaffOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    country = serializers.CharField(source="country_id", help_text="ISO 3166-1 alpha-2")
    mission = serializers.IntegerField(source="mission_id")
    position = serializers.ChoiceField(choices=Position.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    family_name = serializers.CharField()
    given_names = serializers.CharField()
    eligibility = serializers.ChoiceField(choices=Application.Eligibility.choices)
    screening_average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    interview_average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    alternate_rank = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    results_released_at = serializers.DateTimeField(allow_null=True)
    forwarded_at = serializers.DateTimeField(allow_null=True)


class ApplicationOwnOutputSerializer(serializers.Serializer):
    """What applicants see of their own application: no scores, no unreleased decision."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    country = serializers.CharField(source="country_id", help_text="ISO 3166-1 alpha-2")
    mission = serializers.IntegerField(source="mission_id")
    position = serializers.ChoiceField(choices=Position.choices)
    status = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(
        serializers.ChoiceField(choices=[*Status.values, UNDER_REVIEW]),
    )
    def get_status(self, application) -> str:
        return application.status_code_for_applicant()


APPLICATION_OUTPUT = PolymorphicProxySerializer(
    component_name="ApplicationOutput",
    serializers=[ApplicationStaffOutputSerializer, ApplicationOwnOutputSerializer],
    resource_type_field_name=None,
)
APPLICATION_LIST_OUTPUT = PolymorphicProxySerializer(
    component_name="ApplicationOutput",
    serializers=[ApplicationStaffOutputSerializer, ApplicationOwnOutputSerializer],
    resource_type_field_name=None,
    many=True,
)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("position", str, enum=Position.values),
            OpenApiParameter("eligibility", str, enum=Application.Eligibility.values),
            OpenApiParameter("q", str, description="Name or application number"),
        ],
        responses={200: APPLICATION_LIST_OUTPUT},
    ),
    retrieve=extend_schema(responses={200: APPLICATION_OUTPUT}),
)
class ApplicationViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Applications the user may see: a mission its own jurisdiction's, MOFA HQ all,
    CLAIR those forwarded to it, an applicant their own. Staff see the stored status and
    the scores; an applicant sees a decision only once results are released."""

    lookup_value_regex = r"[0-9]+"

    class ScoreInputSerializer(serializers.Serializer):
        stage = serializers.ChoiceField(choices=Score.Stage.choices)
        points = serializers.DictField(
            child=serializers.IntegerField(), help_text="{criterion id: points}"
        )
        comment = serializers.CharField(required=False, allow_blank=True, default="")

    class ScoreOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        application = serializers.IntegerField(source="application_id")
        stage = serializers.ChoiceField(choices=Score.Stage.choices)
        total = serializers.DecimalField(max_digits=5, decimal_places=2)
        comment = serializers.CharField()
        created_at = serializers.DateTimeField()

    class DecideInputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(
            choices=[(s.value, s.label) for s in Application.DECISIONS]
        )
        alternate_rank = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    class UpgradeInputSerializer(serializers.Serializer):
        reply_due = serializers.DateField()

    class BookInputSerializer(serializers.Serializer):
        slot = serializers.IntegerField()

    class BookingOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        application = serializers.IntegerField(source="application_id")
        slot = serializers.IntegerField(source="slot_id")
        booked_at = serializers.DateTimeField()

    class ReleaseInputSerializer(serializers.Serializer):
        year = serializers.IntegerField(help_text="Programme year, e.g. 2027")

        def validate_year(self, value):
            year = ProgrammeYear.objects.filter(year=value).first()
            if year is None:
                raise serializers.ValidationError(_("There is no such programme year."))
            return year

    class ReleaseOutputSerializer(serializers.Serializer):
        released = serializers.IntegerField()

    @property
    def action_perms(self):
        return {
            "score": "review_application",
            "invite": "review_application",
            "decide": "decide_application",
            "upgrade": "decide_application",
            "forward": "decide_application",
            # The applicant's own actions: they hold a personal change grant.
            "submit": "change",
            "withdraw": "change",
            # Staff may book a slot for an applicant they review.
            "book": "change" if self._is_person() else "review_application",
        }

    def _is_person(self) -> bool:
        return self.request.user.kind in PERSON_KINDS

    def get_serializer_class(self):
        if self._is_person():
            return ApplicationOwnOutputSerializer
        return ApplicationStaffOutputSerializer

    def get_queryset(self):
        params = self.request.query_params
        filters = {
            "position": _choice(params, "position", Position.values),
            "q": params.get("q") or None,
        }
        # A filter on the stored status or eligibility would tell an applicant an
        # unreleased decision by what it returns, so theirs take no such filter.
        if not self._is_person():
            filters["status"] = _choice(params, "status", Status.values)
            filters["eligibility"] = _choice(params, "eligibility", Application.Eligibility.values)
        return selectors.application_list(user=self.request.user, **filters)

    def get_object(self):
        application = selectors.application_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, application)
        return application

    def _fresh(self, application: Application) -> Response:
        application = selectors.application_get(user=self.request.user, pk=application.pk)
        return Response(self.get_serializer(application).data)

    @extend_schema(request=ScoreInputSerializer, responses={201: ScoreOutputSerializer})
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        application = self.get_object()
        data = self.ScoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        score = services.score_record(
            by=request.user, application=application, **data.validated_data
        )
        return Response(self.ScoreOutputSerializer(score).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecideInputSerializer, responses={200: APPLICATION_OUTPUT})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        application = self.get_object()
        data = self.DecideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.applications_decide(
            by=request.user,
            applications=[application],
            decision=data.validated_data["decision"],
            alternate_rank=data.validated_data.get("alternate_rank"),
        )
        return self._fresh(application)

    @extend_schema(request=None, responses={200: APPLICATION_OUTPUT})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        application = self.get_object()
        services.interviews_invite(by=request.user, applications=[application])
        return self._fresh(application)

    @extend_schema(request=UpgradeInputSerializer, responses={200: APPLICATION_OUTPUT})
    @action(detail=True, methods=["post"])
    def upgrade(self, request, pk=None):
        application = self.get_object()
        data = self.UpgradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.alternate_upgrade(
            by=request.user, application=application, reply_due=data.validated_data["reply_due"]
        )
        return self._fresh(application)

    @extend_schema(request=None, responses={200: APPLICATION_OUTPUT})
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        application = self.get_object()
        services.applications_forward(by=request.user, applications=[application])
        return self._fresh(application)

    @extend_schema(request=None, responses={200: APPLICATION_OUTPUT})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        services.application_withdraw(by=request.user, application=application)
        return self._fresh(application)

    @extend_schema(request=None, responses={200: APPLICATION_OUTPUT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.get_object()
        services.application_submit(by=request.user, application=application)
        return self._fresh(application)

    @extend_schema(request=BookInputSerializer, responses={201: BookingOutputSerializer})
    @action(detail=True, methods=["post"])
    def book(self, request, pk=None):
        application = self.get_object()
        data = self.BookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            slot = selectors.interview_slot_get(user=request.user, pk=data.validated_data["slot"])
        except Http404:
            raise serializers.ValidationError(
                {"slot": [_("There is no such interview slot.")]}
            ) from None
        booking = services.interview_book(by=request.user, application=application, slot=slot)
        return Response(self.BookingOutputSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReleaseInputSerializer, responses={200: ReleaseOutputSerializer})
    @action(detail=False, methods=["post"])
    def release(self, request):
        data = self.ReleaseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        released = services.results_release(
            by=request.user, programme_year=data.validated_data["year"]
        )
        return Response(self.ReleaseOutputSerializer({"released": released}).data)


class InterviewSlotOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    mission = serializers.IntegerField(source="mission_id")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    location = serializers.CharField()
    online_url = serializers.CharField()
    capacity = serializers.IntegerField()
    booked = serializers.IntegerField()


class InterviewSlotViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Interview slots: a mission's staff see and publish their own; an applicant invited
    to interview sees the slots of their mission."""

    serializer_class = InterviewSlotOutputSerializer
    pagination_class = CountedPagination
    lookup_value_regex = r"[0-9]+"

    class InterviewSlotInputSerializer(serializers.Serializer):
        year = serializers.IntegerField(
            required=False, help_text="Programme year; the current one if left out"
        )
        starts_at = serializers.DateTimeField()
        ends_at = serializers.DateTimeField()
        location = serializers.CharField(required=False, allow_blank=True, default="")
        online_url = serializers.URLField(required=False, allow_blank=True, default="")
        capacity = serializers.IntegerField(required=False, default=1, min_value=1)
        panel = serializers.ListField(
            child=serializers.IntegerField(),
            required=False,
            default=list,
            help_text="User ids of the mission's own staff",
        )

    def get_queryset(self):
        return selectors.interview_slot_list(user=self.request.user)

    @extend_schema(
        request=InterviewSlotInputSerializer, responses={201: InterviewSlotOutputSerializer}
    )
    def create(self, request):
        data = self.InterviewSlotInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        year_number = values.pop("year", None)
        if year_number is None:
            year = core_selectors.programme_year_current()
        else:
            year = ProgrammeYear.objects.filter(year=year_number).first()
        if year is None:
            raise serializers.ValidationError({"year": [_("There is no such programme year.")]})
        panel_ids = values.pop("panel")
        # Only the user's own colleagues can be named; anyone else is an unknown id.
        organisation = request.user.organisation
        panel = list(
            core_selectors.organisation_staff(organisation=organisation).filter(pk__in=panel_ids)
            if organisation and panel_ids
            else []
        )
        if len(panel) != len(set(panel_ids)):
            raise serializers.ValidationError(
                {"panel": [_("The panel is made of the mission's own staff.")]}
            )
        slot = services.interview_slot_create(
            by=request.user, programme_year=year, panel=panel, **values
        )
        slot = selectors.interview_slot_get(user=request.user, pk=slot.pk)
        return Response(self.get_serializer(slot).data, status=status.HTTP_201_CREATED)
