"""Writes of events, sessions and registrations.

Events have organisers of several kinds (a mission, CLAIR, a prefectural contracting
organisation) and sessions may be presented by yet another (MEXT), so these services
belong to no single actor app: each asks the access rule who may make it (POLICY
"events.*" in apps/core/access.py; a refusal is 403 with the message the page and the
API both show). Capacity is kept by locking the event row while a seat is counted, so of
two people taking the last seat at once exactly one gets it and the other joins the
waitlist.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, User
from apps.events import rules
from apps.events.models import CalendarFeed, Event, Registration, Session
from apps.notifications.services import notifications_record
from apps.placement.models import Placement
from apps.recruitment.models import Application

EK = Event.Kind
AUD = Event.Audience

EVENT_FIELDS = {
    "kind",
    "title_en",
    "title_ja",
    "description_en",
    "description_ja",
    "venue_en",
    "venue_ja",
    "bring_en",
    "bring_ja",
    "online_url",
    "time_zone",
    "starts_at",
    "ends_at",
    "capacity",
    "registration_opens",
    "registration_closes",
    "audience",
    "audience_prefecture",
    "arrival_group",
    "attendance_required",
}
SESSION_FIELDS = {
    "title_en",
    "title_ja",
    "description_en",
    "description_ja",
    "starts_at",
    "ends_at",
    "room",
    "room_ja",
    "track",
    "capacity",
}


# --- events ------------------------------------------------------------------------------


def _check_event_fields(fields: dict, organiser: Organisation) -> None:
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    kind = fields.get("kind")
    if kind not in rules.kinds_run_by(organiser):
        raise DomainError(_("Your organisation does not run this kind of event."), field="kind")
    if not (fields.get("title_en") or "").strip():
        raise DomainError(_("Give the title in English."), field="title_en")
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if not starts or not ends:
        raise DomainError(_("Give the start and the end."), field="starts_at")
    if ends <= starts:
        raise DomainError(_("The end must come after the start."), field="ends_at")
    opens, closes = fields.get("registration_opens"), fields.get("registration_closes")
    if opens and closes and closes <= opens:
        raise DomainError(_("Registration must close after it opens."), field="registration_closes")
    if fields.get("audience") == AUD.PREFECTURE and not fields.get("audience_prefecture"):
        raise DomainError(_("Choose the prefecture of the audience."), field="audience_prefecture")
    capacity = fields.get("capacity")
    if capacity is not None and capacity < 1:
        raise DomainError(_("The capacity must be at least 1."), field="capacity")
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(fields.get("time_zone") or "Asia/Tokyo")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise DomainError(_("Choose a valid time zone."), field="time_zone") from None


def _one_newline(fields: dict) -> dict:
    """Texts with "\n" line ends, as a browser's CRLF or an API's LF alike: the same text
    typed again is no change (and no notice)."""
    return {
        name: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for name, value in fields.items()
    }


@transaction.atomic
def event_create(*, by: User, programme_year, **fields) -> Event:
    """An event of `by`'s organisation, of a kind it runs; CLAIR supports the
    prefectural mid-year seminars an organisation holds."""
    access.require_allowed(by, "add", Event, _("Only organisations that run events create them."))
    organiser = by.organisation
    fields = _one_newline(fields)
    if not fields.get("audience") and fields.get("kind"):
        fields["audience"] = rules.default_audience(fields["kind"])
        if fields["audience"] == AUD.PREFECTURE and not fields.get("audience_prefecture"):
            fields["audience_prefecture"] = organiser.prefecture
    _check_event_fields(fields, organiser)
    supported_by = None
    if fields["kind"] == EK.ALT_MID_YEAR and organiser.kind == Kind.CONTRACTING:
        supported_by = Organisation.objects.filter(kind=Kind.CLAIR).first()
    return Event.objects.create(
        programme_year=programme_year, organiser=organiser, supported_by=supported_by, **fields
    )


# What a registrant reads of an event (the notice, the schedule, the calendar entry): a
# change to one of these is news to them; the others are the organiser's settings.
SEEN_BY_REGISTRANTS = EVENT_FIELDS - {
    "kind",
    "capacity",
    "registration_opens",
    "registration_closes",
    "audience",
    "audience_prefecture",
    "arrival_group",
}


@transaction.atomic
def event_update(*, by: User, event: Event, **fields) -> Event:
    """Change an event; everyone registered is told, once per change that they would see
    (an edit that changes nothing they read notifies nobody)."""
    access.require(by, "change", event, _("Only the organiser changes this event."))
    event = (
        Event.objects.select_for_update(of=("self",)).select_related("organiser").get(pk=event.pk)
    )
    fields = _one_newline(fields)
    merged = {name: getattr(event, name) for name in EVENT_FIELDS} | fields
    merged["audience_prefecture"] = merged.get("audience_prefecture")
    _check_event_fields(merged, event.organiser)
    changed = {name for name, value in fields.items() if getattr(event, name) != value}
    if not changed:
        return event
    for name in changed:
        setattr(event, name, fields[name])
    news = bool(changed & SEEN_BY_REGISTRANTS)
    if news:
        event.sequence += 1
    event.save()
    if news:
        _notify_change(event)
    if "capacity" in changed:
        # A raised (or lifted) capacity frees seats: the waitlist moves up into them now,
        # not at the next cancellation.
        _promote(event)
    return event


def _notify_change(event: Event) -> None:
    people = User.objects.filter(
        registrations__event=event, registrations__state__in=Registration.LIVE
    )
    notifications_record(
        recipients=people,
        kind="event_changed",
        context=event_context(event),
        key=f"event_changed:{event.pk}:{event.sequence}",
    )


def event_context(event: Event) -> dict:
    tokyo = timezone.localtime(event.starts_at, _zone(event.time_zone))
    return {
        "event": event.pk,
        "title_en": event.title_en,
        "title_ja": event.title_ja or event.title_en,
        "venue_en": event.venue_en,
        "venue_ja": event.venue_ja or event.venue_en,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "local_start": tokyo.strftime("%Y-%m-%d %H:%M"),
        "time_zone": event.time_zone,
    }


def _zone(name: str):
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("Asia/Tokyo")


# --- sessions ----------------------------------------------------------------------------


def _check_session_fields(event: Event, fields: dict) -> None:
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if not (fields.get("title_en") or "").strip():
        raise DomainError(_("Give the title in English."), field="title_en")
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if not starts or not ends or ends <= starts:
        raise DomainError(_("The end must come after the start."), field="ends_at")
    if starts < event.starts_at or ends > event.ends_at:
        raise DomainError(_("A session must fall within its event."), field="starts_at")
    capacity = fields.get("capacity")
    if capacity is not None and capacity < 1:
        raise DomainError(_("The capacity must be at least 1."), field="capacity")


def _room_key(room: str) -> str:
    return " ".join((room or "").split()).casefold()


def session_clashes(*, event: Event, fields: dict, exclude: Session | None = None) -> list:
    """The sessions held in the same room at an overlapping time: of the same event, or
    of another event at the same venue (a room name alone means nothing across venues).
    A session with no room clashes with nothing."""
    room = _room_key(fields.get("room"))
    if not room:
        return []
    same_place = Q(event=event)
    venue = " ".join((event.venue_en or "").split())
    if venue:
        same_place |= Q(event__venue_en__iexact=venue)
    others = (
        Session.objects.filter(same_place)
        .filter(starts_at__lt=fields["ends_at"], ends_at__gt=fields["starts_at"])
        .select_related("event")
        .order_by("starts_at", "pk")
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    return [other for other in others if _room_key(other.room) == room]


def _refuse_clash(event: Event, fields: dict, exclude: Session | None, confirmed: bool) -> None:
    """A double-booked room is refused unless the person confirms they mean it (two
    small groups sharing a hall, a session that is part of another): a warning they
    must answer, not a silent acceptance and not a wall."""
    if confirmed:
        return
    clashes = session_clashes(event=event, fields=fields, exclude=exclude)
    if not clashes:
        return
    other = clashes[0]
    raise DomainError(
        _(
            "%(room)s is already booked then for “%(title)s” (%(event)s). Change the room "
            "or the time, or confirm that both sessions share the room."
        )
        % {"room": other.room, "title": other.title, "event": other.event.title},
        field="room",
    )


@transaction.atomic
def session_create(*, by: User, event: Event, confirm_clash: bool = False, **fields) -> Session:
    """A session of `event`; one in a room already booked at that time is refused unless
    `confirm_clash`."""
    access.require(by, "add_session", event, _("You cannot add sessions to this event."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    fields = _one_newline(fields)
    _check_session_fields(event, fields)
    _refuse_clash(event, fields, None, confirm_clash)
    session = Session.objects.create(event=event, presenter=by.organisation, **fields)
    event.sequence += 1
    event.save(update_fields=["sequence", "updated_at"])
    _notify_change(event)
    return session


# What a registrant reads of a session; its capacity is the organiser's setting.
SESSION_SEEN_BY_REGISTRANTS = SESSION_FIELDS - {"capacity"}


@transaction.atomic
def session_update(*, by: User, session: Session, confirm_clash: bool = False, **fields) -> Session:
    """Change a session; registrants are told only of what they would see change."""
    access.require(
        by, "change", session, _("Only the presenting organisation changes this session.")
    )
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    fields = _one_newline(fields)
    merged = {name: getattr(session, name) for name in SESSION_FIELDS} | fields
    _check_session_fields(session.event, merged)
    changed = {name for name, value in fields.items() if getattr(session, name) != value}
    if not changed:
        return session
    if changed & {"room", "starts_at", "ends_at"}:
        _refuse_clash(session.event, merged, session, confirm_clash)
    for name in changed:
        setattr(session, name, fields[name])
    news = bool(changed & SESSION_SEEN_BY_REGISTRANTS)
    if news:
        session.sequence += 1
    session.save()
    if news:
        event = session.event
        event.sequence += 1
        event.save(update_fields=["sequence", "updated_at"])
        _notify_change(event)
    return session


@transaction.atomic
def session_delete(*, by: User, session: Session) -> None:
    access.require(
        by, "delete", session, _("Only the presenting organisation changes this session.")
    )
    session = Session.objects.select_related("event").get(pk=session.pk)
    event = session.event
    session.delete()
    event.sequence += 1
    event.save(update_fields=["sequence", "updated_at"])
    _notify_change(event)


# --- registrations -----------------------------------------------------------------------


def _grant(registration: Registration) -> None:
    event = registration.event
    access.grant("view", registration, event.organiser)
    access.grant("change", registration, event.organiser)
    access.grant_user("view", registration, registration.person)
    # A mission sees the registrations of its own applicants.
    missions = (
        Application.objects.filter(applicant=registration.person)
        .values_list("mission", flat=True)
        .distinct()
    )
    for mission in Organisation.objects.filter(pk__in=list(missions)):
        if mission.pk != event.organiser_id:
            access.grant("view", registration, mission)


@transaction.atomic
def registration_create(*, by: User, event: Event, automatic: bool = False) -> Registration:
    """Register `by` for `event`: a seat while there is one, else the waitlist. An
    automatic registration (attendance required, a leaver's returning conference) is
    the service's own, not the person's choice."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not automatic:
        # Whom the event is meant for is the event's audience, a rule of the round of
        # events rather than a refusal of who someone is: 400, as a closed registration.
        if not access.can(by, "register", event):
            raise DomainError(_("This event is not open to you."))
        now = timezone.now()
        if event.registration_opens and now < event.registration_opens:
            raise DomainError(_("Registration has not opened yet."))
        if event.registration_closes and now > event.registration_closes:
            raise DomainError(_("Registration has closed."))
    if event.ends_at < timezone.now():
        raise DomainError(_("This event is over."))
    existing = event.registrations.filter(person=by, state__in=Registration.LIVE).first()
    if existing:
        if automatic:
            return existing
        raise DomainError(_("You are already registered for this event."))
    taken = event.registrations.filter(state=Registration.State.REGISTERED).count()
    full = event.capacity is not None and taken >= event.capacity
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                person=by,
                automatic=automatic,
                state=Registration.State.WAITLISTED if full else Registration.State.REGISTERED,
            )
    except IntegrityError:
        raise DomainError(_("You are already registered for this event.")) from None
    _grant(registration)
    return registration


