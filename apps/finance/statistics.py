"""The programme statistics shaped for the page and the API: tables, chart bars and the
across-years table, from the grouped rows of `selectors_statistics`. The rows hold no
person, but a count of 1 or 2 can point at one, so every answer here goes through the
small-cell rule (`apps.core.disclosure`) before its bars are drawn: the page, the API and
the export show the same hidden cells, and a hidden count draws no bar. The figures a
viewer may not see at all are None.

Bar widths are strings ("12.5"), so the SVG gets a dot as decimal mark in every
language."""

from collections import defaultdict

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.disclosure import Table, shown
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
    scale = max((shown(row[key]) for row in rows), default=0) or 1
    for row in rows:
        row["width"] = f"{shown(row[key]) * 100 / scale:.1f}"
    return rows


def _segments(rows: list[dict], segments: tuple, total: str) -> list[dict]:
    """Stacked bars on one scale: the row with most `total` fills its bar."""
    scale = max((shown(row[total]) for row in rows), default=0) or 1
    for row in rows:
        x = 0.0
        row["segments"] = []
        for key, label, colour in segments:
            width = shown(row[key]) * 100 / scale
            row["segments"].append(
                {"label": label, "n": row[key], "colour": colour, "x": f"{x:.1f}"}
                | {"width": f"{width:.1f}"}
            )
            x += width
    return rows


def _columns_add_up(table: Table, rows: list[dict], totals: dict, keys) -> None:
    """Each column of `rows` adds up to its entry in `totals`."""
    for key in keys:
        table.sum(table.count(totals, key), [table.count(row, key) for row in rows])


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
    return [{"code": code, "name": str(names[code]), "n": counts[code]} for code in codes]


