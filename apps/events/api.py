"""Events, sessions, registrations and each person's schedule in the API.

Who sees what is the selectors' (`event_list`, `session_list`, `registration_list`,
`schedule`), the same as the event pages; who may act is the access rule's (POLICY
"events.*"), asked by the restricted base; every write is the service in
`apps.events.services`. Something the caller cannot see answers 404; something they
see but may not change answers 403, before the service checks the transition.

Texts come in both languages (`title_en`, `title_ja`) and once more as `title`, in the
caller's language; times are ISO 8601 with the offset of the caller's time zone.
"""

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import access, limits
from apps.core import selectors as core_selectors
from apps.core.api import fields as api_fields
from apps.core.api.common import (
    CallerLocaleMixin,
    NamedChoiceField,
    PrefectureField,
    id_field,
    ids_field,
    note_field,
    text_field,
    year_field,
)
from apps.core.api.filters import (
    FilteredListMixin,
    IntegerFilter,
    ListFilters,
    TextFilter,
    YearFilter,
    YesNoFilter,
    list_filters,
)
from apps.core.api.pagination import CountedPagination
from apps.core.api.permissions import RestrictedQuerysetMixin
from apps.core.loading import linked_keys
from apps.core.models import ProgrammeYear
from apps.core.schedule import schedule_items
from apps.events import selectors, services
from apps.events.calendar import feed_path
from apps.events.models import Event, Registration, Session
from apps.placement.models import Placement

# --- output ----------------------------------------------------------------------------


