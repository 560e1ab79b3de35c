"""The stored cost figures (`CostFigure`), kept in step with contracts and MIC's
parameters. The arithmetic is `apps.finance.costs` (plain Python); this module gathers
its inputs from the database and writes back only the rows whose numbers changed, so a
parameter change touches exactly the organisations it affects and the preview before
saving shows the same rows the save will write.

Which contracts count: every version that is not cancelled or superseded; of two live
versions of one contract year, the signed one (else the newest). A signed contract counts
at its agreed pay; an unsigned one at MIC's scale for its programme year, so a change of
the scale shows in the plans before anyone signs. A contract's programme year is the
fiscal year its term starts in (arrivals in July of year Y belong to programme year Y).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.finance import costs
from apps.finance.models import AllocationTaxRate, CostFigure, TravelAllowance
from apps.placement.models import Contract, PositionRequest, SalaryStep

LIVE = (
    Contract.Status.DRAFT,
    Contract.Status.ISSUED,
    Contract.Status.SIGNED,
    Contract.Status.IN_FORCE,
)
SIGNED = (Contract.Status.SIGNED, Contract.Status.IN_FORCE)
FIELDS = ("remuneration", "travel", "participant_years", "estimate")


@dataclass
class Parameters:
    """One programme year's parameters, as stored or as MIC proposes them."""

    scale: dict[int, int] = field(default_factory=dict)  # contract year -> yen
    travel: dict[str, int] = field(default_factory=dict)  # country code -> yen
    tax: costs.AllocationTax | None = None


def parameters_load(year: int) -> Parameters:
    rate = AllocationTaxRate.objects.filter(programme_year__year=year).first()
    return Parameters(
        scale=dict(
            SalaryStep.objects.filter(programme_year__year=year).values_list(
                "contract_year", "annual_yen"
            )
        ),
        travel=dict(
            TravelAllowance.objects.filter(programme_year__year=year).values_list(
                "country_id", "return_airfare_yen"
            )
        ),
        tax=costs.AllocationTax(rate.base_per_organisation, rate.per_participant) if rate else None,
    )


def _contracts(fiscal_year: int, organisation_ids: Iterable[int] | None):
    first, last = costs.fiscal_year_bounds(fiscal_year)
    rows = Contract.objects.filter(status__in=LIVE, start_date__lte=last, end_date__gte=first)
    if organisation_ids is not None:
        rows = rows.filter(placement__position__organisation_id__in=list(organisation_ids))
    rows = rows.values(
        "placement_id",
        "contract_year",
        "version",
        "status",
        "start_date",
        "end_date",
        "remuneration",
        "placement__position__organisation_id",
        "placement__position__prefecture_id",
        "placement__application__country_id",
    )
    chosen: dict[tuple[int, int], dict] = {}
    for row in rows:
        key = (row["placement_id"], row["contract_year"])
        held = chosen.get(key)
        rank = (row["status"] in SIGNED, row["version"])
        if held is None or rank > (held["status"] in SIGNED, held["version"]):
            chosen[key] = row
    return list(chosen.values())


def figures_for(
    fiscal_year: int,
    organisation_ids: Iterable[int] | None = None,
    overrides: Mapping[int, Parameters] | None = None,
) -> tuple[dict[int, costs.Figures], dict[int, str | None]]:
    """The figures of `fiscal_year` per organisation, computed afresh; `overrides` puts
    proposed parameters in place of the stored ones of some programme years."""
    overrides = overrides or {}
    params: dict[int, Parameters] = {}

    def year_params(year: int) -> Parameters:
        if year not in params:
            params[year] = overrides.get(year) or parameters_load(year)
        return params[year]

    terms, prefectures = [], {}
    for row in _contracts(fiscal_year, organisation_ids):
        organisation = row["placement__position__organisation_id"]
        prefectures[organisation] = row["placement__position__prefecture_id"]
        annual = row["remuneration"]
        if row["status"] not in SIGNED:
            start_year = costs.fiscal_year_of(row["start_date"])
            annual = year_params(start_year).scale.get(row["contract_year"], annual)
        terms.append(
            costs.ContractTerm(
                organisation=organisation,
                prefecture=row["placement__position__prefecture_id"] or "",
                country=row["placement__application__country_id"],
                start=row["start_date"],
                end=row["end_date"],
                annual_yen=annual,
            )
        )
    own = year_params(fiscal_year)
    tax = own.tax or costs.AllocationTax(0, 0)
    return costs.compute(terms, fiscal_year, own.travel, tax), prefectures


