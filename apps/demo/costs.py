"""Demo cost parameters for every programme year, then the figures computed from the
demo's contracts. The allocation tax is the FY2025 benchmark of reference/jet-facts.md;
the airfares are round-number estimates of a return economy flight to Japan."""

from apps.core.models import Country, ProgrammeYear
from apps.finance import cost_figures
from apps.finance.models import AllocationTaxRate, TravelAllowance

AIRFARE_YEN = {
    "US": 240_000,
    "GB": 280_000,
    "CA": 230_000,
    "AU": 190_000,
    "NZ": 210_000,
    "IE": 290_000,
    "PH": 90_000,
    "SG": 110_000,
    "ZA": 330_000,
    "JM": 320_000,
    "KR": 60_000,
    "CN": 80_000,
}
OTHER_AIRFARE_YEN = 250_000


def seed(stdout) -> None:
    countries = list(
        Country.objects.filter(missions__isnull=False).distinct().values_list("code", flat=True)
    )
    for year in ProgrammeYear.objects.all():
        AllocationTaxRate.objects.get_or_create(
            programme_year=year,
            defaults={"base_per_organisation": 1_200_000, "per_participant": 4_820_000},
        )
        for code in countries:
            TravelAllowance.objects.get_or_create(
                programme_year=year,
                country_id=code,
                defaults={"return_airfare_yen": AIRFARE_YEN.get(code, OTHER_AIRFARE_YEN)},
            )
    changed = cost_figures.recompute_all()
    stdout.write(
        f"Cost parameters set for every programme year; {len(changed)} cost figures computed "
        "(MIC: /mic/costs/, figures at /costs/)."
    )
