"""Reads of the cost figures, for pages, API and exports alike. Who sees which figures is
the access rule's: CLAIR and MIC every organisation's (DESIGN.md: MIC counts and costs
of contracts), a contracting organisation its own, nobody else any. Figures hold no
person: organisations, prefectures and sums only."""

import datetime

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from apps.core import access
from apps.core.models import Prefecture, User
from apps.finance import costs
from apps.finance.models import CostFigure

SUMS = ("remuneration", "travel", "estimate", "participant_years")


def current_fiscal_year(today: datetime.date | None = None) -> int:
    return costs.fiscal_year_of(today or timezone.localdate())


def cost_figure_list(
    *, user: User, fiscal_year: int, prefecture: str | None = None
) -> QuerySet[CostFigure]:
    qs = access.restrict(CostFigure.objects.all(), user, "view").filter(fiscal_year=fiscal_year)
    if prefecture:
        qs = qs.filter(prefecture_id=prefecture)
    return qs.select_related("organisation", "prefecture").order_by(
        "prefecture_id", "organisation__name_en", "organisation_id"
    )


def cost_fiscal_years(*, user: User) -> list[int]:
    """The fiscal years with figures the user may see, and always the current one."""
    if not access.allowed(user, "view", CostFigure):
        return []
    qs = access.restrict(CostFigure.objects.all(), user, "view")
    years = set(qs.order_by().values_list("fiscal_year", flat=True).distinct())
    years.add(current_fiscal_year())
    return sorted(years, reverse=True)


def _totals(row: dict) -> dict:
    row = {**row, **{name: row.get(name) or 0 for name in (*SUMS, "organisations")}}
    row["cost"] = row["remuneration"] + row["travel"]
    row["difference"] = row["estimate"] - row["cost"]
    return row


def cost_by_prefecture(*, user: User, fiscal_year: int) -> list[dict]:
    """One row per prefecture (one query), each with its sums and difference."""
    rows = (
        cost_figure_list(user=user, fiscal_year=fiscal_year)
        .order_by()
        .values("prefecture_id")
        .annotate(**{name: Sum(name) for name in SUMS}, organisations=Count("pk"))
        .order_by("prefecture_id")
    )
    rows = [_totals(row) for row in rows]
    names = Prefecture.objects.in_bulk(
        [row["prefecture_id"] for row in rows if row["prefecture_id"]]
    )
    for row in rows:
        row["prefecture"] = names.get(row["prefecture_id"])
    return rows


def cost_national(*, user: User, fiscal_year: int) -> dict:
    return _totals(
        cost_figure_list(user=user, fiscal_year=fiscal_year)
        .order_by()
        .aggregate(**{name: Sum(name) for name in SUMS}, organisations=Count("pk"))
    )