def _event_kind(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(enum_name="EventKind", choices=Event.Kind.choices, **kwargs)


def _registration_state(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="RegistrationState", choices=Registration.State.choices, **kwargs
    )


@extend_schema_field(OpenApiTypes.STR)
class InCallersLanguage(serializers.Field):
    """`name_ja` for a Japanese caller where it is filled, else `name_en`."""

    def __init__(self, name: str, **kwargs):
        self.text_name = name
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.text(self.text_name)


class EventSummarySerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    programme_year = serializers.IntegerField(source="programme_year.year")
    kind = _event_kind()
    kind_label = api_fields.CharField(source="get_kind_display")
    organiser = serializers.IntegerField(source="organiser_id")
    organiser_name = api_fields.CharField(source="organiser.name")
    title = InCallersLanguage("title")
    title_en = api_fields.CharField()
    title_ja = api_fields.CharField()
    description = InCallersLanguage("description")
    description_en = api_fields.CharField()
    description_ja = api_fields.CharField()
    venue = InCallersLanguage("venue")
    venue_en = api_fields.CharField()
    venue_ja = api_fields.CharField()
    bring = InCallersLanguage("bring")
    bring_en = api_fields.CharField()
    bring_ja = api_fields.CharField()
    online_url = api_fields.CharField()
    time_zone = api_fields.CharField(help_text="IANA zone the event is held in")
    starts_at = api_fields.DateTimeField()
    ends_at = api_fields.DateTimeField()
    attendance_required = serializers.BooleanField()
    sequence = serializers.IntegerField(help_text="Bumped on every change")


class EventOutputSerializer(EventSummarySerializer):
    supported_by = serializers.IntegerField(source="supported_by_id", allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)
    seats_taken = serializers.IntegerField()
    seats_left = serializers.IntegerField(
        allow_null=True, help_text="Free seats; null where the event has no capacity"
    )
    registration_opens = api_fields.DateTimeField(allow_null=True)
    registration_closes = api_fields.DateTimeField(allow_null=True)
    audience = serializers.ChoiceField(choices=Event.Audience.choices)
    audience_prefecture = api_fields.CharField(
        source="audience_prefecture_id", allow_null=True, help_text="JIS code"
    )
    arrival_group = api_fields.CharField()
    my_registration = serializers.IntegerField(
        allow_null=True, help_text="The caller's live registration, if any"
    )
    my_registration_state = _registration_state(allow_null=True)
    updated_at = api_fields.DateTimeField()


class SessionOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    event = serializers.IntegerField(source="event_id")
    presenter = serializers.IntegerField(source="presenter_id")
    presenter_name = api_fields.CharField(source="presenter.name")
    title = InCallersLanguage("title")
    title_en = api_fields.CharField()
    title_ja = api_fields.CharField()
    description = InCallersLanguage("description")
    description_en = api_fields.CharField()
    description_ja = api_fields.CharField()
    starts_at = api_fields.DateTimeField()
    ends_at = api_fields.DateTimeField()
    room = api_fields.CharField()
    room_ja = api_fields.CharField()
    track = api_fields.CharField()
    capacity = serializers.IntegerField(allow_null=True, help_text="Places; null: no limit")
    sequence = serializers.IntegerField()
    updated_at = api_fields.DateTimeField()


class RegistrationOutputSerializer(api_fields.Serializer):
    id = serializers.IntegerField()
    event = serializers.IntegerField(source="event_id")
    event_title = api_fields.CharField(source="event.title")
    person = serializers.IntegerField(source="person_id", help_text="User id")
    person_name = api_fields.CharField(source="person.get_full_name")
    state = _registration_state()
    automatic = serializers.BooleanField()
    sessions = serializers.SerializerMethodField()
    created_at = api_fields.DateTimeField()
    cancelled_at = api_fields.DateTimeField(allow_null=True)
    attended_at = api_fields.DateTimeField(allow_null=True, help_text="Checked in at")
    checked_in_by = serializers.IntegerField(source="checked_in_by_id", allow_null=True)

    def get_sessions(self, registration) -> list[int]:
        chosen = registration.__dict__.get(SESSIONS_READ)
        if chosen is None:
            chosen = [session.pk for session in registration.sessions.all()]
        return sorted(chosen)


# A list's registrations read their sessions' ids into a plain list, from the link table
# alone, after the page is cut: Django's prefetch into `sessions` built a related manager
# and a queryset for each row, and its query joined the sessions and was compiled with
# every registration of the page as an object (CLAIR's 45, 5.5 ms to 4.9 in one process).
SESSIONS_READ = "sessions_read"


def sessions_attach(registrations) -> list:
    registrations = list(registrations)
    chosen = linked_keys(Registration.sessions, [registration.pk for registration in registrations])
    for registration in registrations:
        registration.__dict__[SESSIONS_READ] = chosen[registration.pk]
    return registrations


class ScheduleEntrySerializer(api_fields.Serializer):
    registration = serializers.IntegerField(source="registration.pk")
    state = _registration_state(source="registration.state")
    event = EventSummarySerializer()
    sessions = SessionOutputSerializer(many=True)
    chosen = serializers.BooleanField(
        help_text="Whether the sessions are the caller's choice (else: all of the event's)"
    )


class CalendarFeedOutputSerializer(api_fields.Serializer):
    url = serializers.URLField(help_text="Secret address; whoever has it reads the schedule")
    webcal_url = api_fields.CharField(help_text="The same, for calendar apps that subscribe")


# --- input -----------------------------------------------------------------------------


class EventInputSerializer(api_fields.Serializer):
    kind = _event_kind()
    title_en = api_fields.CharField(max_length=200)
    title_ja = api_fields.CharField(max_length=200, required=False, allow_blank=True)
    description_en = text_field(required=False, allow_blank=True)
    description_ja = text_field(required=False, allow_blank=True)
    venue_en = api_fields.CharField(max_length=300, required=False, allow_blank=True)
    venue_ja = api_fields.CharField(max_length=300, required=False, allow_blank=True)
    bring_en = note_field(required=False, allow_blank=True)
    bring_ja = note_field(required=False, allow_blank=True)
    online_url = serializers.URLField(max_length=limits.URL, required=False, allow_blank=True)
    time_zone = api_fields.CharField(max_length=50, required=False, help_text="IANA zone")
    starts_at = api_fields.DateTimeField()
    ends_at = api_fields.DateTimeField()
    capacity = serializers.IntegerField(
        min_value=1, max_value=limits.PEOPLE, required=False, allow_null=True
    )
    registration_opens = api_fields.DateTimeField(required=False, allow_null=True)
    registration_closes = api_fields.DateTimeField(required=False, allow_null=True)
    audience = serializers.ChoiceField(
        choices=Event.Audience.choices,
        required=False,
        help_text="Whom the event is for; left out, the usual audience of its kind",
    )
    audience_prefecture = PrefectureField(required=False, allow_null=True)
    arrival_group = serializers.ChoiceField(
        choices=Placement.ArrivalGroup.choices, required=False, allow_blank=True
    )
    attendance_required = serializers.BooleanField(required=False)


class EventCreateInputSerializer(EventInputSerializer):
    programme_year = year_field(
        required=False, help_text="Programme year, e.g. 2027; the current one if left out"
    )


class SessionInputSerializer(api_fields.Serializer):
    title_en = api_fields.CharField(max_length=200)
    title_ja = api_fields.CharField(max_length=200, required=False, allow_blank=True)
    description_en = text_field(required=False, allow_blank=True)
    description_ja = text_field(required=False, allow_blank=True)
    starts_at = api_fields.DateTimeField()
    ends_at = api_fields.DateTimeField()
    room = api_fields.CharField(max_length=100, required=False, allow_blank=True)
    room_ja = api_fields.CharField(max_length=100, required=False, allow_blank=True)
    track = api_fields.CharField(max_length=100, required=False, allow_blank=True)
    capacity = serializers.IntegerField(
        min_value=1, max_value=limits.PEOPLE, required=False, allow_null=True
    )
    confirm_clash = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Add or move the session even though its room is booked then",
    )


