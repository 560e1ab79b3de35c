"""A small programme built by hand on years of its own (2039-2041, far from the demo's),
so every figure has a known answer.

Arrivals of 2040 (application year 2040):
- p1 US ALT Hyogo senior high, 1st preference met, contract year 1; re-appointed in the
  2041 round (both yes, confirmed), so a draft year-2 contract for 2041.
- p2 US ALT Hyogo elementary, 2nd preference ("28-Kobe") met; the organisation offers
  no re-appointment (round not confirmed for them): leaving; alumni consent stands.
- p3 US CIR Hokkaido, 3rd preference met, contract signed; leaves (confirmed); one
  withdrawn and one standing alumni consent.
- p4 GB ALT Hokkaido junior high, no preference met, contract in version 2 (version 1
  superseded); nobody has answered in the round.
- p5 GB ALT Hyogo, no preference given, withdrew: placement and contract cancelled, so
  neither a participant nor placed.
- p6 US ALT Hyogo, 1st preference met, placement confirmed but not accepted yet: placed,
  not a participant.
Arrived 2039: p7 US ALT Hyogo senior high, 1st preference met, contract years 1 (2039)
and 2 (2040); leaves in the 2041 round (confirmed); a withdrawn alumni consent only.
Other applications of 2040: US ALT shortlisted, alternate, not selected and a draft; GB
ALT submitted. Published places 2040: US ALT 10, US CIR 2, GB ALT 5, GB CIR 1; a draft
number for Ireland (not counted).
"""

import datetime

import pytest
from django.utils import timezone

from apps.core.models import Organisation, ProgrammeYear, User
from apps.outreach.models import AlumniConsent
from apps.placement.models import Contract, Placement
from apps.reappointment.models import ReappointmentCase, ReappointmentRound
from apps.recruitment.models import AcceptanceNumber, Application
from tests.factories import (
    AlumniConsentFactory,
    ApplicationFactory,
    ContractFactory,
    PlacementFactory,
    ProgrammeYearFactory,
    ReappointmentCaseFactory,
    ReappointmentRoundFactory,
)

# The page and API clients of the outreach tests, shared rather than copied.

SURNAME = "Quartermain"  # every person of the data set; must never appear in output

Status = Application.Status
Case = ReappointmentCase
ALT, CIR = "ALT", "CIR"


def programme_year(year: int) -> ProgrammeYear:
    return ProgrammeYearFactory(year=year)


def org(username: str) -> Organisation:
    return User.objects.get(username=username).organisation


def application(
    year: int,
    country: str,
    position: str = "ALT",
    status: str = Status.FORWARDED,
    preferences: tuple[str, ...] = (),
) -> Application:
    prefs = dict(zip(("preference_1", "preference_2", "preference_3"), preferences, strict=False))
    return ApplicationFactory(
        programme_year=programme_year(year),
        applicant__first_name="Zebedee",
        applicant__last_name=SURNAME,
        mission=org("embassy.us" if country == "US" else "embassy.uk"),
        country_id=country,
        position=position,
        status=status,
        family_name=SURNAME,
        given_names="Zebedee",
        **prefs,
    )


def placement(
    app: Application,
    organisation: str,
    school_level: str = "",
    status: str = Placement.Status.ACCEPTED,
) -> Placement:
    return PlacementFactory(
        application=app,
        position__organisation=org(organisation),
        position__type=app.position,
        position__school_level=school_level,
        position__location="URBAN",
        position__housing="ASSISTED",
        status=status,
        confirmed_by=User.objects.get(username="clair"),
    )


def contract(
    placed: Placement, contract_year: int = 1, status: str = Contract.Status.IN_FORCE, version=None
) -> Contract:
    start = datetime.date(placed.application.programme_year.year + contract_year - 1, 8, 2)
    signed = status in (Contract.Status.SIGNED, Contract.Status.IN_FORCE)
    return ContractFactory(
        placement=placed,
        version=version or contract_year,
        contract_year=contract_year,
        start_date=start,
        end_date=start + datetime.timedelta(days=364),
        remuneration=3_960_000,
        status=status,
        participant_signature="Zebedee Quartermain" if signed else "",
        participant_signed_at=timezone.now() if signed else None,
    )


def round_for(year: int, *, confirmed: bool = False) -> ReappointmentRound:
    now = timezone.now()
    return ReappointmentRoundFactory(
        programme_year=programme_year(year),
        organisation_deadline=now,
        participant_deadline=now,
        confirmation_deadline=now,
        opened_by=User.objects.get(username="clair"),
        state=ReappointmentRound.State.CONFIRMED if confirmed else ReappointmentRound.State.OPEN,
    )