def _promote(event: Event) -> list[Registration]:
    """Move the waitlist up into every free seat of `event`, first come first served, and
    tell each person moved up. The caller holds the event's row lock, so seats are
    counted once."""
    if event.capacity is None:
        free = None
    else:
        taken = event.registrations.filter(state=Registration.State.REGISTERED).count()
        free = event.capacity - taken
        if free <= 0:
            return []
    waiting = list(
        event.registrations.select_for_update(of=("self",))
        .filter(state=Registration.State.WAITLISTED)
        .select_related("person")
        .order_by("created_at", "pk")[:free]
    )
    for registration in waiting:
        _seat(event, registration)
    return waiting


def _seat(event: Event, registration: Registration) -> None:
    registration.state = Registration.State.REGISTERED
    registration.save(update_fields=["state"])
    notifications_record(
        recipients=[registration.person],
        kind="event_waitlist_moved_up",
        context=event_context(event),
        key=f"event_waitlist_moved_up:{registration.pk}",
    )


@transaction.atomic
def registration_cancel(*, by: User, registration: Registration) -> Registration:
    """Cancel (the person, or the event's organiser); a cancelled registration keeps no
    check-in, and the first on the waitlist moves up into the freed seat and is told."""
    access.require(by, "cancel", registration, _("You cannot cancel this registration."))
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.state == Registration.State.CANCELLED:
        raise DomainError(_("This registration is already cancelled."))
    freed = registration.state == Registration.State.REGISTERED
    registration.state = Registration.State.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.attended_at = None
    registration.checked_in_by = None
    registration.save()
    registration.sessions.clear()
    if freed:
        _promote(event)
    return registration


