"""Applications by country, position and status as a count-only answer (MIC's counts,
MOFA headquarters' overview): the rows of `selectors.application_counts` with the
groups of statuses the page shows and a totals row, the small cells hidden by the one
rule (`apps.core.disclosure`). Places are MIC's published numbers, not people: shown
as they are."""

from collections.abc import Iterable, Mapping

from apps.core.disclosure import Table
from apps.recruitment.models import Application
from apps.recruitment.selectors import COUNTED

HOLDING = {"holding": Application.HOLDS_PLACE}


def application_counts_protected(
    rows: list[dict], groups: Mapping[str, Iterable[str]] = HOLDING
) -> dict:
    """`rows`: from `selectors.application_counts`, changed in place. `groups`: name ->
    statuses, the sums of statuses the answer shows besides each status and the total.
    Returns the rows and their totals (the places summed), every shown count protected."""
    groups = {name: tuple(statuses) for name, statuses in groups.items()}
    fields = ("total", *groups, *COUNTED)
    totals = {"places": sum(row["places"] or 0 for row in rows)}
    for row in rows:
        for name, statuses in groups.items():
            row[name] = sum(row[s] for s in statuses)
    totals |= {field: sum(row[field] for row in rows) for field in fields}
    table = Table()
    for line in (*rows, totals):
        table.sum(table.count(line, "total"), table.counts(line, COUNTED))
        for name, statuses in groups.items():
            table.sum(table.count(line, name), table.counts(line, statuses))
    for field in fields:
        table.sum(table.count(totals, field), [table.count(row, field) for row in rows])
    table.protect()
    return {"rows": rows, "totals": totals}
