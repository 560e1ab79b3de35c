"""The statistics as CSV or Excel: the tables of the page, one after another in one
sheet, for the person who asked and as they see them (a mission its own country's rows).
Counts only, like the page; the writers in `apps.core.exports` escape formulas."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core import exports
from apps.core import jobs as core_jobs
from apps.core.disclosure import is_hidden
from apps.core.errors import DomainError
from apps.core.jobs import job_attach
from apps.core.models import Job, User
from apps.finance import selectors_statistics as selectors
from apps.finance import statistics


def statistics_export_start(*, by: User, year: str, file_format: str) -> Job:
    """`year`: the page's `year=` value ("2026" or "all"), checked here as the page does."""
    if selectors.statistics_scope(by) is None:
        raise DomainError(_("Programme statistics are not shared with you."))
    asked = statistics.year_asked(year)
    label = str(asked.year) if asked else _("all years")
    return core_jobs.export_start(
        by=by,
        file_format=file_format,
        handler="apps.finance.jobs_statistics.statistics_export",
        title=_("Programme statistics, %(year)s (%(format)s)")
        % {"year": label, "format": file_format.upper()},
        params={"year": str(asked.year) if asked else statistics.ALL_YEARS},
    )


def printed(value):
    """A cell as the file shows it: a hidden count as its reason ("fewer than 3")."""
    return str(value) if is_hidden(value) else value


def _block(title, header: list, rows: list[list]) -> list[list]:
    return [[title], header, *([printed(v) for v in row] for row in rows), []]


def _dimension_block(title, label, rows) -> list[list]:
    return _block(title, [label, _("Participants")], [[r["name"], r["n"]] for r in rows])


def year_rows(figures: dict) -> list[list]:
    p = figures["participants"]
    out = [[_("Programme year"), figures["year"]], []]
    for key, title, label in (
        ("by_country", _("Participants by country"), _("Country")),
        ("by_position", _("Participants by position"), _("Position")),
        ("by_prefecture", _("Participants by prefecture"), _("Prefecture")),
        ("by_contract_year", _("Participants by contract year"), _("Contract year")),
        ("by_school_level", _("ALTs by school level"), _("School level")),
    ):
        if p[key] is not None:
            out += _dimension_block(title, label, p[key])
    if figures["applications"] is not None:
        a = figures["applications"]
        out += _block(
            _("Applications against acceptance numbers"),
            [
                _("Country"),
                _("Position"),
                _("Places"),
                _("Applications"),
                _("Shortlisted or forwarded"),
                *(str(s["label"]) for s in a["statuses"]),
            ],
            [
                [
                    r["name"],
                    r["position"],
                    r["places"],
                    r["applications"],
                    r["holding"],
                    *r["cells"],
                ]
                for r in a["rows"]
            ],
        )
    if figures["preferences"] is not None:
        keys = statistics.PREFERENCE_KEYS
        out += _block(
            _("Placement by preference"),
            [
                _("Country"),
                _("Position"),
                _("Placed"),
                _("First"),
                _("Second"),
                _("Third"),
                _("None met"),
                _("No preference given"),
            ],
            [
                [r["name"], r["position"], *(r[k] for k in keys)]
                for r in figures["preferences"]["rows"]
            ],
        )
    if figures["reappointment"] is not None:
        keys = (*statistics.REAPPOINTMENT_KEYS, "rate")
        out += _block(
            _("Re-appointment by prefecture and position"),
            [
                _("Prefecture"),
                _("Position"),
                _("Cases"),
                _("Continuing"),
                _("Leaving"),
                _("Not decided yet"),
                _("Rate (%)"),
            ],
            [
                [r["name"], r["position"], *(r[k] for k in keys)]
                for r in figures["reappointment"]["by_prefecture"]
            ],
        )
    if figures["leavers"] is not None:
        out += _block(
            _("Leavers and alumni consent"),
            [
                _("Country"),
                _("Position"),
                _("Leavers"),
                _("Confirmed by CLAIR"),
                _("Alumni consent"),
            ],
            [
                [r["name"], r["position"], *(r[k] for k in statistics.LEAVER_KEYS)]
                for r in figures["leavers"]["rows"]
            ],
        )
    return out


def across_rows(across: dict) -> list[list]:
    header = [_("Programme year"), *(str(c["label"]) for c in across["columns"])]
    return [header, *([r["year"], *map(printed, r["cells"])] for r in across["rows"])]


def statistics_export(job: Job) -> None:
    user = job.requested_by
    file_format = job.params.get("format")
    # Counts hold no times, so only the language is the person's.
    with translation.override(user.language):
        if selectors.statistics_scope(user) is None:
            raise PermissionError("statistics are not shared with this user")
        year = statistics.year_asked(job.params.get("year"))
        if year is None:
            rows = across_rows(statistics.across_years(user=user))
        else:
            rows = year_rows(statistics.year_statistics(user=user, year=year))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        label = year.year if year else statistics.ALL_YEARS
        job_attach(
            job,
            filename=f"statistics-{label}-{stamp}.{file_format}",
            content=exports.WRITERS[file_format](rows, _("Programme statistics")),
        )
        job.result_message = _("Programme statistics exported.")
