"""Reads of events, sessions, registrations and schedules, always through the access
rule: a page and its API endpoint call the same function."""

import re

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404

from apps.core import access
from apps.core.models import ProgrammeYear, User

# --- events ----------------------------------------------------------------------------


def event_list(
    *,
    user: User,
    programme_year: ProgrammeYear | None = None,
    kind: str | None = None,
    upcoming: bool = False,
) -> QuerySet:
    """Events are not secret, but each reader sees those meant for them: CLAIR and MOFA
    all; an organisation the events it runs, presents in or (a prefecture) hosts; MEXT
    also every conference it may add workshops to; a person those whose audience they are
    in, plus any they are registered for (the access rule's POLICY "events.event")."""
    from django.utils import timezone

    from apps.events.models import Event

    qs = access.restrict(
        Event.objects.select_related("organiser", "programme_year", "audience_prefecture"),
        user,
        "view",
    )
    if programme_year is not None:
        qs = qs.filter(programme_year=programme_year)
    if kind:
        qs = qs.filter(kind=kind)
    if upcoming:
        qs = qs.filter(ends_at__gte=timezone.now())
    return qs


def with_seats(events: QuerySet) -> QuerySet:
    """Events with `seats_taken` (people holding a seat) and `seats_left` (None where
    the event has no capacity), one subquery for any number of events."""
    from apps.events.models import Registration

    taken = (
        Registration.objects.filter(event=OuterRef("pk"), state=Registration.State.REGISTERED)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    events = events.annotate(
        seats_taken=Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))
    )
    return events.annotate(
        seats_left=Case(
            When(capacity__isnull=True, then=Value(None)),
            default=Greatest(F("capacity") - F("seats_taken"), Value(0)),
            output_field=IntegerField(),
        )
    )


def event_get(*, user: User, pk, seats: bool = False):
    """One event the user may see (else 404); with `seats`, its `seats_taken` and
    `seats_left` (`with_seats`)."""
    events = event_list(user=user)
    if seats:
        events = with_seats(events)
    try:
        return events.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def session_list(*, user: User, event=None) -> QuerySet:
    from apps.events.models import Session

    events = event_list(user=user)
    qs = Session.objects.filter(event__in=events).select_related("event", "presenter")
    if event is not None:
        qs = qs.filter(event=event)
    return qs.order_by("starts_at", "track", "pk")


def registration_list(*, user: User, event=None, state: str | None = None) -> QuerySet:
    """An organiser sees its events' registrations, a mission its applicants', a person
    their own; nobody else any."""
    from apps.events.models import Registration

    qs = access.restrict(Registration.objects.all(), user, "view")
    if event is not None:
        qs = qs.filter(event=event)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("event", "person").order_by("event_id", "created_at", "pk")


NUMBER = re.compile(r"^#?\s*(\d{1,12})$")


def registration_search(registrations: QuerySet, query: str) -> QuerySet:
    """Registrations whose person's name, username or email contains `query`, or whose
    number (what the QR code on the person's registration holds, "#123") it is."""
    query = " ".join((query or "").split())
    if not query:
        return registrations
    number = NUMBER.match(query)
    if number:
        return registrations.filter(pk=int(number.group(1)))
    match = Q()
    for word in query.split(" "):
        match &= (
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__username__icontains=word)
            | Q(person__email__icontains=word)
        )
    return registrations.filter(match)


def timetable(*, sessions) -> dict:
    """Sessions as a grid: each day (in the active zone, the reader's) with its rooms as
    columns and its start times as rows; a cell lists the sessions starting then there.
    Sessions with no room share one column, last."""
    from django.utils import timezone

    days: dict = {}
    for session in sessions:
        start = timezone.localtime(session.starts_at)
        day = days.setdefault(start.date(), {"rooms": [], "rows": {}})
        room = session.room_name or ""
        if room not in day["rooms"]:
            day["rooms"].append(room)
        day["rows"].setdefault(start, {}).setdefault(room, []).append(session)
    grid = []
    for date in sorted(days):
        day = days[date]
        rooms = sorted(day["rooms"], key=lambda name: (name == "", name.casefold()))
        rows = [
            {"starts": starts, "cells": [day["rows"][starts].get(room, []) for room in rooms]}
            for starts in sorted(day["rows"])
        ]
        grid.append({"date": date, "rooms": rooms, "rows": rows})
    return {"days": grid}


def registration_get(*, user: User, pk, perm: str = "view"):
    from apps.events.models import Registration

    registration = access.get_or_404(
        Registration.objects.select_related("event", "person"), user, pk, "view"
    )
    if perm != "view":
        access.require(user, perm, registration)
    return registration


def registration_cancel_preview(*, registration) -> dict:
    """What cancelling `registration` would do: whether it frees a seat, and how many
    people wait for one (a count only, never who they are)."""
    from apps.events.models import Registration

    frees_seat = registration.state == Registration.State.REGISTERED
    waiting = Registration.objects.filter(
        event_id=registration.event_id, state=Registration.State.WAITLISTED
    ).count()
    return {
        "frees_seat": frees_seat,
        "waitlisted": registration.state == Registration.State.WAITLISTED,
        "waiting": waiting,
        "seat_goes_to_next": frees_seat and waiting > 0,
    }


def schedule(*, user: User, include_past: bool = False) -> list[dict]:
    """The person's schedule, soonest first: each live registration's event and the
    sessions they chose (or all sessions, where they chose none)."""
    from django.db.models import Prefetch
    from django.utils import timezone

    from apps.events.models import Registration, Session

    qs = (
        access.restrict(Registration.objects.all(), user, "view")
        .filter(person=user, state__in=Registration.LIVE)
        .select_related("event__organiser", "event__audience_prefecture")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.select_related("presenter")),
            Prefetch("event__sessions", queryset=Session.objects.select_related("presenter")),
        )
        .order_by("event__starts_at", "event_id")
    )
    if not include_past:
        qs = qs.filter(event__ends_at__gte=timezone.now())
    return [
        {
            "registration": registration,
            "event": registration.event,
            "sessions": list(registration.sessions.all())
            or list(registration.event.sessions.all()),
            "chosen": bool(registration.sessions.all()),
        }
        for registration in qs
    ]


def schedule_for_feed(*, token: str):
    """The person behind a calendar feed's secret address and their schedule; 404 for an
    unknown (or reset) address."""
    from apps.events.models import CalendarFeed

    feed = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if feed is None or not feed.person.is_active:
        raise Http404
    return feed.person, schedule(user=feed.person, include_past=True)