@transaction.atomic
def registration_promote(*, by: User, registration: Registration) -> Registration:
    """The organiser gives a waitlisted person a seat now, ahead of the queue and, where
    the event is full, above its capacity (their decision: a speaker, a late change of
    room). The person is told as when the waitlist moves up."""
    access.require(by, "change", registration, _("Only the organiser moves people up."))
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=registration.pk)
    )
    if registration.state != Registration.State.WAITLISTED:
        raise DomainError(_("Only someone on the waitlist can be moved up."))
    _seat(event, registration)
    return registration


def _overlap(a: Session, b: Session) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


@transaction.atomic
def registration_sessions_choose(
    *, by: User, registration: Registration, sessions: list[Session]
) -> Registration:
    """Choose sessions where they run in parallel; two at the same time are refused."""
    access.require(
        by, "choose_sessions", registration, _("You can only choose sessions for yourself.")
    )
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.state != Registration.State.REGISTERED:
        raise DomainError(_("Choose sessions once you hold a seat."))
    chosen = list(sessions)
    for session in chosen:
        if session.event_id != registration.event_id:
            raise DomainError(_("That session belongs to another event."), field="sessions")
    for i, first in enumerate(chosen):
        for second in chosen[i + 1 :]:
            if _overlap(first, second):
                raise DomainError(
                    _("“%(a)s” and “%(b)s” run at the same time; choose one.")
                    % {"a": first.title, "b": second.title},
                    field="sessions",
                )
    _refuse_full_sessions(registration, chosen)
    registration.sessions.set(chosen)
    return registration


