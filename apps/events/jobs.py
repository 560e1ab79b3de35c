"""An event's registrations as CSV or Excel, as a Celery job, for its organiser."""

import zoneinfo

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import access
from apps.core import jobs as core_jobs
from apps.core.errors import DomainError
from apps.core.jobs import export_write
from apps.core.models import Job, User
from apps.events import selectors

# --- registrations for an event ----------------------------------------------------------


def registrations_export_start(*, by: User, event, file_format: str) -> Job:
    """An event's registrations, for the organiser: the rows are what
    `registration_list` gives the person who asked, so no one exports more than the
    registrations table shows them."""
    if not access.can(by, "change", event):
        raise DomainError(_("Only the organiser exports the registrations."))
    return core_jobs.export_start(
        by=by,
        file_format=file_format,
        handler="apps.events.jobs.registrations_export",
        title=_("Registrations for %(event)s (%(format)s)")
        % {"event": event.text("title"), "format": file_format.upper()},
        params={"event": event.pk},
    )


def registration_header() -> list[str]:
    return [
        _("Family name"),
        _("Given names"),
        _("Email"),
        _("State"),
        _("Registered"),
        _("Registered automatically"),
        _("Sessions chosen"),
        _("Checked in"),
    ]


def registration_row(registration) -> list:
    person = registration.person

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return [
        person.last_name,
        person.first_name,
        person.email,
        registration.get_state_display(),
        when(registration.created_at),
        _("Yes") if registration.automatic else _("No"),
        "; ".join(session.text("title") for session in registration.sessions.all()),
        when(registration.attended_at),
    ]


def registrations_export(job: Job) -> None:
    user = job.requested_by
    file_format = job.params.get("format")
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("Asia/Tokyo")
    with translation.override(user.language), timezone.override(zone):
        event = selectors.event_get(user=user, pk=job.params.get("event"))
        registrations = selectors.registration_list(user=user, event=event).prefetch_related(
            "sessions"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        total = export_write(
            job,
            header=registration_header(),
            items=registrations,
            row=registration_row,
            filename=f"registrations-{event.pk}-{stamp}.{file_format}",
            sheet_title=_("Registrations"),
        )
        job.result_message = ngettext(
            "%(count)s registration exported.", "%(count)s registrations exported.", total
        ) % {"count": total}
