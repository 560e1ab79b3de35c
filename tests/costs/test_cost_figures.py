"""The stored cost figures against hand-worked numbers: pro-rating at the fiscal-year
boundaries, which contract version counts, recompute on contract change, and a
parameter change that recomputes exactly the figures it affects (the preview names the
same rows, and writes nothing)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.errors import DomainError
from apps.finance import cost_figures, costs
from apps.finance.models import CostFigure
from apps.mic import services_costs
from apps.placement.models import Contract
from tests.costs import builders
from tests.costs.builders import BASE, PER_PARTICIPANT

pytestmark = pytest.mark.django_db


def figure(org, fiscal_year) -> CostFigure | None:
    return CostFigure.objects.filter(organisation=org, fiscal_year=fiscal_year).first()


def test_a_contract_from_2_august_to_1_august_is_split_by_days():
    builders.programme_year(2030)
    builders.programme_year(2031)
    org = builders.organisation("Naha Board of Education")
    builders.contract(org, start=dt.date(2030, 8, 2), end=dt.date(2031, 8, 1), yen=3_600_000)

    cost_figures.recompute([2030, 2031], [org.pk])

    first, second = figure(org, 2030), figure(org, 2031)
    # 2 August 2030 to 31 March 2031 is 242 days; 1 April to 1 August 2031 is 123.
    assert first.remuneration == round(3_600_000 * 242 / 365) == 2_386_849
    assert second.remuneration == round(3_600_000 * 123 / 365) == 1_213_151
    assert first.remuneration + second.remuneration == 3_600_000
    assert first.travel == 240_000
    assert second.travel == 0
    assert first.participant_years == Decimal("0.6630")
    assert first.estimate == BASE + round(PER_PARTICIPANT * 242 / 365)
    assert second.estimate == BASE + round(PER_PARTICIPANT * 123 / 365)
    assert first.difference == first.estimate - first.remuneration - first.travel
    assert first.prefecture_id == "47"


def test_a_contract_ending_on_31_march_stays_in_its_fiscal_year():
    builders.programme_year(2030)
    org = builders.organisation("Okinawa City")
    builders.contract(org, start=dt.date(2030, 4, 1), end=dt.date(2031, 3, 31), yen=3_360_000)

    cost_figures.recompute([2030, 2031], [org.pk])

    assert figure(org, 2030).remuneration == 3_360_000
    assert figure(org, 2030).participant_years == Decimal("1.0000")
    assert figure(org, 2030).estimate == BASE + PER_PARTICIPANT
    assert figure(org, 2031) is None
    assert (
        costs.days_in(
            costs.ContractTerm(org.pk, "47", "US", dt.date(2030, 4, 1), dt.date(2031, 3, 31), 1),
            2031,
        )
        == 0
    )


def test_signed_pay_counts_as_agreed_unsigned_at_the_scale_and_one_version_per_year():
    builders.programme_year(2030)
    org = builders.organisation("Urasoe City")
    start, end = dt.date(2030, 4, 1), dt.date(2031, 3, 31)
    signed = builders.contract(org, start=start, end=end, yen=3_700_000)
    # A new version being drafted does not double the cost while the signed one holds.
    builders.contract(
        org,
        start=start,
        end=end,
        yen=3_800_000,
        status=Contract.Status.DRAFT,
        version=2,
        placement=signed.placement,
    )
    # An unsigned contract is priced at MIC's scale (year 2: 3,600,000), not its own figure.
    builders.contract(
        org, start=start, end=end, yen=1, status=Contract.Status.ISSUED, contract_year=2
    )
    builders.contract(org, start=start, end=end, status=Contract.Status.CANCELLED)

    cost_figures.recompute([2030], [org.pk])

    assert figure(org, 2030).remuneration == 3_700_000 + 3_600_000
    assert figure(org, 2030).participant_years == Decimal("2.0000")
    assert figure(org, 2030).estimate == BASE + 2 * PER_PARTICIPANT


def test_a_contract_change_recomputes_its_organisation_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    builders.programme_year(2030)
    org = builders.organisation("Ginowan City")
    other = builders.organisation("Itoman City")
    other_contract = builders.contract(other, start=dt.date(2030, 4, 1), end=dt.date(2031, 3, 31))
    cost_figures.recompute([2030], [other.pk])
    untouched = figure(other, 2030).computed_at

    with django_capture_on_commit_callbacks(execute=True):
        contract = builders.contract(org, start=dt.date(2030, 7, 27), end=dt.date(2031, 7, 26))
    assert figure(org, 2030).remuneration == round(3_600_000 * 248 / 365)
    assert figure(org, 2031).remuneration == round(3_600_000 * 117 / 365)
    assert figure(other, 2030).computed_at == untouched

    with django_capture_on_commit_callbacks(execute=True):
        contract.status = Contract.Status.CANCELLED
        contract.save()
    assert figure(org, 2030) is None
    assert figure(org, 2031) is None
    assert figure(other, 2030).computed_at == untouched
    assert other_contract.pk


def test_nothing_is_recomputed_for_a_transaction_rolled_back(django_capture_on_commit_callbacks):
    builders.programme_year(2030)
    org = builders.organisation("Nago City")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        builders.contract(org, start=dt.date(2030, 4, 1), end=dt.date(2031, 3, 31))
    assert callbacks  # queued for the commit, which never comes here
    assert figure(org, 2030) is None


@pytest.fixture
def cost_world():
    """A: a US participant arriving in FY2030; B: a GB participant arriving in FY2030;
    C: a GB participant who arrived in FY2029 (travel paid then); D: an unsigned draft
    for FY2030 (priced at the scale)."""
    builders.programme_year(2029)
    builders.programme_year(2030)
    world = {name: builders.organisation(f"Cost {name}") for name in "ABCD"}
    builders.contract(world["A"], start=dt.date(2030, 7, 27), end=dt.date(2031, 7, 26))
    builders.contract(
        world["B"], start=dt.date(2030, 7, 27), end=dt.date(2031, 7, 26), country="GB"
    )
    builders.contract(
        world["C"], start=dt.date(2029, 7, 28), end=dt.date(2030, 7, 27), country="GB"
    )
    builders.contract(
        world["D"],
        start=dt.date(2030, 7, 27),
        end=dt.date(2031, 7, 26),
        status=Contract.Status.DRAFT,
    )
    cost_figures.recompute([2029, 2030, 2031], [org.pk for org in world.values()])
    return world


def _stamps(world):
    return {
        (row.organisation_id, row.fiscal_year): row.computed_at
        for row in CostFigure.objects.filter(organisation__in=world.values())
    }


def test_a_travel_change_recomputes_exactly_the_figures_it_affects(mic, cost_world):
    year = builders.programme_year(2030)
    params = cost_figures.parameters_load(2030)
    params.travel["GB"] = 300_000
    before = _stamps(cost_world)

    preview = services_costs.cost_parameters_preview(by=mic, year=year, params=params)

    b = cost_world["B"]
    assert [(c.organisation_id, c.fiscal_year) for c in preview] == [(b.pk, 2030)]
    assert preview[0].delta("travel") == 20_000
    assert _stamps(cost_world) == before  # the preview wrote nothing
    assert figure(b, 2030).travel == 280_000

    saved = services_costs.cost_parameters_save(by=mic, year=year, params=params)

    assert saved == preview
    after = _stamps(cost_world)
    assert [key for key in after if after[key] != before[key]] == [(b.pk, 2030)]
    assert figure(b, 2030).travel == 300_000
    assert figure(cost_world["C"], 2030).travel == 0  # C flew in FY2029


def test_a_scale_change_moves_only_unsigned_contracts_into_the_next_year(mic, cost_world):
    year = builders.programme_year(2030)
    params = cost_figures.parameters_load(2030)
    params.scale[1] = 3_460_000
    before = _stamps(cost_world)

    saved = services_costs.cost_parameters_save(by=mic, year=year, params=params)

    d = cost_world["D"]
    assert sorted((c.organisation_id, c.fiscal_year) for c in saved) == [(d.pk, 2030), (d.pk, 2031)]
    assert figure(d, 2030).remuneration == round(3_460_000 * 248 / 365)
    after = _stamps(cost_world)
    assert {key for key in after if after[key] != before[key]} == {(d.pk, 2030), (d.pk, 2031)}


def test_a_tax_change_moves_every_organisation_of_its_fiscal_year_only(mic, cost_world):
    year = builders.programme_year(2030)
    params = cost_figures.parameters_load(2030)
    params.tax = costs.AllocationTax(1_300_000, PER_PARTICIPANT)

    saved = services_costs.cost_parameters_save(by=mic, year=year, params=params)

    assert {c.fiscal_year for c in saved} == {2030}
    assert {c.organisation_id for c in saved} == {org.pk for org in cost_world.values()}
    assert all(c.delta("estimate") == 100_000 for c in saved)
    assert figure(cost_world["C"], 2029).estimate == BASE + round(PER_PARTICIPANT * 247 / 365)


def test_only_mic_sets_parameters_and_bad_values_save_nothing(mic, clair, co_hyogo, cost_world):
    year = builders.programme_year(2030)
    params = cost_figures.parameters_load(2030)
    for user in (clair, co_hyogo):
        # A role refusal: 403 with the message, on the page and in the API alike.
        with pytest.raises(PermissionDenied, match="Only MIC sets the cost parameters"):
            services_costs.cost_parameters_save(by=user, year=year, params=params)
    broken = cost_figures.Parameters(scale={1: 3_000_000}, travel=params.travel, tax=params.tax)
    with pytest.raises(DomainError, match="each contract year"):
        services_costs.cost_parameters_save(by=mic, year=year, params=broken)
    negative = cost_figures.Parameters(scale=params.scale, travel={"GB": -1}, tax=params.tax)
    with pytest.raises(DomainError, match="negative"):
        services_costs.cost_parameters_save(by=mic, year=year, params=negative)
    assert cost_figures.parameters_load(2030) == params
