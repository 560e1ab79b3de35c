"""MIC's cost parameters for a programme year: the remuneration scale by contract year,
the travel allowance per country and the local allocation tax. A change is first
previewed (`cost_parameters_preview`: the figures it would change, nothing written), then
saved with the recompute of exactly those figures. Who may set them is the access
rule's (MIC)."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Country, ProgrammeYear, User
from apps.finance import cost_figures, costs
from apps.finance.cost_figures import Change, Parameters
from apps.finance.models import AllocationTaxRate, TravelAllowance
from apps.placement.models import SalaryStep
from apps.reappointment.models import MAX_YEARS


def _require_setter(by: User) -> None:
    access.require_allowed(by, "change", AllocationTaxRate, _("Only MIC sets the cost parameters."))


def _check(params: Parameters) -> None:
    if sorted(params.scale) != list(range(1, MAX_YEARS + 1)):
        raise DomainError(_("Give the remuneration for each contract year, 1 to 5."))
    amounts = [*params.scale.values(), *params.travel.values()]
    if params.tax is not None:
        amounts += [params.tax.base_per_organisation, params.tax.per_participant]
    if any(amount < 0 for amount in amounts):
        raise DomainError(_("Amounts cannot be negative."))
    unknown = set(params.travel) - set(
        Country.objects.filter(code__in=params.travel).values_list("code", flat=True)
    )
    if unknown:
        raise DomainError(_("Unknown country: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})


def affected_fiscal_years(year: ProgrammeYear) -> list[int]:
    """A programme year's tax and travel count in its own fiscal year; its scale prices
    unsigned contracts starting then, which run into the next one."""
    return [year.year, year.year + 1]


def cost_parameters_preview(*, by: User, year: ProgrammeYear, params: Parameters) -> list[Change]:
    _require_setter(by)
    _check(params)
    found, _where = cost_figures.changes(affected_fiscal_years(year), overrides={year.year: params})
    return found


@transaction.atomic
def cost_parameters_save(*, by: User, year: ProgrammeYear, params: Parameters) -> list[Change]:
    _require_setter(by)
    _check(params)
    for contract_year, annual_yen in params.scale.items():
        SalaryStep.objects.update_or_create(
            programme_year=year, contract_year=contract_year, defaults={"annual_yen": annual_yen}
        )
    if params.tax is not None:
        AllocationTaxRate.objects.update_or_create(
            programme_year=year,
            defaults={
                "base_per_organisation": params.tax.base_per_organisation,
                "per_participant": params.tax.per_participant,
                "updated_by": by,
            },
        )
    for country, yen in params.travel.items():
        allowance = TravelAllowance.objects.filter(programme_year=year, country_id=country).first()
        if allowance is None:
            TravelAllowance.objects.create(
                programme_year=year, country_id=country, return_airfare_yen=yen
            )
        elif allowance.return_airfare_yen != yen:
            # Saved only when changed, so the history lists real changes.
            allowance.return_airfare_yen = yen
            allowance.save()
    return cost_figures.recompute(affected_fiscal_years(year))


def parameters_default() -> Parameters:
    """What a year without parameters starts from (reference/jet-facts.md, FY2025)."""
    return Parameters(tax=costs.AllocationTax(1_200_000, 4_820_000))
