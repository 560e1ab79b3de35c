"""The alumni export, as a job: the rows are `alumni_list` for the mission staff member
who asked, read again when the job runs, so a consent withdrawn in between is not in the
file. Written through apps.core.exports (formula-safe CSV and Excel)."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import access
from apps.core import jobs as core_jobs
from apps.core.jobs import export_write
from apps.core.models import Job, User
from apps.outreach.models import AlumniConsent
from apps.outreach.selectors import alumni_list


def consent_prefecture(consent) -> str:
    if (translation.get_language() or "en").startswith("ja") and consent.prefecture_ja:
        return consent.prefecture_ja
    return consent.prefecture_en


def alumni_export_start(*, by: User, file_format: str) -> Job:
    access.require_allowed(
        by, "export", AlumniConsent, _("Only an embassy or consulate exports its alumni.")
    )
    return core_jobs.export_start(
        by=by,
        file_format=file_format,
        handler="apps.outreach.jobs.alumni_export",
        title=_("Alumni who agreed to contact (%(format)s)") % {"format": file_format.upper()},
    )


def alumni_header() -> list[str]:
    return [
        _("Family name"),
        _("Given names"),
        _("Contact email"),
        _("Contact phone"),
        _("Years on the programme"),
        _("Placement prefecture"),
        _("Agreed on"),
    ]


def alumni_row(consent) -> list:
    person = consent.participant
    return [
        person.last_name,
        person.first_name,
        consent.contact_email,
        consent.contact_phone,
        consent.years,
        consent_prefecture(consent),
        timezone.localtime(consent.given_at).strftime("%Y-%m-%d"),
    ]


def alumni_export(job: Job) -> None:
    user = job.requested_by
    file_format = job.params.get("format")
    with translation.override(user.language):
        # Read again for whoever asked: a consent withdrawn since is not in the file.
        consents = alumni_list(user=user) if access.allowed(user, "export", AlumniConsent) else []
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        total = export_write(
            job,
            header=alumni_header(),
            items=list(consents),
            row=alumni_row,
            filename=f"alumni-{stamp}.{file_format}",
            sheet_title=_("Alumni"),
        )
        job.result_message = ngettext(
            "%(count)s alumnus or alumna exported.", "%(count)s alumni exported.", total
        ) % {"count": total}
