"""A small cost world on programme years of its own (2030 on), so the demo's contracts
never mix in: contracting organisations, and contracts made straight in the tables (the
cost figures read contracts whatever made them)."""

import datetime as dt
import itertools

from apps.core import services as core_services
from apps.core.models import (
    ContractingType,
    Country,
    Kind,
    Organisation,
    Prefecture,
    ProgrammeYear,
    User,
)
from apps.finance.models import AllocationTaxRate, TravelAllowance
from apps.placement.models import Contract, Placement, PositionRequest, SalaryStep
from apps.recruitment.models import Application

SCALE = {1: 3_360_000, 2: 3_600_000, 3: 3_900_000, 4: 3_960_000, 5: 3_960_000}
AIRFARE = {"US": 240_000, "GB": 280_000}
BASE, PER_PARTICIPANT = 1_200_000, 4_820_000
_numbers = itertools.count(1)


def programme_year(year: int) -> ProgrammeYear:
    found = ProgrammeYear.objects.filter(year=year).first()
    if found:
        return found
    found = ProgrammeYear.objects.create(
        year=year,
        applications_open=dt.datetime(year - 1, 9, 23, tzinfo=dt.UTC),
        application_deadline=dt.datetime(year - 1, 11, 15, tzinfo=dt.UTC),
        degree_deadline=dt.date(year, 6, 27),
        results_release=dt.date(year, 3, 28),
        reply_deadline=dt.date(year, 5, 9),
        departure_group_a=dt.date(year, 7, 27),
        departure_group_b=dt.date(year, 8, 3),
    )
    for contract_year, yen in SCALE.items():
        SalaryStep.objects.create(programme_year=found, contract_year=contract_year, annual_yen=yen)
    AllocationTaxRate.objects.create(
        programme_year=found, base_per_organisation=BASE, per_participant=PER_PARTICIPANT
    )
    for code, yen in AIRFARE.items():
        TravelAllowance.objects.create(
            programme_year=found, country_id=code, return_airfare_yen=yen
        )
    return found


def organisation(name: str, prefecture: str = "47") -> Organisation:
    return core_services.organisation_create(
        kind=Kind.CONTRACTING,
        name_en=name,
        name_ja=name,
        prefecture=Prefecture.objects.get(code=prefecture),
        municipality="Naha",
        contracting_type=ContractingType.MUNICIPALITY,
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
    if placement is None:
        n = next(_numbers)
        year = programme_year(2030)
        person = User.objects.create_user(f"cost.person.{n}", email=f"cost.{n}@example.com")
        mission = Organisation.objects.filter(kind=Kind.MISSION, country_id=country).first()
        application = Application.objects.create(
            number=f"COST-{n}",
            programme_year=year,
            applicant=person,
            mission=mission,
            country=Country.objects.get(code=country),
            position="ALT",
            status=Application.Status.FORWARDED,
            given_names="Casey",
            family_name=family_name,
        )
        position = PositionRequest.objects.create(
            programme_year=year,
            organisation=org,
            type="ALT",
            school_level="SENIOR_HIGH",
            base=f"Cost High School {n}",
            prefecture_id=org.prefecture_id,
            municipality="Naha",
            location="URBAN",
            housing="ASSISTED",
            state=PositionRequest.State.APPROVED,
        )
        placement = Placement.objects.create(
            application=application,
            position=position,
            status=Placement.Status.ACCEPTED,
            confirmed_by=User.objects.get(username="clair"),
        )
    signed = status in (
        Contract.Status.SIGNED,
        Contract.Status.IN_FORCE,
        Contract.Status.SUPERSEDED,
    )
    return Contract.objects.create(
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