def _refuse_full_sessions(registration: Registration, chosen: list[Session]) -> None:
    """A session with a capacity takes as many as it seats; one already chosen keeps its
    place. The sessions' rows are locked while seats are counted."""
    limited = [s.pk for s in chosen if s.capacity is not None]
    if not limited:
        return
    kept = set(registration.sessions.values_list("pk", flat=True))
    sessions = Session.objects.select_for_update().filter(pk__in=limited).order_by("pk")
    for session in sessions:
        if session.pk in kept:
            continue
        taken = session.registrations.filter(state=Registration.State.REGISTERED).count()
        if taken >= session.capacity:
            raise DomainError(
                _("“%(title)s” is full (%(capacity)s places); choose another session.")
                % {"title": session.title, "capacity": session.capacity},
                field="sessions",
            )


@transaction.atomic
def registration_check_in(*, by: User, registration: Registration) -> Registration:
    """The organiser (or CLAIR), who changes the event's registrations, records that the
    person came."""
    access.require(by, "change", registration, _("Only the organiser takes attendance."))
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )
    if registration.state != Registration.State.REGISTERED:
        raise DomainError(_("Only someone holding a seat can be checked in."))
    if registration.attended_at is None:
        registration.attended_at = timezone.now()
        registration.checked_in_by = by
        registration.save()
    return registration