def case(round_, placed: Placement, current: Contract, **answers) -> ReappointmentCase:
    if answers.get("organisation_answer") == Case.OrganisationAnswer.NO_OFFER:
        answers.setdefault("organisation_reason", "Budget cut")
    return ReappointmentCaseFactory(round=round_, contract=current, placement=placed, **answers)


def consent(placed: Placement, *, withdrawn: bool = False) -> AlumniConsent:
    return AlumniConsentFactory(
        participant=placed.application.applicant,
        mission=placed.application.mission,
        contact_email="alumni@example.com",
        withdrawn=withdrawn,
    )


def leaver(year: int, country: str = "US") -> None:
    """One more participant of `year` who leaves in the next year's round with a standing
    alumni consent (for growing the data set)."""
    placed = placement(application(year, country, preferences=("28",)), "co.hyogo", "MIXED")
    current = contract(placed)
    round_ = ReappointmentRound.objects.filter(programme_year__year=year + 1).first()
    round_ = round_ or round_for(year + 1)
    case(round_, placed, current, participant_answer=Case.ParticipantAnswer.LEAVE)
    consent(placed)


@pytest.fixture
def programme(db):
    """The data set of the module docstring."""
    p1 = placement(application(2040, "US", ALT, preferences=("28",)), "co.hyogo", "SENIOR_HIGH")
    p2 = placement(
        application(2040, "US", ALT, preferences=("13", "28-Kobe")), "co.hyogo", "ELEMENTARY"
    )
    p3 = placement(application(2040, "US", CIR, preferences=("13", "28", "01")), "co.sapporo")
    p4 = placement(application(2040, "GB", ALT, preferences=("13",)), "co.sapporo", "JUNIOR_HIGH")
    p5 = placement(
        application(2040, "GB", ALT, status=Status.WITHDRAWN),
        "co.hyogo",
        "ELEMENTARY",
        status=Placement.Status.WITHDRAWN,
    )
    placement(
        application(2040, "US", ALT, preferences=("28",)),
        "co.hyogo",
        "ELEMENTARY",
        status=Placement.Status.CONFIRMED,
    )
    p7 = placement(application(2039, "US", ALT, preferences=("28",)), "co.hyogo", "SENIOR_HIGH")
    for status in (Status.SHORTLISTED, Status.ALTERNATE, Status.NOT_SELECTED, Status.DRAFT):
        application(2040, "US", ALT, status=status)
    application(2040, "GB", ALT, status=Status.SUBMITTED)

    c1 = contract(p1)
    c2 = contract(p2)
    c3 = contract(p3, status=Contract.Status.SIGNED)
    contract(p4, status=Contract.Status.SUPERSEDED, version=1)
    c4 = contract(p4, version=2)
    contract(p5, status=Contract.Status.CANCELLED)
    contract(p7, 1)
    c7 = contract(p7, 2)

    year = programme_year(2040)
    places_of = (("US", ALT, 10), ("US", CIR, 2), ("GB", ALT, 5), ("GB", CIR, 1))
    for country, position, places in places_of:
        AcceptanceNumber.objects.create(
            programme_year=year,
            country_id=country,
            position=position,
            places=places,
            state=AcceptanceNumber.State.PUBLISHED,
        )
    AcceptanceNumber.objects.create(programme_year=year, country_id="IE", position=ALT, places=3)

    round_ = round_for(2041)
    offer, no_offer = Case.OrganisationAnswer.OFFER, Case.OrganisationAnswer.NO_OFFER
    stay, leave = Case.ParticipantAnswer.CONTINUE, Case.ParticipantAnswer.LEAVE
    next_contract = contract(p1, 2, status=Contract.Status.DRAFT)
    case(
        round_,
        p1,
        c1,
        organisation_answer=offer,
        participant_answer=stay,
        outcome=Case.Outcome.CONTINUES,
        next_contract=next_contract,
    )
    case(round_, p2, c2, organisation_answer=no_offer)
    case(round_, p3, c3, organisation_answer=offer, participant_answer=leave, outcome="LEAVES")
    case(round_, p4, c4)
    case(round_, p7, c7, participant_answer=leave, outcome=Case.Outcome.LEAVES)
    consent(p2)
    consent(p3, withdrawn=True)
    consent(p3)
    consent(p7, withdrawn=True)
    return {"p1": p1, "p5": p5}


@pytest.fixture(autouse=True)
def _exact_counts(monkeypatch):
    """These tests check each figure's arithmetic and who sees which rows on a world of
    a few people, where nearly every cell is below 3; the small-cell rule that hides such
    cells is tested on its own (tests/core/test_disclosure.py) and over these very pages,
    API and export (tests/core/test_small_cells.py). Here it hides nothing."""
    from apps.core import disclosure

    monkeypatch.setattr(disclosure, "THRESHOLD", 1)
