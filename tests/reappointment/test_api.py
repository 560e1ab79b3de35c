"""The re-appointment round through /api/v1/: the same selectors and services as the
pages. A case or round the caller cannot see is 404; one they see but may not act on is
403; MIC reads a round's counts and no case."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.models import User
from apps.placement.models import Contract
from apps.reappointment.models import ReappointmentCase, ReappointmentRound
from tests.conftest import DEMO_PASSWORD
from tests.reappointment.test_services import (
    case_of,
    current_year,
    in_force,
    open_round,
    pass_deadlines,
    returning_conference,
)

pytestmark = pytest.mark.django_db

ROUNDS = "/api/v1/reappointment-rounds/"
CASES = "/api/v1/reappointment-cases/"
CASE_FIELDS = {
    "id",
    "participant",
    "organisation",
    "contract_year",
    "organisation_answer",
    "participant_answer",
    "outcome",
    "years_so_far",
    "may_continue",
    "reasons",
    "grounds",
    "reopened_until",
    "next_contract",
}
COUNT_ROW_FIELDS = {
    "prefecture",
    "prefecture_name_en",
    "prefecture_name_ja",
    "position_type",
    "contract_year",
    "organisation_answer",
    "participant_answer",
    "outcome",
    "n",
}
OUTSIDERS = ("mofa", "embassy.us", "embassy.uk", "mext", "applicant")


@pytest.fixture
def as_user(db):
    """A fresh API client per call, signed in with a real token (demo password)."""

    def _as(username: str) -> APIClient:
        client = APIClient()
        response = client.post(
            "/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, response.content
        client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return client

    return _as


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _later(days: float) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


# --- the whole round ---------------------------------------------------------------------


def test_the_round_from_opening_to_confirmation(as_user, participant, clair):
    conference = returning_conference(clair)
    other = in_force(20)
    ReappointmentRound.objects.filter(programme_year=current_year()).delete()
    clair_api = as_user("clair")
    deadlines = {
        "organisation_deadline": _later(20),
        "participant_deadline": _later(34),
        "confirmation_deadline": _later(48),
    }
    response = clair_api.post(ROUNDS, deadlines, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["programme_year"]) == ("OPEN", current_year().year)
    round_id = body["id"]
    assert clair_api.post(ROUNDS, deadlines, format="json").status_code == 400

    hyogo = as_user("co.hyogo")
    waiting = hyogo.get(CASES, {"round": round_id, "waiting": "organisation"})
    round_ = ReappointmentRound.objects.get(pk=round_id)
    mine, theirs = case_of(round_, participant), case_of(round_, other.participant)
    assert {mine.pk, theirs.pk} <= _ids(waiting)
    row = next(r for r in waiting.json()["results"] if r["id"] == mine.pk)
    assert set(row) >= CASE_FIELDS
    assert (row["participant"], row["contract_year"], row["years_so_far"]) == (
        participant.pk,
        2,
        2,
    )
    assert row["may_continue"] is True
    assert row["organisation_answer"] == row["participant_answer"] == row["outcome"] == ""

    # The organisation answers: offer to one, not to the other (a reason is required).
    response = hyogo.post(f"{CASES}{mine.pk}/organisation-answer/", {"offer": True})
    assert response.status_code == 200, response.content
    assert response.json()["organisation_answer"] == "OFFER"
    response = hyogo.post(f"{CASES}{theirs.pk}/organisation-answer/", {"offer": False})
    assert response.status_code == 400
    assert "reason" in response.json()
    response = hyogo.post(
        f"{CASES}{theirs.pk}/organisation-answer/",
        {"offer": False, "reason": "The post ends with the school's merger."},
    )
    assert response.status_code == 200
    assert response.json()["reasons"]["organisation"] == "The post ends with the school's merger."
    assert theirs.pk not in _ids(hyogo.get(CASES, {"round": round_id, "waiting": "organisation"}))

    # Each participant answers.
    me = as_user("participant")
    response = me.post(f"{CASES}{mine.pk}/participant-answer/", {"continue": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["participant_answer"] == "CONTINUE"
    other.participant.set_password(DEMO_PASSWORD)
    other.participant.save()
    them = as_user(other.participant.username)
    response = them.post(
        f"{CASES}{theirs.pk}/participant-answer/",
        {"continue": True, "reason": "I love it here."},
        format="json",
    )
    assert response.json()["reasons"]["participant"] == "I love it here."
    missing = me.post(f"{CASES}{mine.pk}/participant-answer/", {"reason": "x"}, format="json")
    assert missing.status_code == 400
    assert "continue" in missing.json()

    # CLAIR reminds the others and confirms.
    response = clair_api.post(f"{ROUNDS}{round_id}/remind/")
    assert response.status_code == 200
    assert response.json()["sent"] >= 1
    early = clair_api.post(f"{ROUNDS}{round_id}/confirm/")
    assert early.status_code == 400  # before the last answer deadline (test_confirm_round)
    pass_deadlines(round_)
    response = clair_api.post(f"{ROUNDS}{round_id}/confirm/")
    assert response.status_code == 200, response.content
    outcome = response.json()
    assert outcome["round"]["state"] == "CONFIRMED"
    assert outcome["continues"] >= 1
    assert outcome["continues"] + outcome["leaves"] == round_.cases.count()
    assert clair_api.post(f"{ROUNDS}{round_id}/confirm/").status_code == 400

    mine_now = me.get(f"{CASES}{mine.pk}/").json()
    assert mine_now["outcome"] == "CONTINUES"
    assert mine_now["outcome_label"] == "Re-appointed"
    contract = me.get(f"/api/v1/contracts/{mine_now['next_contract']}/").json()
    assert (contract["contract_year"], contract["remuneration"], contract["status"]) == (
        3,
        3_900_000,
        "DRAFT",
    )
    theirs_now = them.get(f"{CASES}{theirs.pk}/").json()
    assert (theirs_now["outcome"], theirs_now["next_contract"]) == ("LEAVES", None)
    assert conference.registrations.filter(person=other.participant).exists()


def test_a_late_answer_needs_clair_to_reopen_the_case(as_user, participant):
    round_ = open_round()
    pass_deadlines(round_)
    case = case_of(round_, participant)
    hyogo, clair_api = as_user("co.hyogo"), as_user("clair")
    response = hyogo.post(f"{CASES}{case.pk}/organisation-answer/", {"offer": True})
    assert response.status_code == 400
    assert "deadline has passed" in response.json()["detail"]
    response = clair_api.post(f"{CASES}{case.pk}/reopen/", {"until": _later(2)})
    assert response.status_code == 400
    assert "reason" in response.json()
    reason = "The board met after the deadline."
    response = clair_api.post(f"{CASES}{case.pk}/reopen/", {"reason": reason, "until": _later(2)})
    assert response.status_code == 200, response.content
    assert response.json()["reasons"]["reopen"] == reason
    assert response.json()["reopened_until"]
    assert hyogo.post(f"{CASES}{case.pk}/organisation-answer/", {"offer": True}).status_code == 200
    assert case.history.filter(reopen_reason=reason).last().history_user.username == "clair"


def test_a_fourth_year_offer_needs_grounds(as_user):
    contract = in_force(21, contract_year=3)
    case = case_of(open_round(), contract.participant)
    hyogo = as_user("co.hyogo")
    assert hyogo.get(f"{CASES}{case.pk}/").json()["needs_grounds"] is True
    response = hyogo.post(f"{CASES}{case.pk}/organisation-answer/", {"offer": True})
    assert response.status_code == 400
    assert "grounds" in response.json()
    response = hyogo.post(
        f"{CASES}{case.pk}/organisation-answer/", {"offer": True, "grounds": "Exceptional work."}
    )
    assert response.status_code == 200
    assert response.json()["grounds"] == "Exceptional work."


def test_only_clair_opens_a_round(as_user):
    ReappointmentRound.objects.filter(programme_year=current_year()).delete()
    body = {
        "organisation_deadline": _later(20),
        "participant_deadline": _later(34),
        "confirmation_deadline": _later(48),
    }
    for username in ("mic", "co.hyogo", "participant", *OUTSIDERS):
        assert as_user(username).post(ROUNDS, body).status_code == 403, username
    assert not ReappointmentRound.objects.filter(programme_year=current_year()).exists()


# --- who may see and do what -------------------------------------------------------------

# username: (case detail, organisation-answer, participant-answer, reopen), for the demo
# `participant`'s case with Hyogo.
CASE_ACCESS = {
    "clair": (200, 403, 403, 200),
    "clair.manager": (200, 403, 403, 200),
    "co.hyogo": (200, 200, 403, 403),
    "participant": (200, 403, 200, 403),
    "co.sapporo": (404, 404, 404, 404),
    "mic": (404, 404, 404, 404),
    **dict.fromkeys(OUTSIDERS, (404, 404, 404, 404)),
}


@pytest.mark.parametrize(("username", "expected"), CASE_ACCESS.items())
def test_who_sees_and_acts_on_a_case(as_user, participant, username, expected):
    case = case_of(open_round(), participant)
    client = as_user(username)
    url = f"{CASES}{case.pk}"
    got = (
        client.get(f"{url}/").status_code,
        client.post(f"{url}/organisation-answer/", {"offer": True}).status_code,
        client.post(f"{url}/participant-answer/", {"continue": True}, format="json").status_code,
        client.post(f"{url}/reopen/", {"reason": "Late", "until": _later(3)}).status_code,
    )
    assert got == expected
    stored = ReappointmentCase.objects.get(pk=case.pk)
    assert stored.organisation_answer == ("OFFER" if username == "co.hyogo" else "")
    assert stored.participant_answer == ("CONTINUE" if username == "participant" else "")


# username: (round detail, counts, confirm, remind); confirm and remind as CLAIR are in
# the flow above.
ROUND_ACCESS = {
    "mic": (200, 200, 403, 403),
    "co.hyogo": (200, 200, 403, 403),
    "co.sapporo": (200, 200, 403, 403),
    "participant": (200, 403, 403, 403),
    **dict.fromkeys(OUTSIDERS, (404, 404, 404, 404)),
}


@pytest.mark.parametrize(("username", "expected"), ROUND_ACCESS.items())
def test_who_sees_and_acts_on_a_round(as_user, username, expected):
    in_force(22, organisation_user="co.sapporo", mission_user="embassy.uk")
    round_ = open_round()
    client = as_user(username)
    url = f"{ROUNDS}{round_.pk}"
    got = (
        client.get(f"{url}/").status_code,
        client.get(f"{url}/counts/").status_code,
        client.post(f"{url}/confirm/").status_code,
        client.post(f"{url}/remind/").status_code,
    )
    assert got == expected
    assert ReappointmentRound.objects.get(pk=round_.pk).state == "OPEN"


def test_mic_reads_the_counts_and_no_case(as_user, participant):
    round_ = open_round()
    mic = as_user("mic")
    assert _ids(mic.get(ROUNDS)) >= {round_.pk}
    cases = mic.get(CASES)
    assert cases.json()["count"] == 0
    assert mic.get(f"{CASES}{case_of(round_, participant).pk}/").status_code == 404
    counts = mic.get(f"{ROUNDS}{round_.pk}/counts/").json()
    assert counts["total"] == round_.cases.count()
    # Counts only: a row below 3 is hidden (tests/core/test_small_cells.py); the shown
    # rows and the hidden ones add up to the exact total.
    shown = [row["n"] for row in counts["rows"] if isinstance(row["n"], int)]
    assert all(n == 0 or n >= 3 for n in shown)
    assert sum(shown) <= counts["total"]
    for row in counts["rows"]:
        assert set(row) == COUNT_ROW_FIELDS
        assert isinstance(row["n"], int) or row["n"] in {"fewer_than_3", "withheld"}
    assert participant.last_name not in str(counts)
    # An organisation's counts are its own participants only.
    hyogo = as_user("co.hyogo").get(f"{ROUNDS}{round_.pk}/counts/").json()
    assert hyogo["total"] == round_.cases.filter(organisation__name_en__startswith="Hyogo").count()
    assert {row["prefecture"] for row in hyogo["rows"]} == {"28"}


def test_lists_show_each_actor_only_its_own(as_user, participant, co_hyogo, co_sapporo):
    sapporo = in_force(23, organisation_user="co.sapporo", mission_user="embassy.uk")
    in_force(24)
    round_ = open_round()
    cases = round_.cases.all()

    def of(**filters) -> set[int]:
        return set(cases.filter(**filters).values_list("pk", flat=True))

    expected = {
        "clair": of(),
        "co.hyogo": of(organisation=co_hyogo.organisation),
        "co.sapporo": of(organisation=co_sapporo.organisation),
        "participant": of(participant=participant),
        "mic": set(),
        **{username: set() for username in OUTSIDERS},
    }
    assert case_of(round_, sapporo.participant).pk in expected["co.sapporo"]
    assert len(expected["co.hyogo"]) >= 2
    assert not expected["co.hyogo"] & expected["co.sapporo"]
    for username, ids in expected.items():
        response = as_user(username).get(CASES, {"page_size": 200})
        assert _ids(response) == ids, username
        assert response.json()["count"] == len(ids), username
    # Filters narrow what the caller sees, never widen it.
    hyogo = as_user("co.hyogo")
    narrowed = hyogo.get(CASES, {"organisation": co_sapporo.organisation.pk})
    assert narrowed.json()["count"] == 0
    assert _ids(hyogo.get(CASES, {"prefecture": "01"})) == set()
    assert as_user("mic").get(ROUNDS).json()["count"] >= 1
    assert _ids(as_user("mofa").get(ROUNDS)) == set()


def test_a_missing_or_malformed_id_is_404(as_user):
    clair_api = as_user("clair")
    assert clair_api.get(f"{CASES}999999999/").status_code == 404
    assert clair_api.get(f"{ROUNDS}999999999/").status_code == 404
    assert clair_api.get(f"{CASES}abc/").status_code == 404
    assert clair_api.post(f"{CASES}999999999/reopen/").status_code == 404


# --- query counts ------------------------------------------------------------------------


def _queries(client: APIClient, url: str, params: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("username", ["clair", "co.hyogo"])
def test_the_case_list_takes_the_same_few_queries_however_long(as_user, username):
    round_ = open_round()
    client = as_user(username)
    client.get(CASES)  # the token checked once, then remembered
    few, before = _queries(client, CASES, {"page_size": 200})
    ReappointmentRound.objects.filter(pk=round_.pk).delete()
    for n in range(30, 34):
        in_force(n)
    open_round()
    many, after = _queries(client, CASES, {"page_size": 200})
    assert after == before + 4
    assert many == few
    assert many <= 8


def test_the_round_counts_take_a_few_queries(as_user):
    round_ = open_round()
    client = as_user("mic")
    n, _count = _queries(client, ROUNDS, {})
    assert n <= 6
    client.get(f"{ROUNDS}{round_.pk}/counts/")  # warm caches (permission ids)
    with CaptureQueriesContext(connection) as queries:
        client.get(f"{ROUNDS}{round_.pk}/counts/")
    # Six, and whether the caller sees any case by name (their counts then exact).
    assert len(queries) <= 8


def test_a_contract_made_by_the_round_is_the_participants(as_user, participant, clair):
    """The next contract is the participant's and the organisation's to read, and
    nobody else's outside CLAIR."""
    round_ = open_round()
    case = case_of(round_, participant)
    as_user("co.hyogo").post(f"{CASES}{case.pk}/organisation-answer/", {"offer": True})
    as_user("participant").post(
        f"{CASES}{case.pk}/participant-answer/", {"continue": True}, format="json"
    )
    pass_deadlines(round_)
    as_user("clair").post(f"{ROUNDS}{round_.pk}/confirm/")
    case.refresh_from_db()
    nxt = Contract.objects.get(pk=case.next_contract_id)
    for username, status in (("participant", 200), ("co.hyogo", 200), ("co.sapporo", 404)):
        response = as_user(username).get(f"/api/v1/contracts/{nxt.pk}/")
        assert response.status_code == status, username
    assert User.objects.get(pk=participant.pk).is_active
