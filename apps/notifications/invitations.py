"""Calendar invitations (.ics, METHOD:REQUEST) sent with a notification's email.

A kind in INVITATIONS sends, with its email, an invitation built from the notification's
`invitation` context (uid, starts_at, ends_at, sequence, location, online_url): its title
in the recipient's language and its times in the recipient's time zone, so the calendar
app that opens it shows the same time the email's text gives.
"""

import datetime
import zoneinfo
from email.mime.text import MIMEText

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from apps.notifications.models import Notification

PRODID = "-//jetadmin//JET Programme invitation//EN"
ALARM = datetime.timedelta(hours=1)

# kind -> the invitation's title; %(mission)s is the mission's name in the language.
INVITATIONS = {
    "interview_booked": _lazy("JET Programme interview at %(mission)s"),
}


def _mission(context: dict) -> str:
    if (translation.get_language() or "en").startswith("ja") and context.get("mission_ja"):
        return context["mission_ja"]
    return context.get("mission_en", "")


def invitation_ics(notification: Notification, zone: zoneinfo.ZoneInfo) -> bytes | None:
    """The invitation for `notification`, or None for a kind (or an older row) without one."""
    invitation = notification.context.get("invitation")
    if notification.kind not in INVITATIONS or not invitation:
        return None
    context = notification.context
    with translation.override(notification.language):
        title = str(INVITATIONS[notification.kind]) % {"mission": _mission(context)}
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "REQUEST")
        event = Event()
        event.add("uid", invitation["uid"])
        event.add("sequence", invitation.get("sequence", 0))
        event.add("dtstamp", notification.created_at.astimezone(datetime.UTC))
        starts = datetime.datetime.fromisoformat(invitation["starts_at"]).astimezone(zone)
        ends = datetime.datetime.fromisoformat(invitation["ends_at"]).astimezone(zone)
        event.add("dtstart", starts)
        event.add("dtend", ends)
        event.add("summary", title)
        location = invitation.get("location") or invitation.get("online_url") or ""
        if location:
            event.add("location", location)
        lines = [
            _("Application %(number)s.") % {"number": context.get("number", "")},
        ]
        if invitation.get("online_url"):
            lines.append(_("Online: %(url)s") % {"url": invitation["online_url"]})
            event.add("url", invitation["online_url"])
        event.add("description", "\n\n".join(lines))
        organiser = vCalAddress(f"mailto:{_address(settings.DEFAULT_FROM_EMAIL)}")
        organiser.params["cn"] = vText(_mission(context) or "JET Programme")
        event.add("organizer", organiser)
        attendee = vCalAddress(f"mailto:{notification.address}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", attendee)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", -ALARM)
        event.add_component(alarm)
        calendar.add_component(event)
        calendar.add_missing_timezones()
        return calendar.to_ical()


def _address(sender: str) -> str:
    """The bare address of "Name <address>"."""
    return sender.rsplit("<", 1)[-1].strip(" >")


def invitation_part(notification: Notification, zone: zoneinfo.ZoneInfo) -> MIMEText | None:
    """The invitation as an email attachment (text/calendar; method=REQUEST), or None."""
    ics = invitation_ics(notification, zone)
    if ics is None:
        return None
    part = MIMEText(ics.decode(), "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
    return part
