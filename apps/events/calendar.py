"""A person's schedule as an iCalendar feed their calendar app subscribes to.

The address holds a secret token and is the only credential: calendar apps cannot sign
in. An unknown token, or one the person has reset, answers 404. Each event the person
holds a live registration for is one VEVENT, and each session they chose is another;
UIDs are stable and SEQUENCE follows the model's, so an edit replaces the entry in the
person's calendar instead of adding a second one. Texts are in the person's language,
times in UTC.
"""

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Alarm, Calendar, vDuration
from icalendar import Event as VEvent

from apps.core.schedule import ScheduleItem, schedule_items
from apps.events import selectors
from apps.events.models import Event, Registration, Session

PRODID = "-//jetadmin//JET Programme schedule//EN"
UID_DOMAIN = "jetadmin"
EVENT_ALARM = datetime.timedelta(days=1)
SESSION_ALARM = datetime.timedelta(hours=1)
REFRESH = datetime.timedelta(hours=1)


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{UID_DOMAIN}"


def feed_path(token: str) -> str:
    return reverse("calendar:calendar-feed", kwargs={"token": token})


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _alarm(summary: str, before: datetime.timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -before)
    return alarm


def _lines(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _event_component(event: Event, registration: Registration | None = None) -> VEvent:
    """The event as one VEVENT; with the reader's `registration`, marked tentative while
    they wait for a seat."""
    summary = event.title
    bring = event.text("bring")
    component = VEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", _utc(event.updated_at))
    component.add("last-modified", _utc(event.updated_at))
    component.add("created", _utc(event.created_at))
    component.add("sequence", event.sequence)
    component.add("dtstart", _utc(event.starts_at))
    component.add("dtend", _utc(event.ends_at))
    component.add("summary", summary)
    location = event.text("venue")
    if location:
        component.add("location", location)
    description = _lines(
        event.text("description"),
        _("Organised by %(organiser)s.") % {"organiser": event.organiser.name},
        _("What to bring: %(bring)s") % {"bring": bring} if bring else "",
        _("Online: %(url)s") % {"url": event.online_url} if event.online_url else "",
        _("You are on the waitlist.")
        if registration is not None and registration.state == Registration.State.WAITLISTED
        else "",
    )
    if description:
        component.add("description", description)
    if event.online_url:
        component.add("url", event.online_url)
    waiting = registration is not None and registration.state != Registration.State.REGISTERED
    component.add("status", "TENTATIVE" if waiting else "CONFIRMED")
    component.add("transp", "OPAQUE")
    component.add("categories", [event.get_kind_display()])
    component.add_component(_alarm(summary, EVENT_ALARM))
    return component


def _session_component(session: Session, event: Event) -> VEvent:
    summary = session.title
    component = VEvent()
    component.add("uid", session_uid(session))
    component.add("dtstamp", _utc(session.updated_at))
    component.add("last-modified", _utc(session.updated_at))
    component.add("sequence", session.sequence)
    component.add("dtstart", _utc(session.starts_at))
    component.add("dtend", _utc(session.ends_at))
    component.add("summary", summary)
    location = ", ".join(part for part in (session.room, event.text("venue")) if part)
    if location:
        component.add("location", location)
    description = _lines(
        session.text("description"),
        _("Part of %(event)s, presented by %(presenter)s.")
        % {"event": event.title, "presenter": session.presenter.name},
    )
    component.add("description", description)
    component.add("related-to", event_uid(event))
    component.add("status", "CONFIRMED")
    component.add("transp", "OPAQUE")
    component.add_component(_alarm(summary, SESSION_ALARM))
    return component


def _calendar(name: str, zone_name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone_name or "Asia/Tokyo")
    return calendar


def schedule_item_component(item: ScheduleItem) -> VEvent:
    """One entry another domain put on the schedule, such as a booked interview."""
    component = VEvent()
    component.add("uid", item.uid)
    component.add("dtstamp", _utc(item.stamp))
    component.add("sequence", item.sequence)
    component.add("dtstart", _utc(item.starts_at))
    component.add("dtend", _utc(item.ends_at))
    component.add("summary", item.title)
    if item.location:
        component.add("location", item.location)
    elif item.online_url:
        component.add("location", item.online_url)
    description = _lines(
        item.description,
        _("Online: %(url)s") % {"url": item.online_url} if item.online_url else "",
        settings.SITE_URL + item.path if item.path else "",
    )
    if description:
        component.add("description", description)
    if item.online_url:
        component.add("url", item.online_url)
    component.add("status", "CONFIRMED")
    component.add("transp", "OPAQUE")
    component.add_component(_alarm(item.title, SESSION_ALARM))
    return component


def calendar_build(person, entries: list[dict]) -> bytes:
    """The feed for `person` from their schedule (`selectors.schedule`). Each entry gives
    its event and, where the person chose sessions, those sessions."""
    with translation.override(person.language or "en"):
        calendar = _calendar(_("JET Programme schedule"), person.time_zone)
        # Ask calendar apps to look again every hour, so changes reach them soon.
        calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
        for entry in entries:
            registration = entry["registration"]
            calendar.add_component(_event_component(entry["event"], registration))
            if entry["chosen"]:
                for session in entry["sessions"]:
                    calendar.add_component(_session_component(session, entry["event"]))
        # What other domains put on the schedule (a booked interview): apps.core.schedule.
        for item in schedule_items(user=person, include_past=True):
            calendar.add_component(schedule_item_component(item))
        return calendar.to_ical()


def event_calendar_build(event: Event, sessions, registration: Registration | None) -> bytes:
    """One event and its sessions, to add to a calendar once ("add to calendar"), in the
    active language. The UIDs are the feed's, so an event both downloaded and in the feed
    is one entry, not two."""
    calendar = _calendar(event.title, event.time_zone)
    calendar.add_component(_event_component(event, registration))
    for session in sessions:
        calendar.add_component(_session_component(session, event))
    return calendar.to_ical()


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """GET /calendar/<token>.ics: no sign-in, the token is the credential."""
    person, entries = selectors.schedule_for_feed(token=token)
    response = HttpResponse(
        calendar_build(person, entries), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="jet-schedule.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
