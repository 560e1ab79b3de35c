"""A small cost world on programme years of its own (2030 on), so the demo's contracts
never mix in: contracting organisations, and contracts made by the factories straight in
the tables (the cost figures read contracts whatever made them)."""

import datetime as dt

from apps.core.models import Country, Kind, Organisation, Prefecture, ProgrammeYear, User
from apps.placement.models import Contract, Placement
from tests.factories import (
    AllocationTaxRateFactory,
    ApplicationFactory,
    ContractFactory,
    OrganisationFactory,
    PlacementFactory,
    ProgrammeYearFactory,
    SalaryStepFactory,
    TravelAllowanceFactory,
)

SCALE = {1: 3_360_000, 2: 3_600_000, 3: 3_900_000, 4: 3_960_000, 5: 3_960_000}
AIRFARE = {"US": 240_000, "GB": 280_000}
BASE, PER_PARTICIPANT = 1_200_000, 4_820_000


def programme_year(year: int) -> ProgrammeYear:
    """Programme year `year` with the scale, the allocation tax and the airfares above."""
    found = ProgrammeYear.objects.filter(year=year).first()
    if found:
        return found
    found = ProgrammeYearFactory(year=year)
    for contract_year, yen in SCALE.items():
        SalaryStepFactory(programme_year=found, contract_year=contract_year, annual_yen=yen)
    AllocationTaxRateFactory(
        programme_year=found, base_per_organisation=BASE, per_participant=PER_PARTICIPANT
    )
    for code, yen in AIRFARE.items():
        TravelAllowanceFactory(
            programme_year=found, country=Country.objects.get(code=code), return_airfare_yen=yen
        )
    return found


def organisation(name: str, prefecture: str = "47") -> Organisation:
    return OrganisationFactory(
        name_en=name,
        name_ja=name,
        prefecture=Prefecture.objects.get(code=prefecture),
        municipality="Naha",
    )


def contract(
    org: Organisation,
    *,
    start: dt.date,
    end: dt.date,
    yen: int = 3_600_000,
    country: str = "US",
    status: str = Contract.Status.IN_FORCE,
    contract_year: int = 1,
    version: int = 1,
    placement: Placement | None = None,
    family_name: str = "Costperson",
) -> Contract:
    """A contract of `org` (a new accepted placement of a candidate from `country` in
    programme year 2030 unless `placement` is given), as the cost figures read it."""
    if placement is None:
        year = programme_year(2030)
        mission = Organisation.objects.filter(kind=Kind.MISSION, country_id=country).first()
        placement = PlacementFactory(
            accepted=True,
            application=ApplicationFactory(
                forwarded=True,
                programme_year=year,
                mission=mission,
                country=Country.objects.get(code=country),
                family_name=family_name,
                given_names="Casey",
            ),
            position__organisation=org,
            position__municipality="Naha",
            position__location="URBAN",
            position__housing="ASSISTED",
            confirmed_by=User.objects.get(username="clair"),
        )
    signed = status in (
        Contract.Status.SIGNED,
        Contract.Status.IN_FORCE,
        Contract.Status.SUPERSEDED,
    )
    return ContractFactory(
        placement=placement,
        version=version,
        contract_year=contract_year,
        start_date=start,
        end_date=end,
        remuneration=yen,
        status=status,
        participant_signature="Casey Costperson" if signed else "",
        participant_signed_at=dt.datetime(2030, 7, 1, tzinfo=dt.UTC) if signed else None,
    )
