"""Placements, contracts and suggestion runs through the API: the whole path from CLAIR's
placement to a countersigned contract, and who may see and do what on the way.

The world (tests/conftest.py), as far as one placement of a US candidate with Hyogo goes:
- clair, clair.manager: see every placement, contract and run; place candidates; only the
  manager approves a run.
- mofa (HQ): reads every placement, no contract, no run.
- embassy.us: sees its own candidate's placement; embassy.uk does not.
- co.hyogo: sees the placement offered to it and its contract, answers and issues it;
  co.sapporo sees neither.
- the candidate: sees the placement once Hyogo has accepted it, then their contract;
  applicant and participant (other people) see nothing of it.
- mic, mext: nothing.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core import access
from apps.core.models import Kind, Organisation, ProgrammeYear, User
from apps.placement import services
from apps.placement.contracts import one_year_from
from apps.placement.models import Contract, MatchingLine, MatchingRun, Placement
from apps.recruitment.models import Application
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

POSITION = {
    "type": "ALT",
    "school_level": "SENIOR_HIGH",
    "base": "Hyogo Prefectural Kobe High School",
    "municipality": "Kobe",
    "location": "URBAN",
    "housing": "ASSISTED",
}

# What the API shows of a placement and a contract, to everyone who may see them.
PLACEMENT_FIELDS = {
    "id",
    "application",
    "application_number",
    "candidate_name",
    "country",
    "position",
    "position_type",
    "organisation",
    "organisation_name",
    "prefecture",
    "municipality",
    "school_level",
    "arrival_group",
    "status",
    "decline_reason",
    "confirmed_at",
    "decided_at",
}
CONTRACT_FIELDS = {
    "id",
    "placement",
    "participant",
    "participant_name",
    "organisation",
    "organisation_name",
    "contract_year",
    "version",
    "status",
    "status_label",
    "start_date",
    "end_date",
    "remuneration",
    "hours_per_week",
    "paid_leave_days",
    "conditions_en",
    "conditions_ja",
    "participant_signed_at",
    "countersigned_at",
    "created_at",
}


# --- building the world through the real services ------------------------------------


def _candidate(n: int, *, mission_user: str = "embassy.us") -> Application:
    """A candidate the mission has forwarded to CLAIR (as `applications_forward` leaves
    one: CLAIR may see the application), with an account that signs in."""
    mission = User.objects.get(username=mission_user).organisation
    person = User.objects.create_user(
        f"api.candidate.{n}",
        password=DEMO_PASSWORD,
        first_name="Alex",
        last_name=f"Rivera{n}",
        person_role="APPLICANT",
    )
    application = Application.objects.create(
        number=f"APIFLOW-{n}",
        programme_year=ProgrammeYear.objects.get(is_current=True),
        applicant=person,
        mission=mission,
        country=mission.country,
        position="ALT",
        status=Application.Status.FORWARDED,
        forwarded_at=timezone.now(),
        given_names="Alex",
        family_name=f"Rivera{n}",
        japanese_level="N3",
        driving_licence="MANUAL",
    )
    access.grant_user("view", application, person)
    access.grant("view", application, mission)
    access.grant("view", application, Organisation.objects.get(kind=Kind.CLAIR))
    return application


def _position(organisation_user: str = "co.hyogo", **overrides):
    """A position the organisation requested and MIC approved (CLAIR may fill it)."""
    [position] = services.position_request_create(
        by=User.objects.get(username=organisation_user), seats=1, **(POSITION | overrides)
    )
    services.positions_review(
        by=User.objects.get(username="mic"), positions=[position], approve=True
    )
    position.refresh_from_db()
    return position


def _placed(n: int, *, organisation_user="co.hyogo", mission_user="embassy.us") -> Placement:
    """CLAIR has placed a new candidate; the organisation has not answered yet."""
    return services.placement_confirm(
        by=User.objects.get(username="clair"),
        application=_candidate(n, mission_user=mission_user),
        position=_position(organisation_user),
    )


def _org_accepted(n: int, **kwargs) -> Placement:
    placement = _placed(n, **kwargs)
    organisation_user = kwargs.get("organisation_user", "co.hyogo")
    return services.placement_accept(
        by=User.objects.get(username=organisation_user), placement=placement
    )


def _with_contract(n: int, **kwargs) -> Contract:
    """Both sides have accepted: the draft contract exists."""
    placement = _org_accepted(n, **kwargs)
    return services.placement_candidate_accept(
        by=placement.application.applicant, placement=placement
    )


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- the whole path -------------------------------------------------------------------


def test_whole_flow_from_placement_to_countersigned_contract(api_as):
    application = _candidate(1)
    position = _position()

    response = api_as("clair").post(
        "/api/v1/placements/confirm/",
        {"application": application.pk, "position": position.pk, "arrival_group": "A"},
        format="json",
    )
    assert response.status_code == 201, response.content
    placement = response.json()
    assert placement["status"] == "CONFIRMED"
    assert placement["application_number"] == "APIFLOW-1"
    assert placement["candidate_name"] == "Alex Rivera1"
    assert placement["country"] == "US"
    assert placement["position_type"] == "ALT"
    assert placement["organisation"] == position.organisation_id
    assert placement["organisation_name"] == "Hyogo Prefectural Board of Education"
    assert placement["prefecture"] == "28"
    assert placement["municipality"] == "Kobe"
    assert placement["school_level"] == "SENIOR_HIGH"
    assert placement["arrival_group"] == "A"
    assert placement["decline_reason"] == ""
    assert set(placement) == PLACEMENT_FIELDS  # where and when: no scores, no health
    url = f"/api/v1/placements/{placement['id']}/"

    # The candidate hears of it only once the organisation has accepted.
    assert api_as("api.candidate.1").get(url).status_code == 404

    response = api_as("co.hyogo").post(f"{url}accept/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ACCEPTED_BY_ORG"

    candidate = api_as("api.candidate.1")
    assert candidate.get(url).json()["status"] == "ACCEPTED_BY_ORG"
    response = candidate.post(f"{url}candidate-accept/")
    assert response.status_code == 201, response.content
    contract = response.json()
    assert contract["status"] == "DRAFT"
    assert contract["version"] == 1
    assert contract["contract_year"] == 1
    assert contract["participant"] == application.applicant_id
    assert contract["participant_name"] == "Alex Rivera1"
    assert contract["organisation"] == position.organisation_id
    assert contract["remuneration"] == 3_360_000
    # Group A's departure day, for one year (the year's dates follow the demo calendar).
    departure = application.programme_year.departure_group_a
    assert contract["start_date"] == departure.isoformat()
    assert contract["end_date"] == one_year_from(departure).isoformat()
    assert contract["participant_signed_at"] is None
    assert set(contract) == CONTRACT_FIELDS
    assert candidate.get(url).json()["status"] == "ACCEPTED"
    contract_url = f"/api/v1/contracts/{contract['id']}/"

    hyogo = api_as("co.hyogo")
    response = hyogo.patch(
        f"{contract_url}terms/",
        {
            "hours_per_week": "37.5",
            "paid_leave_days": 25,
            "conditions_en": "Housing is assisted.",
            "conditions_ja": "住宅の補助あり。",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    terms = response.json()
    assert terms["hours_per_week"] == "37.5"
    assert terms["paid_leave_days"] == 25
    assert terms["conditions_en"] == "Housing is assisted."
    assert terms["conditions_ja"] == "住宅の補助あり。"
    response = hyogo.post(f"{contract_url}issue/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ISSUED"

    response = api_as("api.candidate.1").post(
        f"{contract_url}sign/", {"typed_name": "alex  rivera1", "agree": True}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "SIGNED"
    assert response.json()["participant_signed_at"]
    stored = Contract.objects.get(pk=contract["id"])
    assert stored.participant_signature == "alex rivera1"
    assert stored.participant_address == "127.0.0.1"

    response = api_as("co.hyogo").post(f"{contract_url}countersign/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "IN_FORCE"
    assert response.json()["countersigned_at"]

    response = api_as("api.candidate.1").get(f"{contract_url}pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="contract-APIFLOW-1-year1-v1.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_pdf_answers_a_client_that_asks_for_pdf(api_as):
    contract = _with_contract(2)
    response = api_as("co.hyogo").get(
        f"/api/v1/contracts/{contract.pk}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_decline_needs_a_reason(api_as):
    placement = _placed(3)
    hyogo = api_as("co.hyogo")
    response = hyogo.post(f"/api/v1/placements/{placement.pk}/decline/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Give the reason for declining."]}
    placement.refresh_from_db()
    assert placement.status == Placement.Status.CONFIRMED

    response = hyogo.post(
        f"/api/v1/placements/{placement.pk}/decline/",
        {"reason": "No housing this year"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "DECLINED_BY_ORG"
    assert response.json()["decline_reason"] == "No housing this year"


def test_an_answered_placement_cannot_be_answered_again(api_as):
    placement = _org_accepted(4)
    response = api_as("co.hyogo").post(
        f"/api/v1/placements/{placement.pk}/decline/", {"reason": "Changed our mind"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "This placement has already been answered."}


def test_candidate_withdraws_and_the_draft_contract_is_cancelled(api_as):
    contract = _with_contract(5)
    placement = contract.placement
    candidate = api_as("api.candidate.5")
    response = candidate.post(
        f"/api/v1/placements/{placement.pk}/withdraw/",
        {"reason": "Staying home for family reasons"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "WITHDRAWN"
    assert response.json()["decline_reason"] == "Staying home for family reasons"
    assert candidate.get(f"/api/v1/contracts/{contract.pk}/").json()["status"] == "CANCELLED"
    placement.application.refresh_from_db()
    assert placement.application.status == Application.Status.WITHDRAWN


def test_candidate_cannot_answer_before_the_organisation(api_as):
    placement = _placed(6)
    candidate = api_as("api.candidate.6")
    assert candidate.post(f"/api/v1/placements/{placement.pk}/candidate-accept/").status_code == (
        404
    )
    assert candidate.post(f"/api/v1/placements/{placement.pk}/withdraw/").status_code == 404


def test_signing_needs_the_name_and_the_agreement(api_as):
    contract = _with_contract(7)
    services.contract_issue(by=User.objects.get(username="co.hyogo"), contract=contract)
    candidate = api_as("api.candidate.7")
    url = f"/api/v1/contracts/{contract.pk}/sign/"
    response = candidate.post(url, {"typed_name": "Alex Rivera7", "agree": False}, format="json")
    assert response.status_code == 400
    assert response.json() == {"agree": ["Tick the box to agree to the contract."]}
    response = candidate.post(url, {"typed_name": "Sam Rivera", "agree": True}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "typed_name": ["Type your full name exactly as it is on your account: Alex Rivera7."]
    }
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.ISSUED


def test_signed_contract_terms_cannot_be_changed_but_a_new_version_can(api_as):
    contract = _with_contract(8)
    hyogo_user = User.objects.get(username="co.hyogo")
    services.contract_issue(by=hyogo_user, contract=contract)
    services.contract_sign(
        by=contract.participant,
        contract=contract,
        typed_name="Alex Rivera8",
        agree=True,
        address="127.0.0.1",
    )
    hyogo = api_as("co.hyogo")
    response = hyogo.patch(
        f"/api/v1/contracts/{contract.pk}/terms/", {"paid_leave_days": 30}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Only a draft can be changed. A signed contract is changed by a new version."
    }
    assert Contract.objects.get(pk=contract.pk).paid_leave_days == 20

    response = hyogo.post(f"/api/v1/contracts/{contract.pk}/new-version/")
    assert response.status_code == 201, response.content
    new = response.json()
    assert (new["version"], new["status"]) == (2, "DRAFT")
    response = hyogo.patch(
        f"/api/v1/contracts/{new['id']}/terms/", {"paid_leave_days": 30}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["paid_leave_days"] == 30
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.SIGNED


def test_terms_outside_the_rules_are_refused_with_the_field(api_as):
    contract = _with_contract(9)
    response = api_as("co.hyogo").patch(
        f"/api/v1/contracts/{contract.pk}/terms/", {"hours_per_week": "45"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"hours_per_week": ["Working hours must be between 1 and 40 a week."]}


# --- who sees what ----------------------------------------------------------------------

# username: (placement detail, contract detail and pdf) for a US candidate placed with
# Hyogo who has accepted (the draft contract exists).
VISIBILITY = {
    "clair": (200, 200),
    "clair.manager": (200, 200),
    "mofa": (200, 404),
    "embassy.us": (200, 404),
    "embassy.uk": (404, 404),
    "mic": (404, 404),
    "mext": (404, 404),
    "co.hyogo": (200, 200),
    "co.sapporo": (404, 404),
    "applicant": (404, 404),
    "participant": (404, 404),
    "api.candidate.10": (200, 200),
}


@pytest.mark.parametrize(("username", "expected"), VISIBILITY.items())
def test_who_sees_a_placement_and_its_contract(api_as, username, expected):
    contract = _with_contract(10)
    client = api_as(username)
    placement_status, contract_status = expected
    assert client.get(f"/api/v1/placements/{contract.placement_id}/").status_code == (
        placement_status
    )
    assert client.get(f"/api/v1/contracts/{contract.pk}/").status_code == contract_status
    response = client.get(f"/api/v1/contracts/{contract.pk}/pdf/")
    assert response.status_code == contract_status
    if contract_status == 200:
        assert response.content.startswith(b"%PDF")


def test_a_missing_or_malformed_id_is_404(api_as):
    client = api_as("clair")
    assert client.get("/api/v1/placements/999999999/").status_code == 404
    assert client.get("/api/v1/contracts/999999999/pdf/").status_code == 404
    assert client.get("/api/v1/placements/abc/").status_code == 404


def _organisation(username: str) -> Organisation:
    return User.objects.get(username=username).organisation


def test_lists_show_each_actor_only_its_own(api_as):
    """Each list against a plain query of what that actor should see (the demo world
    has placements of its own), and our three rows where they must and must not be."""
    hyogo_contract = _with_contract(11)
    hyogo = hyogo_contract.placement
    sapporo_contract = _with_contract(12, organisation_user="co.sapporo", mission_user="embassy.uk")
    sapporo = sapporo_contract.placement
    waiting = _placed(13)  # offered to Hyogo, not answered yet
    placements = Placement.objects.all()

    def of(**filters) -> set[int]:
        return set(placements.filter(**filters).values_list("pk", flat=True))

    expected_placements = {
        "clair": of(),
        "mofa": of(),
        "embassy.us": of(application__mission=_organisation("embassy.us")),
        "embassy.uk": of(application__mission=_organisation("embassy.uk")),
        "co.hyogo": of(position__organisation=_organisation("co.hyogo")),
        "co.sapporo": of(position__organisation=_organisation("co.sapporo")),
        "mic": set(),
        "mext": set(),
        "applicant": set(),
        "api.candidate.11": {hyogo.pk},
        "api.candidate.13": set(),
    }
    assert {hyogo.pk, waiting.pk} <= expected_placements["embassy.us"]
    assert sapporo.pk not in expected_placements["embassy.us"]
    assert {hyogo.pk, waiting.pk} <= expected_placements["co.hyogo"]
    assert sapporo.pk in expected_placements["co.sapporo"]
    for username, ids in expected_placements.items():
        response = api_as(username).get("/api/v1/placements/?page_size=200")
        assert _ids(response) == ids, username
        assert response.json()["next"] is None, username

    contracts = Contract.objects.all()
    expected_contracts = {
        "clair": set(contracts.values_list("pk", flat=True)),
        "mofa": set(),
        "embassy.us": set(),
        "co.hyogo": set(
            contracts.filter(
                placement__position__organisation=_organisation("co.hyogo")
            ).values_list("pk", flat=True)
        ),
        "co.sapporo": set(
            contracts.filter(
                placement__position__organisation=_organisation("co.sapporo")
            ).values_list("pk", flat=True)
        ),
        "mic": set(),
        "mext": set(),
        "applicant": set(),
        "api.candidate.12": {sapporo_contract.pk},
    }
    assert hyogo_contract.pk in expected_contracts["co.hyogo"]
    assert sapporo_contract.pk not in expected_contracts["co.hyogo"]
    for username, ids in expected_contracts.items():
        response = api_as(username).get("/api/v1/contracts/?page_size=200")
        assert _ids(response) == ids, username
        assert response.json()["next"] is None, username


def test_placement_list_filters_by_status_and_contracts_by_placement(api_as):
    accepted = _with_contract(14).placement
    waiting = _placed(15)
    hyogo = api_as("co.hyogo")
    response = hyogo.get("/api/v1/placements/?status=CONFIRMED&page_size=200")
    assert waiting.pk in _ids(response)
    assert accepted.pk not in _ids(response)
    assert {row["status"] for row in response.json()["results"]} == {"CONFIRMED"}
    response = hyogo.get("/api/v1/placements/?active=true&page_size=200")
    assert {accepted.pk, waiting.pk} <= _ids(response)
    assert {row["status"] for row in response.json()["results"]} <= {
        "CONFIRMED",
        "ACCEPTED_BY_ORG",
        "ACCEPTED",
    }
    assert _ids(hyogo.get(f"/api/v1/contracts/?placement={waiting.pk}")) == set()
    [contract] = hyogo.get(f"/api/v1/contracts/?placement={accepted.pk}").json()["results"]
    assert contract["placement"] == accepted.pk


def test_one_placement_or_contract_ignores_the_lists_filters(api_as):
    contract = _with_contract(31)
    hyogo = api_as("co.hyogo")
    response = hyogo.get(f"/api/v1/placements/{contract.placement_id}/?status=WITHDRAWN")
    assert response.status_code == 200
    assert response.json()["status"] == "ACCEPTED"
    response = hyogo.get(f"/api/v1/contracts/{contract.pk}/?placement=999999999")
    assert response.status_code == 200
    assert response.json()["placement"] == contract.placement_id


# --- acting on what one may see but not do: 403; on what one may not see: 404 ----------


def test_placement_answers_by_the_wrong_actor(api_as):
    placement = _placed(16)
    url = f"/api/v1/placements/{placement.pk}"
    for username in ("clair", "mofa", "embassy.us"):
        response = api_as(username).post(f"{url}/accept/")
        assert response.status_code == 403, username
        response = api_as(username).post(f"{url}/decline/", {"reason": "No"})
        assert response.status_code == 403, username
        assert api_as(username).post(f"{url}/candidate-accept/").status_code == 403, username
    for username in ("co.sapporo", "embassy.uk", "mic", "mext", "applicant"):
        assert api_as(username).post(f"{url}/accept/").status_code == 404, username
        assert api_as(username).post(f"{url}/withdraw/").status_code == 404, username
    assert api_as("co.hyogo").post(f"{url}/candidate-accept/").status_code == 403
    assert api_as("co.hyogo").post(f"{url}/withdraw/").status_code == 403
    placement.refresh_from_db()
    assert placement.status == Placement.Status.CONFIRMED


def test_candidate_cannot_answer_for_the_organisation(api_as):
    placement = _org_accepted(17)
    candidate = api_as("api.candidate.17")
    assert candidate.post(f"/api/v1/placements/{placement.pk}/decline/").status_code == 403


def test_contract_actions_by_the_wrong_actor(api_as):
    contract = _with_contract(18)
    url = f"/api/v1/contracts/{contract.pk}"
    for username in ("clair", "api.candidate.18"):
        client = api_as(username)
        assert client.patch(f"{url}/terms/", {"paid_leave_days": 30}).status_code == 403
        assert client.post(f"{url}/issue/").status_code == 403
        assert client.post(f"{url}/countersign/").status_code == 403
        assert client.post(f"{url}/new-version/").status_code == 403
    for username in ("co.sapporo", "mofa", "embassy.us", "mic", "participant"):
        client = api_as(username)
        assert client.patch(f"{url}/terms/", {"paid_leave_days": 30}).status_code == 404
        assert client.post(f"{url}/issue/").status_code == 404
        assert client.post(f"{url}/sign/", {"typed_name": "x", "agree": True}).status_code == (404)
    assert api_as("co.hyogo").post(
        f"{url}/sign/", {"typed_name": "x", "agree": True}
    ).status_code == (403)
    assert api_as("clair").post(f"{url}/sign/", {"typed_name": "x", "agree": True}).status_code == (
        403
    )
    stored = Contract.objects.get(pk=contract.pk)
    assert (stored.status, stored.paid_leave_days) == (Contract.Status.DRAFT, 20)


def test_only_clair_places_by_hand(api_as):
    application, position = _candidate(19), _position()
    body = {"application": application.pk, "position": position.pk}
    for username in ("mofa", "embassy.us", "co.hyogo", "mic", "api.candidate.19"):
        response = api_as(username).post("/api/v1/placements/confirm/", body, format="json")
        assert response.status_code == 403, username
    assert not Placement.objects.filter(application=application).exists()


def test_placing_by_hand_refuses_what_clair_cannot_see_or_use(api_as):
    application, position = _candidate(20), _position()
    clair = api_as("clair")
    response = clair.post(
        "/api/v1/placements/confirm/",
        {"application": 999999999, "position": position.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"application": ["There is no such candidate."]}
    [requested] = services.position_request_create(
        by=User.objects.get(username="co.hyogo"), seats=1, **POSITION
    )
    response = clair.post(
        "/api/v1/placements/confirm/",
        {"application": application.pk, "position": requested.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"position": ["There is no such position."]}
    clair.post(
        "/api/v1/placements/confirm/",
        {"application": application.pk, "position": position.pk},
        format="json",
    )
    response = clair.post(
        "/api/v1/placements/confirm/",
        {"application": application.pk, "position": _position().pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "This candidate or this position has just been placed by someone else."
    }


def test_api_needs_authentication(api_client):
    assert api_client.get("/api/v1/placements/").status_code == 401
    assert api_client.get("/api/v1/contracts/").status_code == 401
    assert api_client.post("/api/v1/placement-runs/").status_code == 401


# --- query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ["clair", "mofa", "co.hyogo", "embassy.us"])
def test_placement_list_queries_do_not_grow_with_rows(
    api_as, django_assert_max_num_queries, username
):
    _placed(21)
    client = api_as(username)
    client.get("/api/v1/contracts/")  # the token checked once, then remembered
    with django_assert_max_num_queries(5) as before:
        rows = len(client.get("/api/v1/placements/?page_size=200").json()["results"])
    for n in range(22, 26):
        _placed(n)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert len(client.get("/api/v1/placements/?page_size=200").json()["results"]) == rows + 4


@pytest.mark.parametrize(
    ("path", "order"),
    [
        ("/api/v1/placements/", lambda row: (row["confirmed_at"], row["id"])),
        (
            "/api/v1/contracts/",
            lambda row: (-row["placement"], row["contract_year"], row["version"]),
        ),
    ],
)
def test_long_lists_are_paged_by_cursor_in_their_order_without_a_count(
    api_as, path, order, django_assert_max_num_queries
):
    """Placements and contracts run to thousands for CLAIR: a page is read by a cursor in
    the list's order (newest placement first; a placement's contract versions together,
    newest first) and nothing counts them all; following `next` gives every row once."""
    for n in range(31, 36):
        _with_contract(n)
    client = api_as("clair")
    whole = client.get(f"{path}?page_size=200").json()
    assert "count" not in whole
    rows = whole["results"]
    assert len(rows) > 7
    assert rows == sorted(rows, key=order, reverse=True)
    walked, address = [], f"{path}?page_size=3"
    while address:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(address).json()
        assert not [q for q in queries if "COUNT(" in q["sql"].upper()], address
        walked += page["results"]
        address = page["next"]
    assert [row["id"] for row in walked] == [row["id"] for row in rows]


@pytest.mark.parametrize("username", ["clair", "co.hyogo"])
def test_contract_list_queries_do_not_grow_with_rows(
    api_as, django_assert_max_num_queries, username
):
    _with_contract(26)
    client = api_as(username)
    client.get("/api/v1/contracts/")  # the token checked once, then remembered
    with django_assert_max_num_queries(5) as before:
        rows = len(client.get("/api/v1/contracts/?page_size=200").json()["results"])
    for n in range(27, 31):
        _with_contract(n)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert len(client.get("/api/v1/contracts/?page_size=200").json()["results"]) == rows + 4


# --- suggestion runs --------------------------------------------------------------------


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """A ready suggestion run: two of our candidates and two Hyogo positions in the pool
    (with the demo's forwarded candidates)."""
    for n in (40, 41):
        _candidate(n)
        _position(base=f"Hyogo Prefectural High School No. {n}")
    with django_capture_on_commit_callbacks(execute=True):
        started = services.matching_run_start(by=User.objects.get(username="clair"))
    started.refresh_from_db()
    assert started.state == MatchingRun.State.READY
    return started


def test_clair_starts_a_run_and_reads_it_when_ready(api_as, django_capture_on_commit_callbacks):
    application = _candidate(42)
    _position()
    clair = api_as("clair")
    with django_capture_on_commit_callbacks(execute=True):
        response = clair.post("/api/v1/placement-runs/")
    assert response.status_code == 202, response.content
    body = response.json()
    run = MatchingRun.objects.get(pk=body["id"])
    assert body["job"] == run.job_id
    assert body["job_url"] == f"http://testserver/jobs/{run.job_id}/"
    assert body["url"] == f"http://testserver/api/v1/placement-runs/{run.pk}/"

    detail = clair.get(body["url"]).json()
    assert detail["state"] == "READY"
    assert detail["started_by"] == User.objects.get(username="clair").pk
    assert detail["finished_at"]
    assert detail["stats"]["candidates"] == run.lines.count()
    assert detail["stats"]["placed"] == run.lines.filter(position__isnull=False).count()
    assert run.pk in _ids(clair.get("/api/v1/placement-runs/"))

    lines = clair.get(f"/api/v1/placement-runs/{run.pk}/lines/?page_size=5").json()
    assert lines["count"] == detail["stats"]["candidates"]
    assert len(lines["results"]) == 5
    first = lines["results"][0]  # placed lines come first
    assert first["position"] is not None
    assert first["decision"] == "PROPOSED"
    assert first["organisation_name"]
    assert {"code", "params"} <= set(first["notes"][0])
    assert run.lines.filter(application=application).exists()


RUN_OUTSIDERS = ["mofa", "embassy.us", "mic", "mext", "co.hyogo", "applicant"]


@pytest.mark.parametrize("username", RUN_OUTSIDERS)
def test_runs_do_not_exist_for_anyone_but_clair(api_as, run, username):
    client = api_as(username)
    line = run.lines.first()
    url = f"/api/v1/placement-runs/{run.pk}"
    assert _ids(client.get("/api/v1/placement-runs/")) == set()
    assert client.get(f"{url}/").status_code == 404
    assert client.get(f"{url}/lines/").status_code == 404
    assert client.get(f"{url}/compare/").status_code == 404
    assert client.post(f"{url}/approve/").status_code == 404
    response = client.post(
        f"/api/v1/placement-run-lines/{line.pk}/override/",
        {"position": None, "reason": "x"},
        format="json",
    )
    assert response.status_code == 404
    assert client.post("/api/v1/placement-runs/").status_code == 403
    assert not MatchingRun.objects.exclude(pk=run.pk).exists()


def test_only_a_clair_manager_approves_a_run(api_as, run):
    response = api_as("clair").post(f"/api/v1/placement-runs/{run.pk}/approve/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only a CLAIR manager approves placements."}
    assert not run.lines.exclude(decision=MatchingLine.Decision.PROPOSED).exists()

    proposed = run.lines.filter(position__isnull=False)
    chosen = proposed.first()
    response = api_as("clair.manager").post(
        f"/api/v1/placement-runs/{run.pk}/approve/", {"lines": [chosen.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"approved": 1, "failed": 0}
    chosen.refresh_from_db()
    assert chosen.decision == MatchingLine.Decision.APPROVED
    assert chosen.placement.position_id == chosen.position_id
    response = api_as("clair.manager").post(f"/api/v1/placement-runs/{run.pk}/approve/")
    assert response.json() == {"approved": proposed.count() - 1, "failed": 0}


def test_the_run_pages_ask_the_same_rule_as_the_api(login, run):
    """CLAIR staff see no approve control and are refused (403) on the page as in the
    API; the manager approves there; the line page offers rejection to the manager only."""
    line = run.lines.filter(position__isnull=False).first()
    staff = login("clair")
    page = staff.get(f"/clair/placement/runs/{run.pk}/")
    assert page.status_code == 200
    assert page.context["can_approve"] is False
    assert (
        staff.get(f"/clair/placement/runs/{run.pk}/lines/{line.pk}/").context["can_reject"] is False
    )
    assert staff.post(f"/clair/placement/runs/{run.pk}/approve/", {"all": "1"}).status_code == 403
    assert not run.lines.exclude(decision=MatchingLine.Decision.PROPOSED).exists()
    staff.logout()

    manager = login("clair.manager")
    assert manager.get(f"/clair/placement/runs/{run.pk}/").context["can_approve"] is True
    assert manager.get(f"/clair/placement/runs/{run.pk}/lines/{line.pk}/").context["can_reject"]
    response = manager.post(f"/clair/placement/runs/{run.pk}/approve/", {"lines": [line.pk]})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.decision == MatchingLine.Decision.APPROVED


def test_override_needs_a_reason_and_a_position_clair_may_fill(api_as, run):
    line = run.lines.filter(position__isnull=False).first()
    url = f"/api/v1/placement-run-lines/{line.pk}/override/"
    clair = api_as("clair")
    response = clair.post(url, {"position": None, "reason": " "}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Give the reason for the change."]}
    response = clair.post(url, {"position": 999999999, "reason": "Closer"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"position": ["There is no such position."]}

    response = clair.post(
        url, {"position": None, "reason": "Waiting for the partner"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["position"] is None
    assert body["organisation_name"] is None
    assert body["proposed_position"] == line.position_id
    assert body["overridden"] is True
    assert body["override_reason"] == "Waiting for the partner"


def test_compare_tells_what_moved_and_why_in_codes(api_as, run, django_capture_on_commit_callbacks):
    clair = api_as("clair")
    response = clair.get(f"/api/v1/placement-runs/{run.pk}/compare/")
    assert response.json()["previous"] == run.previous_id
    with django_capture_on_commit_callbacks(execute=True):
        second = clair.post("/api/v1/placement-runs/").json()["id"]
    line = MatchingLine.objects.filter(run_id=second, position__isnull=False).first()
    clair.post(
        f"/api/v1/placement-run-lines/{line.pk}/override/",
        {"position": None, "reason": "Waiting for the partner"},
        format="json",
    )
    response = clair.get(f"/api/v1/placement-runs/{second}/compare/")
    assert response.status_code == 200
    body = response.json()
    assert body["previous"] == run.pk
    [change] = [c for c in body["changes"] if c["application"] == line.application_id]
    assert change["kind"] == "unplaced"
    assert change["current_position"] is None
    assert change["override_reason"] == "Waiting for the partner"
    assert all(isinstance(reason["code"], str) for reason in change["reasons"])


def test_a_rejected_line_is_not_placed(api_as, run):
    line = run.lines.filter(position__isnull=False).first()
    url = f"/api/v1/placement-run-lines/{line.pk}/reject/"
    assert api_as("clair").post(url, {"reason": "Committee said no"}).status_code == 403
    response = api_as("clair.manager").post(url, {"reason": "Committee said no"})
    assert response.status_code == 200, response.content
    assert response.json()["decision"] == "REJECTED"
    assert response.json()["decision_note"] == "Committee said no"
    response = api_as("clair.manager").post(f"/api/v1/placement-runs/{run.pk}/approve/")
    line.refresh_from_db()
    assert line.placement is None


# --- the schema -------------------------------------------------------------------------


def test_schema_lists_the_placement_endpoints(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = response.content.decode()
    for path in (
        "/api/v1/placements/{id}/:",
        "/api/v1/placements/confirm/:",
        "/api/v1/placements/{id}/candidate-accept/:",
        "/api/v1/contracts/{id}/pdf/:",
        "/api/v1/contracts/{id}/terms/:",
        "/api/v1/placement-runs/{id}/approve/:",
        "/api/v1/placement-run-lines/{id}/override/:",
    ):
        assert path in schema, path
