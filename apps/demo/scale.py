"""Demo data of the shared schema: the salary scale (reference/jet-facts.md)."""

from apps.core.models import ProgrammeYear
from apps.placement.models import SalaryStep

# Annual gross remuneration by year on the programme.
SALARY_SCALE = {1: 3_360_000, 2: 3_600_000, 3: 3_900_000, 4: 3_960_000, 5: 3_960_000}


def seed(stdout) -> None:
    for year in ProgrammeYear.objects.all():
        for contract_year, annual_yen in SALARY_SCALE.items():
            SalaryStep.objects.get_or_create(
                programme_year=year,
                contract_year=contract_year,
                defaults={"annual_yen": annual_yen},
            )
