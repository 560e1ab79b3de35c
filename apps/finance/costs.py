"""Programme costs for a Japanese fiscal year (April to March), as plain Python.

No Django import, like the matcher: contracts, travel estimates and the local allocation
tax parameters go in as dataclasses and figures come out, so the calculation is tested
and benchmarked alone and the pages and API (issue 8) only gather the rows.

- Remuneration is pro-rated by the days of a contract's term that fall in the fiscal
  year, over the days of the whole term (a one-year term of 365 or 366 days).
- Travel (a return airfare estimate for the participant's country) counts in the fiscal
  year the term starts in.
- The allocation-tax estimate is a base amount per organisation with at least one
  participant in the year plus an amount per participant-year (pro-rated like pay).
- The difference is the estimate minus remuneration and travel: what the organisation
  carries (negative) or what the allocation more than covers (positive).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ContractTerm:
    organisation: int
    prefecture: str
    country: str
    start: datetime.date
    end: datetime.date  # the last day of the term
    annual_yen: int


@dataclass(frozen=True)
class AllocationTax:
    base_per_organisation: int  # FY2025 benchmark ¥1,200,000 (jet-facts.md)
    per_participant: int  # FY2025 benchmark ¥4,820,000


@dataclass(frozen=True)
class Figures:
    remuneration: int = 0
    travel: int = 0
    participant_years: float = 0.0
    estimate: int = 0

    @property
    def cost(self) -> int:
        return self.remuneration + self.travel

    @property
    def difference(self) -> int:
        return self.estimate - self.cost


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    """Fiscal year 2026 runs from 1 April 2026 to 31 March 2027."""
    return datetime.date(fiscal_year, 4, 1), datetime.date(fiscal_year + 1, 3, 31)


def fiscal_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def days_in(term: ContractTerm, fiscal_year: int) -> int:
    first, last = fiscal_year_bounds(fiscal_year)
    start, end = max(term.start, first), min(term.end, last)
    return max(0, (end - start).days + 1)


def share_of_term(term: ContractTerm, fiscal_year: int) -> float:
    return days_in(term, fiscal_year) / ((term.end - term.start).days + 1)


def compute(
    terms: Iterable[ContractTerm],
    fiscal_year: int,
    travel_by_country: Mapping[str, int],
    tax: AllocationTax,
) -> dict[int, Figures]:
    """Figures per organisation for `fiscal_year` (whole yen, rounded per contract)."""
    totals: dict[int, dict[str, float]] = defaultdict(
        lambda: {"remuneration": 0, "travel": 0, "years": 0.0}
    )
    for term in terms:
        share = share_of_term(term, fiscal_year)
        starts_here = fiscal_year_of(term.start) == fiscal_year
        if share == 0 and not starts_here:
            continue
        row = totals[term.organisation]
        row["remuneration"] += round(term.annual_yen * share)
        row["years"] += share
        if starts_here:
            row["travel"] += travel_by_country.get(term.country, 0)
    result = {}
    for organisation, row in totals.items():
        estimate = 0
        if row["years"] > 0:
            estimate = tax.base_per_organisation + round(tax.per_participant * row["years"])
        result[organisation] = Figures(
            remuneration=int(row["remuneration"]),
            travel=int(row["travel"]),
            participant_years=round(row["years"], 4),
            estimate=estimate,
        )
    return result


def total(figures: Iterable[Figures]) -> Figures:
    rows = list(figures)
    return Figures(
        remuneration=sum(f.remuneration for f in rows),
        travel=sum(f.travel for f in rows),
        participant_years=round(sum(f.participant_years for f in rows), 4),
        estimate=sum(f.estimate for f in rows),
    )
