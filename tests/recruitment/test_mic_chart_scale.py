"""MIC's chart of applications against places draws every row to one scale, so rows
compare: a row with half the applications draws half the bar."""

import re

from apps.core.disclosure import shown


def _bars(html: str) -> list[float]:
    """The width of each row's applications bar, as drawn."""
    chart = html.split('data-testid="counts-chart"', 1)[1].split("</table>", 1)[0]
    return [float(w) for w in re.findall(r'<rect x="0" y="0" width="([0-9.]+)"', chart)]


def test_every_row_of_the_chart_shares_one_scale(client_as):
    page = client_as("mic").get("/mic/counts/")
    rows = [row for row in page.context["rows"] if shown(row["total"])]
    assert len(rows) >= 2, "the demo has applications in several countries"
    scale = max(max(row["places"] or 0, shown(row["total"])) for row in page.context["rows"])

    for row in rows:
        assert float(row["total_pct"]) == round(shown(row["total"]) * 100 / scale, 1)
        assert float(row["holding_pct"]) == round(shown(row["holding"]) * 100 / scale, 1)
    # Widths are in proportion to the counts: the smallest row against the largest.
    small = min(rows, key=lambda row: shown(row["total"]))
    large = max(rows, key=lambda row: shown(row["total"]))
    assert shown(small["total"]) < shown(large["total"])
    ratio = float(small["total_pct"]) / float(large["total_pct"])
    assert abs(ratio - shown(small["total"]) / shown(large["total"])) < 0.02
    # What the page draws is what the rows say.
    assert _bars(page.content.decode()) == [float(r["total_pct"]) for r in page.context["rows"]]