@transaction.atomic
def registration_check_in_undo(*, by: User, registration: Registration) -> Registration:
    """Take back a check-in made by mistake (the wrong row tapped)."""
    access.require(by, "change", registration, _("Only the organiser takes attendance."))
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.attended_at is None:
        raise DomainError(_("This person is not checked in."))
    registration.attended_at = None
    registration.checked_in_by = None
    registration.save()
    return registration


def register_automatically(*, person: User, placement: Placement) -> list[Registration]:
    """Where attendance is required: a newly placed participant of arrival group A is
    registered for Tokyo Orientation A of their year. Called inside the acting service's
    transaction (the candidate's acceptance)."""
    events = Event.objects.filter(
        programme_year=placement.application.programme_year,
        kind=EK.TOKYO_ORIENTATION,
        arrival_group=placement.arrival_group,
        attendance_required=True,
        ends_at__gte=timezone.now(),
    )
    return [registration_create(by=person, event=event, automatic=True) for event in events]


# --- the calendar feed -------------------------------------------------------------------


def calendar_feed_get(*, person: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(person=person)
    return feed


@transaction.atomic
def calendar_feed_reset(*, by: User) -> CalendarFeed:
    """A new secret address; the old one answers 404 from now on."""
    from apps.events.models import new_feed_token

    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(person=by)
    feed.token = new_feed_token()
    feed.save()
    return feed


# --- reminders ---------------------------------------------------------------------------

WEEK = datetime.timedelta(days=7)
DAY = datetime.timedelta(days=1)


def reminders_send(now=None) -> int:
    """A week and a day before each event, everyone holding a seat is reminded, once
    each: the notification key makes a second run a no-op."""
    now = now or timezone.now()
    sent = 0
    for which, window_start, window_end in (
        ("week", now + DAY, now + WEEK),
        ("day", now, now + DAY),
    ):
        events = Event.objects.filter(starts_at__gt=window_start, starts_at__lte=window_end)
        for event in events:
            people = list(
                User.objects.filter(
                    registrations__event=event,
                    registrations__state=Registration.State.REGISTERED,
                )
            )
            created = notifications_record(
                recipients=people,
                kind=f"event_reminder_{which}",
                context=event_context(event),
                key=f"event_reminder:{event.pk}:{which}",
            )
            sent += len(created)
    return sent
