"""A re-appointment round as CSV or Excel, as a Celery job: its cases (names for
those who may see them) and its counts."""

import zoneinfo

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import access
from apps.core import jobs as core_jobs
from apps.core.disclosure import is_hidden
from apps.core.errors import DomainError
from apps.core.jobs import export_write
from apps.core.models import Job, User
from apps.reappointment import selectors
from apps.reappointment.counts import counts_rows


def printed(value):
    """A count as the file shows it: the number, or "fewer than 3" in its place."""
    return str(value) if is_hidden(value) else value


# --- the re-appointment round --------------------------------------------------------------
# Whoever may count the round exports it: CLAIR every case, an organisation its own
# participants' cases; MIC, which sees no case, the counts, never a name (DESIGN.md:
# re-appointment answers).


def reappointment_export_start(*, by: User, round_, file_format: str) -> Job:
    """`round_` as `reappointment_round_get` gave it to `by`; the job reads it again for
    them, so the file holds what their pages show."""
    if not access.can(by, "count", round_):
        raise DomainError(_("You cannot export the re-appointment round."))
    return core_jobs.export_start(
        by=by,
        file_format=file_format,
        handler="apps.reappointment.jobs.reappointment_export",
        title=_("Re-appointment %(year)s (%(format)s)")
        % {"year": round_.programme_year.year, "format": file_format.upper()},
        params={"round": round_.pk},
    )


def reappointment_case_header() -> list[str]:
    return [
        _("Application number"),
        _("Family name"),
        _("Given names"),
        _("Country"),
        _("Prefecture"),
        _("Contracting organisation"),
        _("Position"),
        _("Contract year"),
        _("Years on the programme"),
        _("May continue"),
        _("Organisation's answer"),
        _("Organisation's reason"),
        _("Grounds for a fourth or fifth year"),
        _("Participant's answer"),
        _("Participant's reason"),
        _("Reopened until"),
        _("Reason for reopening"),
        _("Outcome"),
    ]


def reappointment_case_row(case) -> list:
    application = case.placement.application
    reopened = (
        timezone.localtime(case.reopened_until).strftime("%Y-%m-%d %H:%M")
        if case.reopened_until
        else ""
    )
    return [
        application.number,
        application.family_name,
        application.given_names,
        application.country.name,
        case.organisation.prefecture.name if case.organisation.prefecture else "",
        case.organisation.name,
        case.placement.position.type,
        case.contract_year,
        case.years_so_far,
        _("Yes") if case.may_continue else _("No"),
        case.get_organisation_answer_display(),
        case.organisation_reason,
        case.grounds,
        case.get_participant_answer_display(),
        case.participant_reason,
        reopened,
        case.reopen_reason,
        case.get_outcome_display(),
    ]


def reappointment_counts_header() -> list[str]:
    return [
        _("Prefecture"),
        _("Position"),
        _("Contract year"),
        _("Organisation's answer"),
        _("Participant's answer"),
        _("Outcome"),
        _("Participants"),
    ]


def reappointment_counts_row(row: dict) -> list:
    from apps.reappointment.models import ReappointmentCase as Case

    japanese = (translation.get_language() or "en").startswith("ja")
    name = (japanese and row["organisation__prefecture__name_ja"]) or row[
        "organisation__prefecture__name_en"
    ]
    return [
        name or "",
        row["placement__position__type"],
        row["contract_year"],
        Case.OrganisationAnswer(row["organisation_answer"]).label,
        Case.ParticipantAnswer(row["participant_answer"]).label,
        Case.Outcome(row["outcome"]).label,
        printed(row["n"]),
    ]


def reappointment_export(job: Job) -> None:
    """The round's cases as `reappointment_case_list` gives them to the person who asked
    (CLAIR all, an organisation its own); for whoever sees none of them (MIC) the
    counts, which hold no names."""
    user = job.requested_by
    file_format = job.params.get("format")
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("Asia/Tokyo")
    with translation.override(user.language), timezone.override(zone):
        round_ = selectors.reappointment_round_get(user=user, pk=job.params.get("round"))
        year = round_.programme_year.year
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        cases = selectors.reappointment_case_list(user=user, round=round_)
        if selectors.reappointment_counts_only(user=user, round=round_):
            # The API's rows, the small cells hidden the same way, and their total.
            answer = counts_rows(
                selectors.reappointment_counts(user=user, round=round_), protect=True
            )
            counts = answer["rows"]
            export_write(
                job,
                header=reappointment_counts_header(),
                items=counts,
                row=reappointment_counts_row,
                footer=[_("Total"), "", "", "", "", "", printed(answer["total"])],
                filename=f"reappointment-counts-{year}-{stamp}.{file_format}",
                sheet_title=_("Re-appointment counts"),
            )
            job.result_message = ngettext(
                "%(count)s row of counts exported.",
                "%(count)s rows of counts exported.",
                len(counts),
            ) % {"count": len(counts)}
            return
        total = export_write(
            job,
            header=reappointment_case_header(),
            items=cases,
            row=reappointment_case_row,
            filename=f"reappointment-{year}-{stamp}.{file_format}",
            sheet_title=_("Re-appointment"),
        )
        job.result_message = ngettext(
            "%(count)s re-appointment case exported.",
            "%(count)s re-appointment cases exported.",
            total,
        ) % {"count": total}
