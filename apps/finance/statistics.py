"""The programme statistics shaped for the page and the API: tables, chart bars and the
across-years table, from the grouped rows of `selectors_statistics`. The rows hold no
person, so nothing here can show one; the figures a viewer may not see are None.

Bar widths are strings ("12.5"), so the SVG gets a dot as decimal mark in every
language."""

from collections import defaultdict

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.models import ProgrammeYear, User
from apps.finance import selectors_statistics as selectors
from apps.placement.models import PositionRequest
from apps.reappointment.counts import decision
from apps.recruitment.choices import Position
from apps.recruitment.models import Application

Status = Application.Status

# Stacked segments, in drawing order; colours keep 3:1 contrast on white.
PREFERENCE_SEGMENTS = (
    ("first", _("First preference"), "#1d3f72"),
    ("second", _("Second preference"), "#5b7db1"),
    ("third", _("Third preference"), "#9fb4d3"),
    ("none_met", _("None of the preferences"), "#b00d26"),
    ("no_preference", _("No preference given"), "#6b7280"),
)
REAPPOINTMENT_SEGMENTS = (
    ("continuing", _("Continuing"), "#1d3f72"),
    ("leaving", _("Leaving"), "#b00d26"),
    ("open", _("Not decided yet"), "#9fb4d3"),
)
APPLICATION_KEYS = {status: status.lower() for status in selectors.APPLICATION_STATUSES}
CONTRACT_YEARS = range(1, 6)


def _name(en: str | None, ja: str | None) -> str:
    if (get_language() or "en").startswith("ja") and ja:
        return ja
    return en or ""


def _bars(rows: list[dict], key: str = "n") -> list[dict]:
    """Each row's bar width in percent of the longest, on one scale for the table."""
    scale = max((row[key] for row in rows), default=0) or 1
    for row in rows:
        row["width"] = f"{row[key] * 100 / scale:.1f}"
    return rows


def _segments(rows: list[dict], segments: tuple, total: str) -> list[dict]:
    """Stacked bars on one scale: the row with most `total` fills its bar."""
    scale = max((row[total] for row in rows), default=0) or 1
    for row in rows:
        x = 0.0
        row["segments"] = []
        for key, label, colour in segments:
            width = row[key] * 100 / scale
            row["segments"].append(
                {"label": label, "n": row[key], "colour": colour, "x": f"{x:.1f}"}
                | {"width": f"{width:.1f}"}
            )
            x += width
    return rows


def _legend(segments: tuple) -> list[dict]:
    return [{"label": label, "colour": colour} for _key, label, colour in segments]


def _rate(continuing: int, leaving: int) -> float | None:
    """Re-appointed out of those decided; None while nobody is."""
    decided = continuing + leaving
    return round(continuing * 100 / decided, 1) if decided else None


# --- one programme year --------------------------------------------------------------------


def _dimension(rows: list[dict], code_of, name_of, order=None) -> list[dict]:
    counts: dict = defaultdict(int)
    names = {}
    for row in rows:
        code = code_of(row)
        counts[code] += row["n"]
        names[code] = name_of(row)
    codes = sorted(counts, key=order) if order else sorted(counts, key=lambda c: names[c])
    return _bars([{"code": code, "name": str(names[code]), "n": counts[code]} for code in codes])


def participants_summary(rows: list[dict], scope: selectors.Scope) -> dict:
    positions = dict(Position.choices)
    levels = dict(PositionRequest.SchoolLevel.choices)
    prefix = "placement__position__prefecture"
    country = "placement__application__country"
    alts = [row for row in rows if row["placement__position__type"] == Position.ALT]
    level_order = list(levels)
    return {
        "total": sum(row["n"] for row in rows),
        "by_country": None
        if scope.education_only
        else _dimension(
            rows,
            lambda r: r[f"{country}_id"],
            lambda r: _name(r[f"{country}__name_en"], r[f"{country}__name_ja"]),
        ),
        "by_position": None
        if scope.education_only
        else _dimension(
            rows,
            lambda r: r["placement__position__type"],
            lambda r: positions.get(r["placement__position__type"], ""),
            order=list(positions).index,
        ),
        "by_prefecture": _dimension(
            rows,
            lambda r: r[f"{prefix}_id"],
            lambda r: _name(r[f"{prefix}__name_en"], r[f"{prefix}__name_ja"]),
            order=str,
        ),
        "by_contract_year": _dimension(
            rows, lambda r: r["contract_year"], lambda r: r["contract_year"], order=int
        ),
        # The school level is optional on a request: one without it is counted, not lost.
        "by_school_level": _dimension(
            alts,
            lambda r: r["placement__position__school_level"],
            lambda r: levels.get(r["placement__position__school_level"], _("Not recorded")),
            order=lambda c: level_order.index(c) if c in level_order else len(level_order),
        ),
    }


