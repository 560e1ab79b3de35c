"""Recruitment in the API: acceptance numbers and guidelines, applications and interview
slots. The same selectors as the pages decide who sees what (apps.recruitment.selectors),
and every action is the same service the pages call (apps.recruitment.services).

- `/api/v1/guidelines/`: the acceptance numbers and guidelines a user may read (missions
  their country's published ones; MOFA HQ, CLAIR and MIC all); MIC creates, changes and
  publishes them.
- `/api/v1/applications/`: the applications a user may see (a mission its own, MOFA HQ
  all, CLAIR those forwarded to it, an applicant their own, in the applicant's view);
  the mission's actions (score, invite, decide, upgrade, forward, release) and the
  applicant's (submit, withdraw), booking an interview for both; `scores/` (blind, a
  count only, to a reviewer until their own score of the stage is in, with each
  score's corrections) and `correct-score/` (the caller's own, with a reason).
- `/api/v1/interview-slots/`: a mission's staff see and publish their own; an applicant
  invited to interview sees the slots of their mission, with the meeting link only of
  the one they booked.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core import limits
from apps.core import selectors as core_selectors
from apps.core.api import fields as api_fields
from apps.core.api.common import (
    CallerLocaleMixin,
    id_field,
    ids_field,
    note_field,
    schema_any_of,
    text_field,
    year_field,
)
from apps.core.api.filters import (
    FilteredListMixin,
    ListFilters,
    TextFilter,
    YearFilter,
    list_filters,
)
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.models import Country, ProgrammeYear
from apps.recruitment import selectors, services
from apps.recruitment.choices import Position
from apps.recruitment.models import (
    AcceptanceNumber,
    Application,
    InterviewSlot,
    ResultRelease,
    Score,
)

Status = Application.Status
UNDER_REVIEW = "UNDER_REVIEW"
NUMBERS_REFUSAL = _lazy("Only MIC sets acceptance numbers.")


# --- acceptance numbers and guidelines ------------------------------------------------


class GuidelineOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    programme_year = serializers.IntegerField(source="programme_year.year")
    country = api_fields.CharField(source="country_id", help_text="ISO 3166-1 alpha-2")
    position = serializers.ChoiceField(choices=Position.choices)
    places = serializers.IntegerField()
    guideline_en = api_fields.CharField()
    guideline_ja = api_fields.CharField()
    state = serializers.ChoiceField(choices=AcceptanceNumber.State.choices)
    published_at = api_fields.DateTimeField(allow_null=True)


class GuidelineFilters(ListFilters):
    year = YearFilter(
        help_text="Programme year, e.g. 2027",
    )

    class Meta(ListFilters.Meta):
        model = AcceptanceNumber


class GuidelineViewSet(
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Acceptance numbers and guidelines per programme year, country and position.

    Missions read the published numbers of their own country; MOFA HQ, CLAIR and MIC read
    all. Only MIC creates, changes and publishes them."""

    serializer_class = GuidelineOutputSerializer
    pagination_class = CountedPagination
    filterset_class = GuidelineFilters
    lookup_value_regex = r"[0-9]+"
    # Creating sets the places of a country and position (or changes them if set).
    access_model = AcceptanceNumber
    model_action_perms = {"create": "change"}
    action_perms = {"publish": "change"}
    action_messages = {
        "create": NUMBERS_REFUSAL,
        "update": NUMBERS_REFUSAL,
        "publish": NUMBERS_REFUSAL,
    }

    class GuidelineCreateInputSerializer(api_fields.Serializer):
        year = year_field(help_text="Programme year, e.g. 2027")
        country = api_fields.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
        position = serializers.ChoiceField(choices=Position.choices)
        places = serializers.IntegerField(min_value=0, max_value=limits.PEOPLE)
        guideline_en = text_field(required=False, allow_blank=True, default="")
        guideline_ja = text_field(required=False, allow_blank=True, default="")

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

    class GuidelineUpdateInputSerializer(api_fields.Serializer):
        places = serializers.IntegerField(min_value=0, max_value=limits.PEOPLE)
        guideline_en = text_field(required=False, allow_blank=True, default="")
        guideline_ja = text_field(required=False, allow_blank=True, default="")

    def get_queryset(self):
        qs = selectors.acceptance_number_list(user=self.request.user)
        # The filter narrows the list only: a number's own address ignores it.
        year = list_filters(self).get("year") if self.action == "list" else None
        if year is not None:
            qs = qs.filter(programme_year__year=year)
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

    class PlacesOutputSerializer(api_fields.Serializer):
        id = serializers.IntegerField()
        programme_year = serializers.IntegerField(source="programme_year.year")
        country = api_fields.CharField(source="country_id", help_text="ISO 3166-1 alpha-2")
        position = serializers.ChoiceField(choices=Position.choices)
        places = serializers.IntegerField()
        taken = serializers.IntegerField(
            help_text="Shortlisted or forwarded, through any mission of the country"
        )
        left = serializers.IntegerField()

    @extend_schema(responses={200: PlacesOutputSerializer(many=True)})
    @action(detail=False, methods=["get"], filterset_class=GuidelineFilters, pagination_class=None)
    def remaining(self, request):
        """The places left against each published number the caller may read (a mission
        its own country's), for the programme year given or the current one: what the
        mission's pages show beside every decision."""
        year = list_filters(self).get("year")
        programme_year = (
            ProgrammeYear.objects.filter(year=year).first()
            if year is not None
            else core_selectors.programme_year_current()
        )
        numbers = selectors.places_remaining(user=request.user, programme_year=programme_year)
        return Response(self.PlacesOutputSerializer(numbers, many=True).data)


