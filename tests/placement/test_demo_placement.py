"""The demo world's positions, placements and contracts, as `seed_demo` leaves them
(seeded once per session by tests/conftest.py): every state on show, work waiting for
co.hyogo, a pool left for CLAIR's board, and the `participant` account in contract
year 2 with Hyogo."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.core import access
from apps.core.models import ProgrammeYear, User
from apps.demo.placements import UNPLACED_CANDIDATE
from apps.placement import selectors
from apps.placement.models import Contract, Placement, PositionRequest
from apps.recruitment.models import Application

pytestmark = pytest.mark.django_db

HYOGO = "Hyogo Prefectural Board of Education"


@pytest.fixture
def year():
    return ProgrammeYear.objects.get(is_current=True)


def test_placements_in_every_state(year):
    present = set(
        Placement.objects.filter(application__programme_year=year).values_list("status", flat=True)
    )
    assert present == set(Placement.Status.values)
    declined = Placement.objects.get(status=Placement.Status.DECLINED_BY_ORGANISATION)
    assert declined.decline_reason
    withdrawn = Placement.objects.get(status=Placement.Status.WITHDRAWN)
    assert withdrawn.application.status == Application.Status.WITHDRAWN
    assert withdrawn.contracts.get().status == Contract.Status.CANCELLED


def test_contracts_in_every_state_of_the_signing_path(year):
    contracts = Contract.objects.filter(placement__application__programme_year=year)
    present = set(contracts.values_list("status", flat=True))
    assert {"DRAFT", "ISSUED", "SIGNED", "IN_FORCE"} <= present
    for contract in contracts.filter(status__in=("SIGNED", "IN_FORCE")):
        candidate = contract.placement.application.applicant
        assert contract.participant_signature == candidate.get_full_name()
        assert contract.remuneration == 3_360_000
    in_force = contracts.filter(status="IN_FORCE")
    assert all(
        c.countersigned_by.organisation == c.placement.position.organisation for c in in_force
    )
    # Every accepted placement has its contract, and only accepted ones do.
    accepted = Placement.objects.filter(application__programme_year=year, status="ACCEPTED")
    assert set(contracts.exclude(status="CANCELLED").values_list("placement", flat=True)) == set(
        accepted.values_list("pk", flat=True)
    )


def test_positions_requested_approved_returned_and_waiting(year, clair):
    positions = PositionRequest.objects.filter(programme_year=year)
    assert set(positions.values_list("state", flat=True)) == set(PositionRequest.State.values)
    assert not positions.filter(state="RETURNED", return_reason="").exists()
    assert set(positions.values_list("type", flat=True)) == {"ALT", "CIR", "SEA"}
    assert positions.exclude(driving_licence_required="").exists()
    assert positions.filter(type="ALT").exclude(min_japanese_level="").exists()
    assert positions.values("organisation").distinct().count() >= 40
    board = selectors.board_positions(user=clair, programme_year=year)
    assert 60 <= board.count() <= 90
    assert set(board.values_list("state", flat=True)) == {"APPROVED"}


def test_the_pool_stays_for_the_board_and_suggestions(year, clair):
    pool = selectors.board_candidates(user=clair, programme_year=year)
    assert pool.count() >= 10
    assert pool.filter(applicant__username=UNPLACED_CANDIDATE).exists()
    # Partners are left together for "Suggest placements".
    assert pool.exclude(partner_number="").count() >= 2


def test_co_hyogo_has_a_confirmed_placement_to_answer(year, co_hyogo):
    mine = selectors.placement_list(user=co_hyogo, programme_year=year)
    confirmed = mine.filter(status=Placement.Status.CONFIRMED)
    assert confirmed.exists()
    assert access.can(co_hyogo, "change", confirmed.first())
    assert set(mine.values_list("position__organisation__name_en", flat=True)) == {HYOGO}
    # And a contract issued and one in force of this year.
    statuses = set(
        selectors.contract_list(user=co_hyogo)
        .filter(placement__application__programme_year=year)
        .values_list("status", flat=True)
    )
    assert {"ISSUED", "IN_FORCE"} <= statuses


def test_co_sapporo_sees_none_of_hyogos_placements(co_sapporo):
    visible = selectors.placement_list(user=co_sapporo)
    assert visible.exists()
    assert not visible.filter(position__organisation__name_en=HYOGO).exists()
    assert not selectors.contract_list(user=co_sapporo).filter(
        placement__position__organisation__name_en=HYOGO
    )


def test_participant_is_in_contract_year_two_with_hyogo(participant, co_hyogo, clair):
    today = timezone.localdate()
    application = Application.objects.get(applicant=participant)
    assert application.citizenship_id == "US"
    assert application.country_id == "US"
    assert application.mission.name_en == "Embassy of Japan in the United States"
    assert application.status == Application.Status.FORWARDED
    assert application.programme_year.year < ProgrammeYear.objects.get(is_current=True).year
    placement = selectors.placement_own(user=participant)
    assert placement.status == Placement.Status.ACCEPTED
    assert placement.position.organisation.name_en == HYOGO

    contracts = list(selectors.contract_list(user=participant))
    assert [(c.version, c.contract_year) for c in contracts] == [(2, 2), (1, 1)]
    second, first = contracts
    assert second.status == Contract.Status.IN_FORCE
    assert second.start_date <= today <= second.end_date
    assert second.remuneration == 3_600_000
    assert second.start_date == first.end_date + dt.timedelta(days=1)
    assert first.start_date == application.programme_year.departure_group_a
    assert first.remuneration == 3_360_000
    assert first.end_date < today
    for contract in contracts:
        assert contract.participant_signature == participant.get_full_name()
        assert contract.participant_signed_at is not None
        assert contract.participant_address == "203.0.113.10"
        assert contract.countersigned_by == co_hyogo
    # The organisation and CLAIR read them; another organisation does not.
    hyogo_sees = selectors.contract_list(user=co_hyogo).filter(placement=placement)
    assert hyogo_sees.count() == 2
    assert selectors.contract_list(user=clair).filter(placement=placement).count() == 2
    assert selectors.placement_list(user=clair).filter(pk=placement.pk).exists()
    sapporo = User.objects.get(username="co.sapporo")
    assert not selectors.contract_list(user=sapporo).filter(placement=placement).exists()


def test_seeding_again_adds_nothing():
    models = (PositionRequest, Placement, Contract, Application, User, ProgrammeYear)
    counts = {model: model.objects.count() for model in models}
    call_command("seed_demo", stdout=StringIO())
    assert {model: model.objects.count() for model in models} == counts