class SessionCreateInputSerializer(SessionInputSerializer):
    event = id_field()


class RegistrationCreateInputSerializer(api_fields.Serializer):
    event = id_field()


class RegistrationSessionsInputSerializer(api_fields.Serializer):
    sessions = ids_field(allow_empty=True, help_text="Session ids of the event")


# --- helpers ---------------------------------------------------------------------------


def _visible_event(user, pk, field: str = "event") -> Event:
    """An event id given in a request body: one the caller cannot see is a bad value."""
    try:
        return selectors.event_get(user=user, pk=pk)
    except Http404:
        raise serializers.ValidationError({field: [_("There is no such event.")]}) from None


def _with_counts(queryset, user):
    """Seats taken and left, and the caller's own live registration, a subquery each."""
    mine = Registration.objects.filter(
        event=OuterRef("pk"), person=user, state__in=Registration.LIVE
    ).order_by()
    return selectors.with_seats(queryset).annotate(
        my_registration=Subquery(mine.values("pk")[:1]),
        my_registration_state=Subquery(mine.values("state")[:1]),
    )


# --- events ----------------------------------------------------------------------------


class EventFilters(ListFilters):
    kind = filters.ChoiceFilter(choices=Event.Kind.choices)
    year = YearFilter(help_text="Programme year, e.g. 2027")
    upcoming = YesNoFilter(help_text="Only events not yet over")

    class Meta(ListFilters.Meta):
        model = Event


class EventViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Orientations, conferences and seminars the caller may see: CLAIR and MOFA all, an
    organisation those it runs or presents in (MEXT every conference), a person those
    meant for them. Organisers create and change their own (CLAIR any)."""

    serializer_class = EventOutputSerializer
    pagination_class = CountedPagination
    filterset_class = EventFilters
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    access_model = Event
    model_action_perms = {"create": "add"}
    action_messages = {
        "create": _lazy("Only organisations that run events create them."),
        "partial_update": _lazy("Only the organiser changes this event."),
    }

    def get_queryset(self):
        user = self.request.user
        # The filters narrow the list only: an event's own address ignores them.
        if self.action != "list":
            return _with_counts(selectors.event_list(user=user), user)
        params = list_filters(self)
        year = params.get("year")
        programme_year = ProgrammeYear.objects.filter(year=year).first() if year else None
        if year and programme_year is None:
            return Event.objects.none()
        events = selectors.event_list(
            user=user,
            programme_year=programme_year,
            kind=params.get("kind"),
            upcoming=params.get("upcoming", False),
        )
        return _with_counts(events, user)

    def _out(self, event: Event, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data, status=code)

    @extend_schema(request=EventCreateInputSerializer, responses={201: EventOutputSerializer})
    def create(self, request):
        user = request.user
        data = EventCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        year_number = values.pop("programme_year", None)
        if year_number is None:
            year = core_selectors.programme_year_current()
        else:
            year = ProgrammeYear.objects.filter(year=year_number).first()
        if year is None:
            raise serializers.ValidationError(
                {"programme_year": [_("There is no such programme year.")]}
            )
        event = services.event_create(by=user, programme_year=year, **values)
        return self._out(event, status.HTTP_201_CREATED)

    @extend_schema(request=EventInputSerializer, responses={200: EventOutputSerializer})
    def partial_update(self, request, pk=None):
        event = self.get_object()
        data = EventInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return self._out(services.event_update(by=request.user, event=event, **data.validated_data))


# --- sessions --------------------------------------------------------------------------


class SessionFilters(ListFilters):
    event = IntegerFilter(help_text="Event id")

    class Meta(ListFilters.Meta):
        model = Session


class SessionViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Sessions of the events the caller may see. The event's organiser adds sessions,
    and MEXT its seminars and workshops in the conferences; only the presenting
    organisation (or CLAIR) changes or removes a session."""

    serializer_class = SessionOutputSerializer
    pagination_class = CountedPagination
    filterset_class = SessionFilters
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_messages = {
        "partial_update": _lazy("Only the presenting organisation changes this session."),
        "destroy": _lazy("Only the presenting organisation changes this session."),
    }

    def get_queryset(self):
        sessions = selectors.session_list(user=self.request.user)
        event = list_filters(self).get("event") if self.action == "list" else None
        if event is not None:
            sessions = sessions.filter(event_id=event)
        return sessions

    def _out(self, session: Session, code=status.HTTP_200_OK) -> Response:
        return Response(
            self.get_serializer(self.get_queryset().get(pk=session.pk)).data, status=code
        )

    @extend_schema(request=SessionCreateInputSerializer, responses={201: SessionOutputSerializer})
    def create(self, request):
        data = SessionCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        event = _visible_event(request.user, values.pop("event"))
        # The event is named in the body, so the restricted base cannot ask for it.
        if not access.can(request.user, "add_session", event):
            raise exceptions.PermissionDenied(_("You cannot add sessions to this event."))
        session = services.session_create(by=request.user, event=event, **values)

        return self._out(session, status.HTTP_201_CREATED)

    @extend_schema(request=SessionInputSerializer, responses={200: SessionOutputSerializer})
    def partial_update(self, request, pk=None):
        session = self.get_object()
        data = SessionInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        # A partial update sends no confirmation unless the caller gives one.
        values.setdefault("confirm_clash", False)
        return self._out(services.session_update(by=request.user, session=session, **values))

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        session = self.get_object()
        services.session_delete(by=request.user, session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- registrations ---------------------------------------------------------------------


class RegistrationFilters(ListFilters):
    event = IntegerFilter(help_text="Event id")
    state = filters.ChoiceFilter(choices=Registration.State.choices)
    q = TextFilter(help_text="Name, username, email, or the registration's number (#123)")

    class Meta(ListFilters.Meta):
        model = Registration


class RegistrationViewSet(
    CallerLocaleMixin,
    RestrictedQuerysetMixin,
    FilteredListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Registrations: a person their own, an organiser those for its events, a mission
    its applicants'. A person registers themselves (a seat while there is one, else the
    waitlist), chooses sessions and cancels; the organiser checks people in."""

    serializer_class = RegistrationOutputSerializer
    pagination_class = CountedPagination
    filterset_class = RegistrationFilters
    lookup_value_regex = r"[0-9]+"
    access_model = Registration
    model_action_perms = {"create": "add"}
    # Checking people in changes the registration: the organiser's and CLAIR's.
    action_perms = {
        "cancel": "cancel",
        "check_in": "change",
        "check_in_undo": "change",
        "promote": "change",
        "sessions": "choose_sessions",
    }
    action_messages = {
        "create": _lazy("Applicants and participants register."),
        "cancel": _lazy("You cannot cancel this registration."),
        "check_in": _lazy("Only the organiser takes attendance."),
        "check_in_undo": _lazy("Only the organiser takes attendance."),
        "promote": _lazy("Only the organiser moves people up."),
        "sessions": _lazy("You can only choose sessions for yourself."),
    }

    def get_queryset(self):
        # The filters narrow the list only: a registration's own address ignores them.
        params = list_filters(self) if self.action == "list" else {}
        registrations = selectors.registration_list(
            user=self.request.user, event=params.get("event"), state=params.get("state")
        )
        if params.get("q"):
            registrations = selectors.registration_search(registrations, params["q"])
        return registrations

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return sessions_attach(page) if page is not None else None

    def _fresh(self, registration: Registration, code=status.HTTP_200_OK) -> Response:
        registration = selectors.registration_get(user=self.request.user, pk=registration.pk)
        return Response(self.get_serializer(registration).data, status=code)

    @extend_schema(
        request=RegistrationCreateInputSerializer, responses={201: RegistrationOutputSerializer}
    )
    def create(self, request):
        data = RegistrationCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = _visible_event(request.user, data.validated_data["event"])
        registration = services.registration_create(by=request.user, event=event)
        return self._fresh(registration, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RegistrationOutputSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a registration; the first on the waitlist takes the freed seat."""
        registration = self.get_object()
        services.registration_cancel(by=request.user, registration=registration)
        return self._fresh(registration)

    @extend_schema(request=None, responses={200: RegistrationOutputSerializer})
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request, pk=None):
        """The organiser records that the person came."""
        registration = self.get_object()
        services.registration_check_in(by=request.user, registration=registration)
        return self._fresh(registration)

    @extend_schema(request=None, responses={200: RegistrationOutputSerializer})
    @action(detail=True, methods=["post"], url_path="check-in/undo", url_name="check-in-undo")
    def check_in_undo(self, request, pk=None):
        """Take back a check-in made by mistake."""
        registration = self.get_object()
        services.registration_check_in_undo(by=request.user, registration=registration)
        return self._fresh(registration)

    @extend_schema(request=None, responses={200: RegistrationOutputSerializer})
    @action(detail=True, methods=["post"])
    def promote(self, request, pk=None):
        """The organiser gives a waitlisted person a seat, ahead of the queue and, where
        the event is full, above its capacity."""
        registration = self.get_object()
        services.registration_promote(by=request.user, registration=registration)
        return self._fresh(registration)

    @extend_schema(
        request=RegistrationSessionsInputSerializer, responses={200: RegistrationOutputSerializer}
    )
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """Choose the sessions to attend where several run in parallel; two at the same
        time are refused."""
        registration = self.get_object()
        data = RegistrationSessionsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = set(data.validated_data["sessions"])
        chosen = list(Session.objects.filter(event_id=registration.event_id, pk__in=ids))
        if len(chosen) != len(ids):
            raise serializers.ValidationError({"sessions": [_("Choose sessions of this event.")]})
        services.registration_sessions_choose(
            by=request.user, registration=registration, sessions=chosen
        )
        return self._fresh(registration)