# --- applications ----------------------------------------------------------------------


class ApplicationStaffOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    number = api_fields.CharField()
    country = api_fields.CharField(source="country_id", help_text="ISO 3166-1 alpha-2")
    mission = serializers.IntegerField(source="mission_id")
    position = serializers.ChoiceField(choices=Position.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    family_name = api_fields.CharField()
    given_names = api_fields.CharField()
    eligibility = serializers.ChoiceField(choices=Application.Eligibility.choices)
    screening_average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    interview_average = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    alternate_rank = serializers.IntegerField(allow_null=True)
    submitted_at = api_fields.DateTimeField(allow_null=True)
    decided_at = api_fields.DateTimeField(allow_null=True)
    results_released_at = api_fields.DateTimeField(allow_null=True)
    forwarded_at = api_fields.DateTimeField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Blind scoring (selectors.with_score_visibility): an average stays null for a
        # reviewer who may still score that stage. Not annotated: hidden, to be safe.
        if getattr(instance, "screening_hidden", True):
            data["screening_average"] = None
        if getattr(instance, "interview_hidden", True):
            data["interview_average"] = None
        return data


class ApplicationOwnOutputSerializer(api_fields.Serializer):
    """What applicants see of their own application: no scores, no unreleased decision."""

    id = serializers.IntegerField()
    number = api_fields.CharField()
    country = api_fields.CharField(source="country_id", help_text="ISO 3166-1 alpha-2")
    mission = serializers.IntegerField(source="mission_id")
    position = serializers.ChoiceField(choices=Position.choices)
    status = serializers.SerializerMethodField()
    submitted_at = api_fields.DateTimeField(allow_null=True)

    @extend_schema_field(
        serializers.ChoiceField(choices=[*Status.values, UNDER_REVIEW]),
    )
    def get_status(self, application) -> str:
        return application.status_code_for_applicant()


class ApplicationOutputSerializer(api_fields.Serializer):
    """An application as the caller may read it: the applicant's view of their own (no
    scores, no decision before release), the staff's view of any other they see."""

    def to_representation(self, instance):
        user = self.context["request"].user
        own = instance.applicant_id == user.pk
        # One serializer of each view for the whole page: building one per row deep-copies
        # its fields every time, which cost half of a list's time.
        views = self.__dict__.setdefault("_views", {})
        if own not in views:
            view = ApplicationOwnOutputSerializer if own else ApplicationStaffOutputSerializer
            views[own] = view(context=self.context)
        return views[own].to_representation(instance)


# The staff's view holds every field of the applicant's, so an answer matches both: anyOf.
schema_any_of(
    ApplicationOutputSerializer,
    ApplicationStaffOutputSerializer,
    ApplicationOwnOutputSerializer,
    name="ApplicationOutput",
)


class ApplicationFilters(ListFilters):
    status = filters.ChoiceFilter(choices=Status.choices)
    position = filters.ChoiceFilter(choices=Position.choices)
    eligibility = filters.ChoiceFilter(choices=Application.Eligibility.choices)
    q = TextFilter(help_text="Name or application number")
    search = TextFilter(
        help_text="Application number (whole, or its serial: 303) or names, accents ignored"
    )
    # The page's sortable columns; any other value is a 400.
    o = filters.OrderingFilter(
        fields=[(column, column) for column in selectors.SORT_COLUMNS],
        help_text=(
            "Sort by a column; a leading '-' for descending. A sorted list is paged by "
            "number (?page=), not by cursor"
        ),
    )

    class Meta(ListFilters.Meta):
        model = Application


class ApplicationViewSet(
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Applications the user may see: a mission its own jurisdiction's, MOFA HQ all,
    CLAIR those forwarded to it, an applicant their own. Staff see the stored status and
    the scores; an applicant sees a decision only once results are released."""

    serializer_class = ApplicationOutputSerializer
    filterset_class = ApplicationFilters
    lookup_value_regex = r"[0-9]+"
    action_perms = {
        "score": "review_application",
        "correct_score": "review_application",
        "invite": "review_application",
        "decide": "decide_application",
        "upgrade": "decide_application",
        "forward": "decide_application",
        # The applicant's own actions: they hold a personal change grant.
        "submit": "change",
        "withdraw": "change",
        # The applicant books their own interview, the mission's staff for them.
        "book": "book",
    }
    # Releasing the results is an action on no application: the mission's release.
    access_model = ResultRelease
    model_action_perms = {"release": "add"}
    action_messages = {
        "release": _lazy("Only the embassy or consulate releases its results."),
        "book": _lazy("You cannot book an interview for this application."),
    }

    class ScoreInputSerializer(api_fields.Serializer):
        stage = serializers.ChoiceField(choices=Score.Stage.choices)
        # Each criterion's own highest score is the service's to check.
        points = serializers.DictField(
            child=serializers.IntegerField(min_value=0, max_value=1000),
            help_text="{criterion id: points}",
        )
        comment = note_field(required=False, allow_blank=True, default="")

        def validate_points(self, value):
            if len(value) > 100 or any(len(key) > 20 for key in value):
                raise serializers.ValidationError(_("Give the points of the rubric's criteria."))
            return value

    class ScoreOutputSerializer(api_fields.Serializer):
        id = serializers.IntegerField()
        application = serializers.IntegerField(source="application_id")
        stage = serializers.ChoiceField(choices=Score.Stage.choices)
        total = serializers.DecimalField(max_digits=5, decimal_places=2)
        comment = api_fields.CharField()
        created_at = api_fields.DateTimeField()

    class ScoreCorrectionInputSerializer(ScoreInputSerializer):
        comment = note_field(
            required=False, allow_blank=True, default=None, help_text="Unchanged if left out"
        )
        reason = note_field(help_text="Why the score changes; kept with its history")

    class ScoreRevisionOutputSerializer(api_fields.Serializer):
        previous_total = serializers.DecimalField(max_digits=5, decimal_places=2)
        new_total = serializers.DecimalField(max_digits=5, decimal_places=2)
        reason = api_fields.CharField()
        changed_by = serializers.IntegerField(source="changed_by_id")
        changed_at = api_fields.DateTimeField()

    class ScoreDetailOutputSerializer(ScoreOutputSerializer):
        reviewer = serializers.IntegerField(source="reviewer_id")
        points = serializers.DictField(child=serializers.IntegerField())
        revisions = serializers.SerializerMethodField()

        def get_revisions(self, score) -> list[dict]:
            serializer = ApplicationViewSet.ScoreRevisionOutputSerializer
            return serializer(score.revisions.all(), many=True).data

    class ScoreStageOutputSerializer(api_fields.Serializer):
        stage = serializers.ChoiceField(choices=Score.Stage.choices)
        hidden = serializers.BooleanField(
            help_text="True until the caller's own score of this stage is in"
        )
        count = serializers.IntegerField(help_text="How many reviewers have scored")
        scores = serializers.SerializerMethodField()

        def get_scores(self, stage) -> list[dict]:
            serializer = ApplicationViewSet.ScoreDetailOutputSerializer
            return serializer(stage["scores"], many=True).data

    class DecideInputSerializer(api_fields.Serializer):
        decision = serializers.ChoiceField(
            choices=[(s.value, s.label) for s in Application.DECISIONS]
        )
        alternate_rank = serializers.IntegerField(
            required=False, allow_null=True, min_value=1, max_value=limits.PEOPLE
        )

    class UpgradeInputSerializer(api_fields.Serializer):
        reply_due = api_fields.DateField()

    class BookInputSerializer(api_fields.Serializer):
        slot = id_field()

    class BookingOutputSerializer(api_fields.Serializer):
        id = serializers.IntegerField()
        application = serializers.IntegerField(source="application_id")
        slot = serializers.IntegerField(source="slot_id")
        booked_at = api_fields.DateTimeField()

    class ReleaseInputSerializer(api_fields.Serializer):
        year = year_field(help_text="Programme year, e.g. 2027")

        def validate_year(self, value):
            year = ProgrammeYear.objects.filter(year=value).first()
            if year is None:
                raise serializers.ValidationError(_("There is no such programme year."))
            return year

    class ReleaseOutputSerializer(api_fields.Serializer):
        released = serializers.IntegerField()

    def get_queryset(self):
        # The filters narrow the list only: an application's own address ignores them.
        if self.action != "list":
            qs = selectors.application_list(user=self.request.user)
            return selectors.with_score_visibility(qs, user=self.request.user)
        # A page learns which averages its reader is blind to after it is read.
        return self._list_queryset().select_related(None).only(*self.list_columns)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            page = selectors.score_visibility_attach(page, user=self.request.user)
        return page

    # What a page of the list reads: the fields of both views, and whose it is.
    list_columns = (
        *ApplicationStaffOutputSerializer._declared_fields,
        "applicant",
        "results_released_at",
    )

    def _list_queryset(self):
        params = list_filters(self)
        # The selector keeps the status and eligibility filters off the applicant's own
        # applications (they would tell an unreleased decision by what they return).
        ordering = params.get("o") or ["-created"]
        return selectors.application_list(
            user=self.request.user,
            position=params.get("position"),
            q=params.get("search") or params.get("q"),
            status=params.get("status"),
            eligibility=params.get("eligibility"),
            sort=ordering[0],
        )

    @property
    def paginator(self):
        # A cursor pages by one fixed order; a list sorted by a column is paged by number.
        if not hasattr(self, "_paginator") and "o" in self.request.query_params:
            self._paginator = CountedPagination()
        return super().paginator

    def _fresh(self, application: Application) -> Response:
        application = selectors.application_get(user=self.request.user, pk=application.pk)
        flags = (
            selectors.with_score_visibility(
                Application.objects.filter(pk=application.pk), user=self.request.user
            )
            .values("screening_hidden", "interview_hidden")
            .get()
        )
        for name, value in flags.items():
            setattr(application, name, value)
        return Response(self.get_serializer(application).data)

    @extend_schema(
        request=None, filters=False, responses={200: ScoreStageOutputSerializer(many=True)}
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def scores(self, request, pk=None):
        """Each stage's scores, with their corrections; blind (count only) until the
        caller's own score of that stage is in, as on the page."""
        application = self.get_object()
        if application.applicant_id == request.user.pk:
            # Applicants never see the mission's scores of their own application.
            raise PermissionDenied(_("The scores are the mission's working notes."))
        board = selectors.score_board(user=request.user, application=application)
        stages = [{"stage": stage, **board[stage]} for stage in Score.Stage.values]
        return Response(self.ScoreStageOutputSerializer(stages, many=True).data)

    @extend_schema(
        request=ScoreCorrectionInputSerializer, responses={200: ScoreDetailOutputSerializer}
    )
    @action(detail=True, methods=["post"], url_path="correct-score")
    def correct_score(self, request, pk=None):
        """Correct the caller's own score of a stage, saying why; the old one is kept."""
        application = self.get_object()
        data = self.ScoreCorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        own = selectors.score_board(user=request.user, application=application)[values["stage"]]
        if own["own"] is None:
            raise serializers.ValidationError(
                {"stage": [_("You have not scored this application at this stage.")]}
            )
        score = services.score_correct(
            by=request.user,
            score=own["own"],
            points=values["points"],
            comment=values["comment"],
            reason=values["reason"],
        )
        score = Score.objects.prefetch_related("revisions").get(pk=score.pk)
        return Response(self.ScoreDetailOutputSerializer(score).data)

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

    @extend_schema(request=DecideInputSerializer, responses={200: ApplicationOutputSerializer})
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

    @extend_schema(request=None, responses={200: ApplicationOutputSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        application = self.get_object()
        services.interviews_invite(by=request.user, applications=[application])
        return self._fresh(application)

    @extend_schema(request=UpgradeInputSerializer, responses={200: ApplicationOutputSerializer})
    @action(detail=True, methods=["post"])
    def upgrade(self, request, pk=None):
        application = self.get_object()
        data = self.UpgradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.alternate_upgrade(
            by=request.user, application=application, reply_due=data.validated_data["reply_due"]
        )
        return self._fresh(application)

    @extend_schema(request=None, responses={200: ApplicationOutputSerializer})
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        application = self.get_object()
        services.applications_forward(by=request.user, applications=[application])
        return self._fresh(application)

    @extend_schema(request=None, responses={200: ApplicationOutputSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        services.application_withdraw(by=request.user, application=application)
        return self._fresh(application)

    @extend_schema(request=None, responses={200: ApplicationOutputSerializer})
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


# --- interview slots -------------------------------------------------------------------


class InterviewSlotOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    mission = serializers.IntegerField(source="mission_id")
    starts_at = api_fields.DateTimeField()
    ends_at = api_fields.DateTimeField()
    location = api_fields.CharField()
    online_url = serializers.SerializerMethodField(
        help_text="The meeting link: for the mission's staff, and for the applicant booked in it"
    )
    capacity = serializers.IntegerField()
    booked = serializers.IntegerField()

    def get_online_url(self, slot) -> str:
        return slot.online_url if slot.link_visible else ""


class InterviewSlotViewSet(
    CallerLocaleMixin,
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
    access_model = InterviewSlot
    model_action_perms = {"create": "add", "day": "add"}
    action_messages = {
        "create": _lazy("Interview slots are published by an embassy or consulate."),
        "day": _lazy("Interview slots are published by an embassy or consulate."),
    }

    class InterviewSlotInputSerializer(api_fields.Serializer):
        year = year_field(required=False, help_text="Programme year; the current one if left out")
        starts_at = api_fields.DateTimeField()
        ends_at = api_fields.DateTimeField()
        location = api_fields.CharField(
            max_length=200, required=False, allow_blank=True, default=""
        )
        online_url = serializers.URLField(
            max_length=limits.URL, required=False, allow_blank=True, default=""
        )
        # As the mission's page allows.
        capacity = serializers.IntegerField(required=False, default=1, min_value=1, max_value=100)
        panel = ids_field(
            required=False, default=list, help_text="User ids of the mission's own staff"
        )

    class InterviewDayInputSerializer(api_fields.Serializer):
        year = year_field(required=False, help_text="Programme year; the current one if left out")
        day = serializers.DateField()
        first_start = serializers.TimeField(help_text="In the caller's time zone")
        last_end = serializers.TimeField(help_text="The last slot ends by then")
        length = serializers.IntegerField(min_value=5, max_value=480, help_text="Minutes")
        location = api_fields.CharField(
            max_length=200, required=False, allow_blank=True, default=""
        )
        online_url = serializers.URLField(
            max_length=limits.URL, required=False, allow_blank=True, default=""
        )
        capacity = serializers.IntegerField(required=False, default=1, min_value=1, max_value=100)
        panel = ids_field(
            required=False, default=list, help_text="User ids of the mission's own staff"
        )

    def get_queryset(self):
        return selectors.interview_slot_list(user=self.request.user)

    def _year_and_panel(self, values: dict):
        year_number = values.pop("year", None)
        if year_number is None:
            year = core_selectors.programme_year_current()
        else:
            year = ProgrammeYear.objects.filter(year=year_number).first()
        if year is None:
            raise serializers.ValidationError({"year": [_("There is no such programme year.")]})
        panel_ids = values.pop("panel")
        # Only the user's own colleagues can be named; anyone else is an unknown id.
        organisation = self.request.user.organisation
        panel = list(
            core_selectors.organisation_staff(organisation=organisation).filter(pk__in=panel_ids)
            if organisation and panel_ids
            else []
        )
        if len(panel) != len(set(panel_ids)):
            raise serializers.ValidationError(
                {"panel": [_("The panel is made of the mission's own staff.")]}
            )
        return year, panel

    @extend_schema(
        request=InterviewDayInputSerializer,
        responses={201: InterviewSlotOutputSerializer(many=True)},
        summary="Publish a day of back-to-back slots at once (all or none)",
    )
    @action(detail=False, methods=["post"])
    def day(self, request):
        data = self.InterviewDayInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        year, panel = self._year_and_panel(values)
        slots = services.interview_slots_create_day(
            by=request.user,
            programme_year=year,
            day=values["day"],
            first_start=values["first_start"],
            last_end=values["last_end"],
            length_minutes=values["length"],
            location=values["location"],
            online_url=values["online_url"],
            capacity=values["capacity"],
            panel=panel,
        )
        created = self.get_queryset().filter(pk__in=[slot.pk for slot in slots])
        return Response(
            self.get_serializer(created, many=True).data, status=status.HTTP_201_CREATED
        )

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