def applications_summary(rows: list[dict]) -> dict:
    table = []
    for row in rows:
        entry = {
            "country": row["country_id"],
            "name": _name(row["country__name_en"], row["country__name_ja"]),
            "position": row["position"],
            "places": row["places"],
            "applications": row["total"],
            "holding": row["holding"],
        } | {key: row[status] for status, key in APPLICATION_KEYS.items()}
        table.append(entry)
    scale = max((max(r["places"] or 0, r["applications"]) for r in table), default=0) or 1
    for entry in table:
        entry["applications_width"] = f"{entry['applications'] * 100 / scale:.1f}"
        entry["holding_width"] = f"{entry['holding'] * 100 / scale:.1f}"
        entry["places_x"] = f"{min((entry['places'] or 0) * 100 / scale, 99.4):.1f}"
        entry["cells"] = [entry[key] for key in APPLICATION_KEYS.values()]
    totals = {
        key: sum(entry[key] or 0 for entry in table)
        for key in ("places", "applications", "holding", *APPLICATION_KEYS.values())
    }
    return {
        "rows": table,
        "totals": totals,
        "statuses": [
            {"key": key, "label": Status(status).label} for status, key in APPLICATION_KEYS.items()
        ],
    }


PREFERENCE_KEYS = ("placed", "first", "second", "third", "none_met", "no_preference")


def preferences_summary(rows: list[dict]) -> dict:
    table = []
    for row in rows:
        met = row["first"] + row["second"] + row["third"]
        table.append(
            {
                "country": row["application__country_id"],
                "name": _name(
                    row["application__country__name_en"], row["application__country__name_ja"]
                ),
                "position": row["application__position"],
                "placed": row["placed"],
                "first": row["first"],
                "second": row["second"],
                "third": row["third"],
                "none_met": row["placed"] - met - row["no_preference"],
                "no_preference": row["no_preference"],
            }
        )
    table.sort(key=lambda r: (r["name"], r["position"]))
    totals = {key: sum(r[key] for r in table) for key in PREFERENCE_KEYS}
    return {
        "rows": _segments(table, PREFERENCE_SEGMENTS, "placed"),
        "totals": totals,
        "legend": _legend(PREFERENCE_SEGMENTS),
    }


REAPPOINTMENT_KEYS = ("cases", "continuing", "leaving", "open")


def _reappointment_entry(**fields) -> dict:
    return fields | dict.fromkeys(REAPPOINTMENT_KEYS, 0)


def _finish(entry: dict) -> dict:
    entry["rate"] = _rate(entry["continuing"], entry["leaving"])
    return entry


def reappointment_summary(rows: list[dict]) -> dict:
    positions = dict(Position.choices)
    by_prefecture: dict[tuple, dict] = {}
    by_position: dict[str, dict] = {}
    totals = _reappointment_entry()
    prefix = "placement__position__prefecture"
    for row in rows:
        kind = row["placement__position__type"]
        entries = (
            by_prefecture.setdefault(
                (row[f"{prefix}_id"], kind),
                _reappointment_entry(
                    prefecture=row[f"{prefix}_id"],
                    name=_name(row[f"{prefix}__name_en"], row[f"{prefix}__name_ja"]),
                    position=kind,
                ),
            ),
            by_position.setdefault(
                kind, _reappointment_entry(position=kind, name=str(positions.get(kind, "")))
            ),
            totals,
        )
        key = {"continues": "continuing", "leaves": "leaving"}.get(decision(row), "open")
        for entry in entries:
            entry["cases"] += row["n"]
            entry[key] += row["n"]
    prefectures = [_finish(by_prefecture[key]) for key in sorted(by_prefecture)]
    return {
        "by_prefecture": _segments(prefectures, REAPPOINTMENT_SEGMENTS, "cases"),
        "by_position": [_finish(by_position[k]) for k in positions if k in by_position],
        "totals": _finish(totals),
        "legend": _legend(REAPPOINTMENT_SEGMENTS),
    }


LEAVER_KEYS = ("leavers", "confirmed", "alumni_consent")


def leavers_summary(rows: list[dict]) -> dict:
    table = [
        {
            "country": row["placement__application__country_id"],
            "name": _name(
                row["placement__application__country__name_en"],
                row["placement__application__country__name_ja"],
            ),
            "position": row["placement__position__type"],
        }
        | {key: row[key] for key in LEAVER_KEYS}
        for row in rows
    ]
    table.sort(key=lambda r: (r["name"], r["position"]))
    return {
        "rows": _bars(table, "leavers"),
        "totals": {key: sum(r[key] for r in table) for key in LEAVER_KEYS},
    }


