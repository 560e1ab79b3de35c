"""Confirming the re-appointment round is a step in two: the page first says what it
will do (who leaves, who stays, who has not answered) and confirms only when asked
again; before the last answer deadline only a CLAIR manager confirms, with a reason
kept on the round and shown on the round and on each case. The API refuses the same."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.models import User
from apps.reappointment import services as reappointment_services
from apps.reappointment.models import ReappointmentRound
from tests.reappointment.test_services import case_of, in_force, open_round, pass_deadlines

pytestmark = pytest.mark.django_db

REASON = "The ministry needs the numbers of leavers for the budget this week."


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _page(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def round_(participant, co_hyogo):
    """A round opened now (answers due in 30 and 44 days): `participant` and one more
    person both want to continue; everyone else in it has not answered."""
    other = in_force(501).placement.application.applicant
    round_ = open_round()
    for person in (participant, other):
        case = case_of(round_, person)
        reappointment_services.organisation_answer(by=co_hyogo, case=case, offer=True)
        reappointment_services.participant_answer(by=person, case=case, wishes_to_continue=True)
    return round_


def _state(round_) -> str:
    return ReappointmentRound.objects.get(pk=round_.pk).state


# --- the page ----------------------------------------------------------------------------


def test_the_confirmation_step_shows_who_leaves_and_who_stays(round_):
    total = round_.cases.count()
    leave = total - 2
    # Of those leaving, who lacks an answer it still needed (not those at the limit).
    unanswered = round_.cases.filter(may_continue=True, participant_answer="").count()
    response = _client("clair.manager").post(f"/clair/reappointment/{round_.pk}/confirm/")
    assert response.status_code == 200
    html = _page(response)
    assert f"{leave} people will leave the programme:" in html
    assert "2 people will stay:" in html
    assert f"{unanswered} of those leaving do not have both answers yet" in html
    assert _state(round_) == "OPEN"


def test_a_post_without_the_confirm_flag_changes_nothing(round_):
    pass_deadlines(round_)
    client = _client("clair")
    for body in ({}, {"early_reason": REASON}, {"confirm": "False"}):
        assert client.post(f"/clair/reappointment/{round_.pk}/confirm/", body).status_code == 200
        assert _state(round_) == "OPEN"
    response = client.post(f"/clair/reappointment/{round_.pk}/confirm/", {"confirm": "True"})
    assert response.status_code == 302
    assert _state(round_) == "CONFIRMED"
    assert ReappointmentRound.objects.get(pk=round_.pk).early_reason == ""


def test_staff_cannot_confirm_before_the_last_deadline(round_):
    client = _client("clair")
    page = _page(client.get(f"/clair/reappointment/{round_.pk}/"))
    assert re.search(
        r'<button type="submit" class="button" data-testid="round-confirm" disabled', page
    )
    assert "only a CLAIR manager can confirm the round early" in page

    step = _page(client.post(f"/clair/reappointment/{round_.pk}/confirm/"))
    assert 'data-testid="round-confirm-refused"' in step
    assert 'data-testid="round-confirm-yes"' not in step
    response = client.post(
        f"/clair/reappointment/{round_.pk}/confirm/", {"confirm": "True", "early_reason": REASON}
    )
    assert response.status_code == 200
    assert "only a CLAIR manager can confirm it early, with a reason." in _page(response)
    assert _state(round_) == "OPEN"


def test_a_manager_confirms_early_only_with_a_reason(round_, participant):
    client = _client("clair.manager")
    url = f"/clair/reappointment/{round_.pk}/confirm/"
    step = _page(client.post(url))
    assert 'data-testid="round-confirm-early"' in step
    assert 'name="early_reason"' in step

    response = client.post(url, {"confirm": "True", "early_reason": "  "})
    assert response.status_code == 200
    assert "Give the reason for confirming before the last answer deadline" in _page(response)
    assert _state(round_) == "OPEN"

    response = client.post(url, {"confirm": "True", "early_reason": REASON})
    assert response.status_code == 302
    stored = ReappointmentRound.objects.get(pk=round_.pk)
    assert (stored.state, stored.early_reason, stored.confirmed_by.username) == (
        "CONFIRMED",
        REASON,
        "clair.manager",
    )
    assert REASON in _page(client.get(f"/clair/reappointment/{round_.pk}/"))
    case = case_of(round_, participant)
    case_page = _page(client.get(f"/clair/reappointment/{round_.pk}/cases/{case.pk}/"))
    assert f"confirmed before the deadline by {stored.confirmed_by.get_full_name()}: {REASON}" in (
        case_page
    )


# --- the service -------------------------------------------------------------------------


def test_a_case_reopened_for_a_late_answer_holds_the_round_open(round_, participant, clair):
    pass_deadlines(round_)
    reappointment_services.case_reopen(
        by=clair,
        case=case_of(round_, participant),
        reason="Was in hospital.",
        until=timezone.now() + datetime.timedelta(days=2),
    )
    with pytest.raises(DomainError, match="only a CLAIR manager can confirm it early"):
        reappointment_services.round_confirm(by=clair, round_=round_)
    assert _state(round_) == "OPEN"


def test_after_the_last_deadline_staff_confirm_without_a_reason(round_, clair):
    pass_deadlines(round_)
    outcome = reappointment_services.round_confirm(by=clair, round_=round_)
    assert outcome["continues"] == 2
    assert _state(round_) == "CONFIRMED"


# --- the API -----------------------------------------------------------------------------


def _api(username: str):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def test_the_api_refuses_an_early_confirmation_but_a_managers_with_a_reason(round_):
    url = f"/api/v1/reappointment-rounds/{round_.pk}/confirm/"
    staff = _api("clair").post(url, {"early_reason": REASON}, format="json")
    assert staff.status_code == 400
    assert "only a CLAIR manager can confirm it early" in staff.content.decode()
    manager = _api("clair.manager")
    no_reason = manager.post(url, {}, format="json")
    assert no_reason.status_code == 400
    assert "early_reason" in no_reason.json()
    assert _state(round_) == "OPEN"

    response = manager.post(url, {"early_reason": REASON}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["round"]["state"], body["round"]["early_reason"]) == ("CONFIRMED", REASON)
    assert body["continues"] == 2
    assert body["continues"] + body["leaves"] == round_.cases.count()


def test_the_api_confirms_after_the_deadline_without_a_reason(round_):
    pass_deadlines(round_)
    response = _api("clair").post(f"/api/v1/reappointment-rounds/{round_.pk}/confirm/")
    assert response.status_code == 200
    assert response.json()["round"]["early_reason"] == ""
