"""The demo world's re-appointment round, as `seed_demo` leaves it (seeded once per
session by tests/conftest.py; apps/demo/reappointment.py): open for the current
year with its deadlines ahead, `participant` and co.hyogo still to answer, and every
state on show among the other organisations' cases."""

from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.core.models import ProgrammeYear, User
from apps.demo.calendar import demo_calendar
from apps.notifications.models import Notification
from apps.placement.models import Contract, Placement
from apps.reappointment import selectors
from apps.reappointment.models import (
    ReappointmentCase,
    ReappointmentCaseGroupObjectPermission,
    ReappointmentCaseUserObjectPermission,
    ReappointmentRound,
)
from apps.recruitment.models import Application

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def round_():
    return ReappointmentRound.objects.get(programme_year=ProgrammeYear.objects.get(is_current=True))


@pytest.fixture
def cases(round_):
    return round_.cases.select_related("participant", "organisation", "contract")


def test_the_round_is_open_with_its_deadlines_ahead(round_):
    now = timezone.now()
    assert round_.state == ReappointmentRound.State.OPEN
    assert now < round_.organisation_deadline < round_.participant_deadline
    assert round_.participant_deadline < round_.confirmation_deadline
    assert round_.opened_by.username == "clair"
    # In the demo calendar's story: 15 January, 29 January and 12 February, 17:00 Tokyo.
    cal = demo_calendar()
    assert [
        timezone.localtime(d, TOKYO)
        for d in (
            round_.organisation_deadline,
            round_.participant_deadline,
            round_.confirmation_deadline,
        )
    ] == [
        cal.at(cal.year, 1, 15, "17:00"),
        cal.at(cal.year, 1, 29, "17:00"),
        cal.at(cal.year, 2, 12, "17:00"),
    ]


def test_cases_are_the_contracts_in_force_today_across_organisations(cases):
    today = timezone.localdate()
    assert 12 <= cases.count() <= 16
    assert cases.values("organisation").distinct().count() >= 6
    assert {"ALT", "CIR", "SEA"} <= set(cases.values_list("placement__position__type", flat=True))
    assert {1, 2, 3} <= set(cases.values_list("contract_year", flat=True))
    for case in cases:
        contract = case.contract
        assert contract.status == Contract.Status.IN_FORCE
        assert contract.start_date <= today <= contract.end_date
        assert contract.placement.status == Placement.Status.ACCEPTED
        assert contract.placement.position.organisation == case.organisation
        application = contract.placement.application
        assert application.applicant == case.participant
        assert application.programme_year.year < ProgrammeYear.objects.get(is_current=True).year
        assert case.outcome == ""
        assert case.next_contract is None
    in_force_today = Contract.objects.filter(
        status="IN_FORCE", start_date__lte=today, end_date__gte=today
    )
    assert cases.count() == in_force_today.values("placement").distinct().count()


def test_participant_and_co_hyogo_still_have_to_answer(cases, participant, co_hyogo):
    case = cases.get(participant=participant)
    assert case.organisation == co_hyogo.organisation
    assert (case.contract_year, case.years_so_far, case.may_continue) == (2, 2, True)
    assert case.organisation_answer == case.participant_answer == ""
    assert case.reopened_until is None
    waiting = selectors.reappointment_case_list(user=co_hyogo, waiting="organisation")
    assert list(waiting) == [case]
    assert list(selectors.reappointment_case_list(user=participant)) == [case]
    # Nothing about the round in the participant's inbox (tests/notifications count it).
    assert not Notification.objects.filter(recipient=participant).exists()
    assert not Notification.objects.filter(kind__startswith="reappointment_reminder").exists()


def test_every_state_is_on_show(cases, participant):
    others = cases.exclude(participant=participant)
    offered_and_accepted = others.filter(organisation_answer="OFFER", participant_answer="CONTINUE")
    assert offered_and_accepted.count() >= 2
    assert others.filter(organisation_answer="OFFER", participant_answer="LEAVE").exists()
    not_offered = others.filter(organisation_answer="NO_OFFER")
    assert not_offered.exists()
    assert all(case.organisation_reason for case in not_offered)
    fourth = others.get(years_so_far=3, organisation_answer="OFFER")
    assert fourth.contract_year == 3
    assert fourth.grounds
    five = others.get(may_continue=False)
    assert five.years_so_far == 5
    assert five.organisation_answer == five.participant_answer == ""
    application = Application.objects.get(applicant=five.participant)
    assert application.previous_jet_years + five.contract_year == 5
    reopened = others.get(reopened_until__isnull=False)
    assert reopened.reopen_reason
    assert reopened.reopened_by.username == "clair"
    assert reopened.history.first().history_user.username == "clair"
    assert reopened.reopened_until > reopened.round.organisation_deadline
    # Still waiting: an offer not answered yet, and a case where neither side has.
    assert others.filter(organisation_answer="OFFER", participant_answer="").exists()
    assert others.filter(organisation_answer="", participant_answer="", may_continue=True)
    for case in others.exclude(organisation_answer=""):
        assert case.organisation_answered_by.organisation == case.organisation
        assert case.history.filter(history_user=case.organisation_answered_by).exists()


def test_each_sees_only_their_own(cases, co_hyogo, co_sapporo, clair, mic, participant):
    assert selectors.reappointment_case_list(user=clair).count() == cases.count()
    assert not selectors.reappointment_case_list(user=mic).exists()
    sapporo = selectors.reappointment_case_list(user=co_sapporo)
    assert sapporo.exists()
    assert set(sapporo.values_list("organisation", flat=True)) == {co_sapporo.organisation.pk}
    for case in cases.exclude(participant=participant):
        mine = selectors.reappointment_case_list(user=case.participant)
        assert list(mine.values_list("pk", flat=True)) == [case.pk]
        assert case.participant.kind == "PARTICIPANT"
        assert case.participant.check_password("jet-demo-2027")


def test_seeding_again_adds_nothing():
    models = (
        ReappointmentRound,
        ReappointmentCase,
        ReappointmentCase.history.model,
        ReappointmentCaseGroupObjectPermission,
        ReappointmentCaseUserObjectPermission,
        Contract,
        Placement,
        Application,
        User,
        ProgrammeYear,
        Notification,
    )
    counts = {model: model.objects.count() for model in models}
    call_command("seed_demo", stdout=StringIO())
    assert {model: model.objects.count() for model in models} == counts


def test_co_sapporo_has_several_open_cases_to_answer_at_once(cases, co_sapporo):
    """Enough of one organisation's cases open for the bulk answer to be tried."""
    sapporo = cases.filter(organisation=co_sapporo.organisation)
    waiting = selectors.reappointment_case_list(user=co_sapporo, waiting="organisation")
    assert 4 <= waiting.count() <= 6
    assert set(waiting) <= set(sapporo)
    assert all(c.organisation_answer == c.participant_answer == "" for c in waiting)
    assert all(c.may_continue and c.reopened_until is None for c in waiting)
