"""A safety check's export, as a Celery job. The selector runs for the person who asked,
so the file holds what their board shows: CLAIR every answer, an organisation its own
participants', a mission its nationals'; MOFA HQ the counts by country, no names."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import access
from apps.core import jobs as core_jobs
from apps.core.disclosure import is_hidden
from apps.core.errors import DomainError
from apps.core.jobs import export_write
from apps.core.models import Job, User
from apps.safety import selectors
from apps.safety.models import SafetyCheck


def safety_export_start(*, by: User, check: SafetyCheck, file_format: str) -> Job:
    """`check` as `check_get` gave it to `by`; the job reads it again for them."""
    if not access.can(by, "view", check):
        raise DomainError(_("You cannot export this safety check."))
    return core_jobs.export_start(
        by=by,
        file_format=file_format,
        handler="apps.safety.jobs.safety_export",
        title=_("Safety check %(title)s (%(format)s)")
        % {"title": check.text("title"), "format": file_format.upper()},
        params={"check": check.pk},
    )


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def answer_header() -> list[str]:
    return [
        _("Prefecture"),
        _("Contracting organisation"),
        _("Family name"),
        _("Given names"),
        _("Country"),
        _("Answer"),
        _("Answered"),
        _("Recorded by"),
        _("Note"),
        _("Current location"),
        _("Assigned to"),
    ]


def answer_row(answer) -> list:
    recorded_by = answer.recorded_by
    return [
        answer.prefecture.name,
        answer.organisation.name,
        answer.participant.last_name,
        answer.participant.first_name,
        answer.country.name,
        answer.get_status_display(),
        _when(answer.answered_at),
        recorded_by.get_full_name() or recorded_by.username if recorded_by else "",
        answer.note,
        answer.location,
        answer.assigned_to.get_full_name() if answer.assigned_to else "",
    ]


def counts_header() -> list[str]:
    return [_("Country"), _("Participants"), _("Safe"), _("Need help"), _("Not answered yet")]


def counts_row(row: dict) -> list:
    japanese = (translation.get_language() or "en").startswith("ja")
    name = (japanese and row["country__name_ja"]) or row["country__name_en"]
    return [
        name,
        *(
            str(n) if is_hidden(n) else n
            for n in (row["total"], row["safe"], row["need_help"], row["unanswered"])
        ),
    ]


def safety_export(job: Job) -> None:
    user = job.requested_by
    file_format = job.params.get("format")
    with translation.override(user.language):
        check = selectors.check_get(user=user, pk=job.params.get("check"))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if not selectors.sees_names(user):
            counts = selectors.counts_by_country(user=user, check=check)
            export_write(
                job,
                header=counts_header(),
                items=counts,
                row=counts_row,
                filename=f"safety-{check.pk}-counts-{stamp}.{file_format}",
                sheet_title=_("Safety check"),
            )
            job.result_message = ngettext(
                "%(count)s country exported.", "%(count)s countries exported.", len(counts)
            ) % {"count": len(counts)}
            return
        total = export_write(
            job,
            header=answer_header(),
            items=selectors.answer_list(user=user, check=check),
            row=answer_row,
            filename=f"safety-{check.pk}-{stamp}.{file_format}",
            sheet_title=_("Safety check"),
        )
        job.result_message = ngettext(
            "%(count)s answer exported.", "%(count)s answers exported.", total
        ) % {"count": total}
