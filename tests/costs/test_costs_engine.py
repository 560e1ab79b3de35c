"""The pure cost calculation (apps/finance/costs.py) at the fiscal-year boundaries."""

import datetime as dt

from apps.finance import costs

TAX = costs.AllocationTax(base_per_organisation=1_200_000, per_participant=4_820_000)
TRAVEL = {"US": 250_000, "GB": 200_000}


def term(start, end, annual=3_360_000, organisation=1, country="US"):
    return costs.ContractTerm(
        organisation=organisation,
        prefecture="28",
        country=country,
        start=start,
        end=end,
        annual_yen=annual,
    )


def test_fiscal_year_runs_april_to_march():
    assert costs.fiscal_year_bounds(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert costs.fiscal_year_of(dt.date(2027, 3, 31)) == 2026
    assert costs.fiscal_year_of(dt.date(2027, 4, 1)) == 2027


def test_a_contract_from_2_august_to_1_august_is_split_by_days():
    contract = term(dt.date(2026, 8, 2), dt.date(2027, 8, 1))
    # 2 Aug 2026 .. 31 Mar 2027 = 242 days of 365; the rest (123 days) in FY2027.
    assert costs.days_in(contract, 2026) == 242
    assert costs.days_in(contract, 2027) == 123
    first = costs.compute([contract], 2026, TRAVEL, TAX)[1]
    second = costs.compute([contract], 2027, TRAVEL, TAX)[1]
    assert first.remuneration == round(3_360_000 * 242 / 365)
    assert second.remuneration == round(3_360_000 * 123 / 365)
    assert first.remuneration + second.remuneration == 3_360_000
    # Travel counts once, in the year the term starts.
    assert (first.travel, second.travel) == (250_000, 0)


def test_a_contract_ending_on_31_march_stays_in_its_year():
    contract = term(dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert costs.days_in(contract, 2026) == 365
    assert costs.days_in(contract, 2027) == 0
    assert costs.compute([contract], 2026, TRAVEL, TAX)[1].remuneration == 3_360_000
    assert costs.compute([contract], 2027, TRAVEL, TAX) == {}


def test_the_allocation_estimate_and_the_difference():
    a = term(dt.date(2026, 4, 1), dt.date(2027, 3, 31), organisation=1)
    b = term(dt.date(2026, 4, 1), dt.date(2027, 3, 31), annual=3_600_000, organisation=1)
    figures = costs.compute([a, b], 2026, TRAVEL, TAX)[1]
    assert figures.participant_years == 2
    assert figures.estimate == 1_200_000 + 2 * 4_820_000
    assert figures.cost == 3_360_000 + 3_600_000 + 2 * 250_000
    assert figures.difference == figures.estimate - figures.cost


def test_totals_add_up_across_organisations():
    rows = costs.compute(
        [
            term(dt.date(2026, 4, 1), dt.date(2027, 3, 31), organisation=1),
            term(dt.date(2026, 4, 1), dt.date(2027, 3, 31), organisation=2, country="GB"),
        ],
        2026,
        TRAVEL,
        TAX,
    )
    whole = costs.total(rows.values())
    assert whole.remuneration == 2 * 3_360_000
    assert whole.travel == 450_000
    assert whole.estimate == 2 * (1_200_000 + 4_820_000)
