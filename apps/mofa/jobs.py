"""MOFA's background jobs (apps.core.jobs): the export of a mission's application list."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import access
from apps.core import jobs as core_jobs
from apps.core.jobs import export_write
from apps.core.models import Job, User
from apps.mofa import exports
from apps.recruitment.models import Application


def applications_export_start(*, by: User, filters: dict, file_format: str) -> Job:
    """Queue the export of the list `by` is looking at; they watch it on the job page."""
    access.require_allowed(
        by, "export", Application, _("Only an embassy or consulate exports its applications.")
    )
    return core_jobs.export_start(
        by=by,
        file_format=file_format,
        handler="apps.mofa.jobs.applications_export",
        title=_("Export of applications (%(format)s)") % {"format": file_format.upper()},
        params={"filters": filters},
    )


def applications_export(job: Job) -> None:
    """Write the filtered list of the person who asked, never more: the same selector
    runs for `job.requested_by`, whatever the params say."""
    user = job.requested_by
    file_format = job.params.get("format")
    with translation.override(user.language):
        applications = exports.applications_for(user=user, filters=job.params.get("filters", {}))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        total = export_write(
            job,
            header=exports.header(),
            items=applications,
            row=exports.row,
            filename=f"applications-{stamp}.{file_format}",
            sheet_title=_("Applications"),
        )
        job.result_message = ngettext(
            "%(count)s application exported.", "%(count)s applications exported.", total
        ) % {"count": total}