def year_statistics(*, user: User, year: ProgrammeYear) -> dict:
    """Every figure of one programme year the viewer may see (None for the others)."""
    scope = selectors.statistics_scope(user)
    everything = scope is not None and scope.everything
    return {
        "year": year.year,
        "participants": participants_summary(
            selectors.participant_counts(user=user, year=year), scope
        ),
        "applications": applications_summary(selectors.application_counts(user=user, year=year))
        if everything
        else None,
        "preferences": preferences_summary(selectors.preference_counts(user=user, year=year))
        if everything
        else None,
        "reappointment": reappointment_summary(selectors.reappointment_counts(user=user, year=year))
        if everything
        else None,
        "leavers": leavers_summary(selectors.leaver_counts(user=user, year=year))
        if everything
        else None,
    }


# --- across years -------------------------------------------------------------------------


def _year_columns(scope: selectors.Scope) -> list[tuple[str, str]]:
    if scope.education_only:
        return [
            ("participants", _("ALTs")),
            *((f"contract_year_{n}", _("Contract year %(n)s") % {"n": n}) for n in CONTRACT_YEARS),
        ]
    return [
        ("participants", _("Participants")),
        ("alt", _("ALT")),
        ("cir", _("CIR")),
        ("sea", _("SEA")),
        ("places", _("Places")),
        ("applications", _("Applications")),
        ("holding", _("Shortlisted or forwarded")),
        ("placed", _("Placed")),
        ("first", _("First preference")),
        ("second", _("Second preference")),
        ("third", _("Third preference")),
        ("reappointment_cases", _("Re-appointment cases")),
        ("continuing", _("Continuing")),
        ("leaving", _("Leaving")),
        ("reappointment_open", _("Not decided yet")),
        ("rate", _("Re-appointment rate (%)")),
        ("leavers", _("Leavers")),
        ("alumni_consent", _("Alumni consent")),
    ]


YEAR_KEYS = [key for key, _label in _year_columns(selectors.Scope())] + [
    f"contract_year_{n}" for n in CONTRACT_YEARS
]


def _add(table: dict, year: int, **counts) -> None:
    entry = table.setdefault(year, {"year": year} | dict.fromkeys(YEAR_KEYS, 0))
    for key, n in counts.items():
        entry[key] += n or 0


def across_years(*, user: User) -> dict:
    """One row per programme year, one column per measure the viewer may see."""
    scope = selectors.statistics_scope(user)
    table: dict[int, dict] = {}
    for row in selectors.participant_counts(user=user, year=None):
        kind = row["placement__position__type"].lower()
        _add(
            table,
            row["year"],
            participants=row["n"],
            **{kind: row["n"], f"contract_year_{row['contract_year']}": row["n"]},
        )
    if scope is not None and scope.everything:
        for row in selectors.application_counts(user=user, year=None):
            _add(
                table,
                row["year"],
                places=row["places"],
                applications=row["total"],
                holding=row["holding"],
            )
        for row in selectors.preference_counts(user=user, year=None):
            _add(
                table,
                row["year"],
                placed=row["placed"],
                first=row["first"],
                second=row["second"],
                third=row["third"],
            )
        for row in selectors.reappointment_counts(user=user, year=None):
            key = {"continues": "continuing", "leaves": "leaving"}.get(
                decision(row), "reappointment_open"
            )
            _add(table, row["year"], reappointment_cases=row["n"], **{key: row["n"]})
        for row in selectors.leaver_counts(user=user, year=None):
            _add(table, row["year"], leavers=row["leavers"], alumni_consent=row["alumni_consent"])
    columns = _year_columns(scope) if scope else []
    visible = {key for key, _label in columns}
    if scope is not None and scope.everything:
        visible.update(f"contract_year_{n}" for n in CONTRACT_YEARS)
    rows = []
    for year in sorted(table):
        entry = table[year]
        entry["rate"] = _rate(entry["continuing"], entry["leaving"])
        entry.update({key: None for key in YEAR_KEYS if key not in visible})
        entry["cells"] = [entry[key] for key, _label in columns]
        rows.append(entry)
    return {
        "columns": [{"key": key, "label": label} for key, label in columns],
        "rows": rows,
    }


# --- the year asked for ---------------------------------------------------------------------

ALL_YEARS = "all"


def year_asked(value: str | None) -> ProgrammeYear | None:
    """The `year=` parameter of the page and the API: a programme year, "all" (None),
    or nothing for the current year (else the newest). An unknown year is a 404."""
    if value == ALL_YEARS:
        return None
    if value:
        try:
            return ProgrammeYear.objects.get(year=int(value))
        except (ValueError, ProgrammeYear.DoesNotExist):
            raise Http404 from None
    year = ProgrammeYear.objects.filter(is_current=True).first()
    year = year or ProgrammeYear.objects.order_by("-year").first()
    if year is None:
        raise Http404
    return year
