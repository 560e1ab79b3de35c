"""A re-appointment round in numbers, shaped for a page: one table row per prefecture,
position and contract year, and one chart bar per prefecture. CLAIR's and MIC's pages
both show it. It is given the rows of `selectors.reappointment_counts`, which hold no
names.

For whoever reads the round only in numbers (MIC: `selectors.reappointment_counts_only`)
a count can still point at a person (Miyagi, ALT, year 1, no offer: 1), so their
figures go through the small-cell rule (`apps.core.disclosure`): the page's here in
`counts_summary`, the API's and the export's rows in `counts_rows`."""

from django.utils.translation import gettext_lazy as _

from apps.core.disclosure import Table, shown
from apps.reappointment.models import ReappointmentCase

Case = ReappointmentCase

# The chart's three kinds of case, in the order of the bar's segments.
DECISIONS = (
    ("continues", _("Continuing"), "#1d3f72"),
    ("leaves", _("Leaving"), "#b00d26"),
    ("open", _("Not decided yet"), "#9fb4d3"),
)
COLUMNS = (
    "total",
    "offer",
    "no_offer",
    "organisation_open",
    "continue",
    "leave",
    "participant_open",
    "continues",
    "leaves",
    "pending",
)


def decision(row: dict) -> str:
    """Confirmed cases by their outcome; before CLAIR confirms, a case is continuing when
    both sides said yes and leaving when either said no."""
    if row["outcome"] == Case.Outcome.CONTINUES:
        return "continues"
    if row["outcome"] == Case.Outcome.LEAVES:
        return "leaves"
    if (
        row["organisation_answer"] == Case.OrganisationAnswer.NO_OFFER
        or row["participant_answer"] == Case.ParticipantAnswer.LEAVE
    ):
        return "leaves"
    if (
        row["organisation_answer"] == Case.OrganisationAnswer.OFFER
        and row["participant_answer"] == Case.ParticipantAnswer.CONTINUE
    ):
        return "continues"
    return "open"


def _add(entry: dict, row: dict) -> None:
    n = row["n"]
    entry["total"] += n
    entry[
        {
            Case.OrganisationAnswer.OFFER: "offer",
            Case.OrganisationAnswer.NO_OFFER: "no_offer",
        }.get(row["organisation_answer"], "organisation_open")
    ] += n
    entry[
        {
            Case.ParticipantAnswer.CONTINUE: "continue",
            Case.ParticipantAnswer.LEAVE: "leave",
        }.get(row["participant_answer"], "participant_open")
    ] += n
    entry[
        {Case.Outcome.CONTINUES: "continues", Case.Outcome.LEAVES: "leaves"}.get(
            row["outcome"], "pending"
        )
    ] += n


# Each side's answer and the outcome split a row's participants three ways.
SPLITS = (
    ("offer", "no_offer", "organisation_open"),
    ("continue", "leave", "participant_open"),
    ("continues", "leaves", "pending"),
)


def counts_summary(rows: list[dict], *, protect: bool) -> dict:
    """`rows`: from `selectors.reappointment_counts`. Returns the table's rows and totals
    and the chart's bars (segment widths as strings, so the SVG gets "12.5" in every
    language). `protect`: hide the small cells (`_protect_summary`)."""
    table: dict[tuple, dict] = {}
    bars: dict[str, dict] = {}
    totals = dict.fromkeys(COLUMNS, 0)
    for row in rows:
        prefecture = {
            "code": row["organisation__prefecture_id"],
            "name_en": row["organisation__prefecture__name_en"],
            "name_ja": row["organisation__prefecture__name_ja"],
        }
        key = (prefecture["code"], row["placement__position__type"], row["contract_year"])
        entry = table.setdefault(
            key,
            {
                "prefecture": prefecture,
                "type": row["placement__position__type"],
                "contract_year": row["contract_year"],
            }
            | dict.fromkeys(COLUMNS, 0),
        )
        _add(entry, row)
        _add(totals, row)
        bar = bars.setdefault(
            prefecture["code"],
            {"prefecture": prefecture, "total": 0} | {code: 0 for code, *_rest in DECISIONS},
        )
        bar["total"] += row["n"]
        bar[decision(row)] += row["n"]
    if protect:
        _protect_summary(list(table.values()), totals, list(bars.values()))
    scale = max((shown(bar["total"]) for bar in bars.values()), default=0) or 1
    for bar in bars.values():
        offset = 0.0
        bar["segments"] = []
        for code, label, colour in DECISIONS:
            # A hidden count draws nothing.
            width = shown(bar[code]) * 100 / scale
            bar["segments"].append(
                {
                    "label": label,
                    "n": bar[code],
                    "x": f"{offset:.1f}",
                    "width": f"{width:.1f}",
                    "colour": colour,
                }
            )
            offset += width
    return {
        "rows": list(table.values()),
        "totals": totals,
        "bars": list(bars.values()),
        "decisions": [{"code": c, "label": label, "colour": col} for c, label, col in DECISIONS],
    }


def _protect_summary(rows: list[dict], totals: dict, bars: list[dict]) -> None:
    """The page's sums: each row's participants split by each answer and by the outcome,
    each column's total, each prefecture's bar split by decision and adding up to the
    rows of its prefecture, and the bars adding up to the total."""
    table = Table()
    for line in (*rows, totals):
        for split in SPLITS:
            table.sum(table.count(line, "total"), table.counts(line, split))
    for column in COLUMNS:
        table.sum(table.count(totals, column), [table.count(row, column) for row in rows])
    codes = [code for code, _label, _colour in DECISIONS]
    for bar in bars:
        table.sum(table.count(bar, "total"), table.counts(bar, codes))
        table.sum(
            table.count(bar, "total"),
            [
                table.count(row, "total")
                for row in rows
                if row["prefecture"]["code"] == bar["prefecture"]["code"]
            ],
        )
    table.sum(table.count(totals, "total"), [table.count(bar, "total") for bar in bars])
    table.protect()


def counts_rows(rows: list[dict], *, protect: bool) -> dict:
    """The API's and the export's answer: `selectors.reappointment_counts`'s rows (one per
    prefecture, position, contract year, answers and outcome) and their total; with
    `protect`, the small cells hidden, the rows adding up to the total."""
    answer = {"total": sum(row["n"] for row in rows), "rows": rows}
    if protect:
        table = Table()
        table.sum(table.count(answer, "total"), [table.count(row, "n") for row in rows])
        table.protect()
    return answer
