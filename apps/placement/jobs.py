"""Placements as CSV or Excel, as a Celery job: the selector runs for the person who
asked, so the file holds exactly their list (a limited profile: no scores, no health)."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import jobs as core_jobs
from apps.core.errors import DomainError
from apps.core.jobs import export_write
from apps.core.models import Job, Kind, User
from apps.core.selectors import programme_year_current
from apps.placement import selectors

EXPORT_KINDS = (Kind.CLAIR, Kind.MOFA, Kind.MISSION, Kind.CONTRACTING)


def placements_export_start(*, by: User, file_format: str) -> Job:
    if by.kind not in EXPORT_KINDS:
        raise DomainError(_("You cannot export placements."))
    return core_jobs.export_start(
        by=by,
        file_format=file_format,
        handler="apps.placement.jobs.placements_export",
        title=_("Export of placements (%(format)s)") % {"format": file_format.upper()},
    )


def header() -> list[str]:
    return [
        _("Application number"),
        _("Family name"),
        _("Given names"),
        _("Country"),
        _("Embassy or consulate"),
        _("Contracting organisation"),
        _("Prefecture"),
        _("Municipality"),
        _("Position"),
        _("School level"),
        _("Arrival group"),
        _("Status"),
        _("Confirmed"),
    ]


def row(placement) -> list:
    application, position = placement.application, placement.position
    return [
        application.number,
        application.family_name,
        application.given_names,
        application.country.name,
        application.mission.name,
        position.organisation.name,
        position.prefecture.name,
        position.municipality,
        position.type,
        position.get_school_level_display(),
        placement.get_arrival_group_display(),
        placement.get_status_display(),
        timezone.localtime(placement.confirmed_at).strftime("%Y-%m-%d"),
    ]


def placements_export(job: Job) -> None:
    user = job.requested_by
    file_format = job.params.get("format")
    with translation.override(user.language):
        placements = selectors.placement_list(user=user, programme_year=programme_year_current())
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        total = export_write(
            job,
            header=header(),
            items=placements,
            row=row,
            filename=f"placements-{stamp}.{file_format}",
            sheet_title=_("Placements"),
        )
        job.result_message = ngettext(
            "%(count)s placement exported.", "%(count)s placements exported.", total
        ) % {"count": total}