def _values(figures: costs.Figures) -> dict:
    return {
        "remuneration": figures.remuneration,
        "travel": figures.travel,
        "participant_years": Decimal(str(figures.participant_years)).quantize(Decimal("0.0001")),
        "estimate": figures.estimate,
    }


def _stored_values(row: CostFigure) -> dict:
    return {name: getattr(row, name) for name in FIELDS}


@dataclass(frozen=True)
class Change:
    fiscal_year: int
    organisation_id: int
    before: dict | None  # None: a new row
    after: dict | None  # None: the row goes

    def delta(self, name: str) -> int | Decimal:
        return (self.after or {}).get(name, 0) - (self.before or {}).get(name, 0)


def changes(
    fiscal_years: Iterable[int],
    organisation_ids: Iterable[int] | None = None,
    overrides: Mapping[int, Parameters] | None = None,
) -> tuple[list[Change], dict[int, str | None]]:
    """What a recompute would change, row by row, without writing anything."""
    organisation_ids = None if organisation_ids is None else set(organisation_ids)
    found: list[Change] = []
    prefectures: dict[int, str | None] = {}
    for fiscal_year in sorted(set(fiscal_years)):
        fresh, where = figures_for(fiscal_year, organisation_ids, overrides)
        prefectures.update(where)
        stored = CostFigure.objects.filter(fiscal_year=fiscal_year)
        if organisation_ids is not None:
            stored = stored.filter(organisation_id__in=organisation_ids)
        stored = {row.organisation_id: _stored_values(row) for row in stored}
        for organisation in sorted(set(fresh) | set(stored)):
            after = _values(fresh[organisation]) if organisation in fresh else None
            before = stored.get(organisation)
            if after != before:
                found.append(Change(fiscal_year, organisation, before, after))
    return found, prefectures


def recompute(
    fiscal_years: Iterable[int], organisation_ids: Iterable[int] | None = None
) -> list[Change]:
    """Bring the stored figures in line with contracts and parameters; only changed rows
    are written (their `computed_at` moves), and the changes are returned."""
    found, prefectures = changes(fiscal_years, organisation_ids)
    now = timezone.now()
    with transaction.atomic():
        for change in found:
            key = {"fiscal_year": change.fiscal_year, "organisation_id": change.organisation_id}
            if change.after is None:
                CostFigure.objects.filter(**key).delete()
            else:
                CostFigure.objects.update_or_create(
                    **key,
                    defaults={
                        **change.after,
                        "prefecture_id": prefectures.get(change.organisation_id),
                        "computed_at": now,
                    },
                )
    return found


def fiscal_years_with_contracts() -> list[int]:
    """Every fiscal year some live contract falls in, for a full recompute."""
    years: set[int] = set()
    for start, end in Contract.objects.filter(status__in=LIVE).values_list(
        "start_date", "end_date"
    ):
        years.update(range(costs.fiscal_year_of(start), costs.fiscal_year_of(end) + 1))
    years.update(CostFigure.objects.values_list("fiscal_year", flat=True).distinct())
    return sorted(years)


def recompute_all() -> list[Change]:
    return recompute(fiscal_years_with_contracts())


# --- kept in step with contracts -------------------------------------------------------
# A contract saved inside a transaction (a bulk re-appointment confirm writes hundreds)
# marks its organisation and years; the first commit callback recomputes every mark at
# once and the others find nothing left, so figures never show a rolled-back contract and
# a bulk change is computed once. Marks left by a rolled-back transaction are simply
# recomputed with the next ones: a recompute reads the database as it is.

_pending = threading.local()


def _marks() -> set:
    if getattr(_pending, "marks", None) is None:
        _pending.marks = set()
    return _pending.marks


def _flush() -> None:
    marked = set(_marks())
    _pending.marks = set()
    by_year: dict[int, set[int]] = {}
    for organisation, year in marked:
        by_year.setdefault(year, set()).add(organisation)
    for year, organisations in sorted(by_year.items()):
        recompute([year], organisations)


def contract_changed(contract: Contract) -> None:
    organisation = (
        PositionRequest.objects.filter(placements=contract.placement_id)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if organisation is None:
        return
    years = range(
        costs.fiscal_year_of(contract.start_date), costs.fiscal_year_of(contract.end_date) + 1
    )
    _marks().update((organisation, year) for year in years)
    transaction.on_commit(_flush)