# --- the caller's own schedule and calendar feed ---------------------------------------


class ScheduleFilters(ListFilters):
    past = YesNoFilter(help_text="Include events already over")

    class Meta(ListFilters.Meta):
        model = Registration


class MyScheduleView(CallerLocaleMixin, RestrictedQuerysetMixin, FilteredListMixin, APIView):
    """The caller's schedule, soonest first: each event they are registered or
    waitlisted for, with the sessions they chose (or all of the event's, where they
    chose none)."""

    filterset_class = ScheduleFilters

    @extend_schema(responses={200: ScheduleEntrySerializer(many=True)})
    def get(self, request):
        entries = selectors.schedule(
            user=request.user, include_past=list_filters(self).get("past", False)
        )
        return Response(ScheduleEntrySerializer(entries, many=True).data)


class ScheduleItemSerializer(api_fields.Serializer):
    uid = api_fields.CharField(help_text="Stable; the calendar feed's UID")
    title = api_fields.CharField()
    starts_at = api_fields.DateTimeField()
    ends_at = api_fields.DateTimeField()
    location = api_fields.CharField()
    online_url = api_fields.CharField(help_text="The meeting link, where the caller may join")
    description = api_fields.CharField()
    path = api_fields.CharField(help_text="The page it is about on this site")


class MyScheduleItemsView(CallerLocaleMixin, RestrictedQuerysetMixin, APIView):
    """What else is on the caller's schedule besides events, soonest first: their booked
    interview, or for a mission's staff the booked slots of their panels
    (apps.core.schedule). The same entries as "My schedule" and the calendar feed."""

    @extend_schema(responses={200: ScheduleItemSerializer(many=True)})
    def get(self, request):
        items = schedule_items(user=request.user)
        return Response(ScheduleItemSerializer(items, many=True).data)


def _feed_urls(request, token: str) -> dict:
    url = request.build_absolute_uri(feed_path(token))
    return {"url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


class MyCalendarFeedView(CallerLocaleMixin, RestrictedQuerysetMixin, APIView):
    """The secret address of the caller's calendar feed. Whoever holds it reads the
    schedule without signing in, so a reset gives a new address and the old one stops
    answering."""

    @extend_schema(request=None, responses={200: CalendarFeedOutputSerializer})
    def get(self, request):
        feed = services.calendar_feed_get(person=request.user)
        response = Response(CalendarFeedOutputSerializer(_feed_urls(request, feed.token)).data)
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(request=None, responses={200: CalendarFeedOutputSerializer})
    def post(self, request):
        feed = services.calendar_feed_reset(by=request.user)
        response = Response(CalendarFeedOutputSerializer(_feed_urls(request, feed.token)).data)
        response["Cache-Control"] = "private, no-store"
        return response
