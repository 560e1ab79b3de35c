"""A re-appointment round in numbers, shaped for a page: one table row per prefecture,
position and contract year, and one chart bar per prefecture. CLAIR's and MIC's pages
both show it. It is given the rows of `selectors.reappointment_counts`, which hold no
names, so nothing here can show a person."""

from django.utils.translation import gettext_lazy as _

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


def counts_summary(rows: list[dict]) -> dict:
    """`rows`: from `selectors.reappointment_counts`. Returns the table's rows and totals
    and the chart's bars (segment widths as strings, so the SVG gets "12.5" in every
    language)."""
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
    scale = max((bar["total"] for bar in bars.values()), default=0) or 1
    for bar in bars.values():
        offset = 0.0
        bar["segments"] = []
        for code, label, colour in DECISIONS:
            width = bar[code] * 100 / scale
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