def participants_summary(rows: list[dict], scope: selectors.Scope) -> dict:
    positions = dict(Position.choices)
    levels = dict(PositionRequest.SchoolLevel.choices)
    prefix = "placement__position__prefecture"
    country = "placement__application__country"
    alts = [row for row in rows if row["placement__position__type"] == Position.ALT]
    level_order = list(levels)
    summary = {
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
    dimensions = ("by_country", "by_position", "by_prefecture", "by_contract_year")
    table = Table()
    total = table.count(summary, "total")
    for key in dimensions:
        if summary[key] is not None:
            table.sum(total, [table.count(entry, "n") for entry in summary[key]])
    # The school levels split the ALTs: the ALT row by position, or (MEXT, who counts
    # ALTs only) the total.
    alt = next((e for e in summary["by_position"] or () if e["code"] == Position.ALT), None)
    levels_total = table.count(alt, "n") if alt else total
    if alt or scope.education_only:
        table.sum(levels_total, [table.count(e, "n") for e in summary["by_school_level"]])
    else:
        for entry in summary["by_school_level"]:
            table.count(entry, "n")
    table.protect()
    for key in (*dimensions, "by_school_level"):
        if summary[key] is not None:
            _bars(summary[key])
    return summary


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
    totals = {
        key: sum(entry[key] or 0 for entry in table)
        for key in ("places", "applications", "holding", *APPLICATION_KEYS.values())
    }
    # Places are MIC's published numbers, not people: shown as they are.
    statuses = list(APPLICATION_KEYS.values())
    holds = [APPLICATION_KEYS[status] for status in Application.HOLDS_PLACE]
    cells = Table()
    for line in (*table, totals):
        cells.sum(cells.count(line, "applications"), cells.counts(line, statuses))
        cells.sum(cells.count(line, "holding"), cells.counts(line, holds))
    _columns_add_up(cells, table, totals, ("applications", "holding", *statuses))
    cells.protect()
    scale = max((max(r["places"] or 0, shown(r["applications"])) for r in table), default=0) or 1
    for entry in table:
        entry["applications_width"] = f"{shown(entry['applications']) * 100 / scale:.1f}"
        entry["holding_width"] = f"{shown(entry['holding']) * 100 / scale:.1f}"
        entry["places_x"] = f"{min((entry['places'] or 0) * 100 / scale, 99.4):.1f}"
        entry["cells"] = [entry[key] for key in APPLICATION_KEYS.values()]
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
    cells = Table()
    for line in (*table, totals):
        cells.sum(cells.count(line, "placed"), cells.counts(line, PREFERENCE_KEYS[1:]))
    _columns_add_up(cells, table, totals, PREFERENCE_KEYS)
    cells.protect()
    return {
        "rows": _segments(table, PREFERENCE_SEGMENTS, "placed"),
        "totals": totals,
        "legend": _legend(PREFERENCE_SEGMENTS),
    }


REAPPOINTMENT_KEYS = ("cases", "continuing", "leaving", "open")


def _reappointment_entry(**fields) -> dict:
    return fields | dict.fromkeys(REAPPOINTMENT_KEYS, 0)


def _finish(entry: dict, table: Table) -> dict:
    """The entry's rate, and its cases split three ways; the rate is withheld where
    continuing or leaving is hidden."""
    entry["rate"] = _rate(entry["continuing"], entry["leaving"])
    table.sum(table.count(entry, "cases"), table.counts(entry, REAPPOINTMENT_KEYS[1:]))
    table.derived(entry, "rate", table.counts(entry, ("continuing", "leaving")))
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
    table = Table()
    prefectures = [_finish(by_prefecture[key], table) for key in sorted(by_prefecture)]
    kinds = [_finish(by_position[k], table) for k in positions if k in by_position]
    _finish(totals, table)
    # Both tables add up to the totals, and each position's prefectures to its row.
    _columns_add_up(table, prefectures, totals, REAPPOINTMENT_KEYS)
    _columns_add_up(table, kinds, totals, REAPPOINTMENT_KEYS)
    for kind in kinds:
        _columns_add_up(
            table,
            [row for row in prefectures if row["position"] == kind["position"]],
            kind,
            REAPPOINTMENT_KEYS,
        )
    table.protect()
    return {
        "by_prefecture": _segments(prefectures, REAPPOINTMENT_SEGMENTS, "cases"),
        "by_position": kinds,
        "totals": totals,
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
    totals = {key: sum(r[key] for r in table) for key in LEAVER_KEYS}
    cells = Table()
    _columns_add_up(cells, table, totals, LEAVER_KEYS)
    cells.protect()
    return {"rows": _bars(table, "leavers"), "totals": totals}


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
    cells = Table()
    for year in sorted(table):
        entry = table[year]
        entry["rate"] = _rate(entry["continuing"], entry["leaving"])
        entry.update({key: None for key in YEAR_KEYS if key not in visible})
        _protect_year(cells, entry, visible)
        rows.append(entry)
    cells.protect()
    for entry in rows:
        entry["cells"] = [entry[key] for key, _label in columns]
    return {
        "columns": [{"key": key, "label": label} for key, label in columns],
        "rows": rows,
    }


# A year's figures that split another of them (each a sum the table shows).
YEAR_SUMS = (
    ("participants", ("alt", "cir", "sea")),
    ("participants", tuple(f"contract_year_{n}" for n in CONTRACT_YEARS)),
    ("reappointment_cases", ("continuing", "leaving", "reappointment_open")),
)
# Counts of people: every shown column but the places (MIC's numbers) and the rate.
NOT_COUNTS = {"places", "rate"}


def _protect_year(table: Table, entry: dict, visible: set[str]) -> None:
    for key in sorted(visible - NOT_COUNTS):
        table.count(entry, key)
    for total, parts in YEAR_SUMS:
        if total in visible and all(part in visible for part in parts):
            table.sum(table.count(entry, total), table.counts(entry, parts))
    if "rate" in visible:
        table.derived(entry, "rate", table.counts(entry, ("continuing", "leaving")))


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
