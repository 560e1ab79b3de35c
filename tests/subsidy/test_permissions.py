"""Who sees a claim: the participant their own, their organisation its participants',
CLAIR all; anyone else gets 404 on pages, API and receipts, and lists do not leak."""

import datetime as dt

import pytest

from apps.support import subsidy as rules
from apps.support.models import SubsidyClaim

from .conftest import pdf

OUTSIDERS = ["co.sapporo", "embassy.us", "mic", "mofa", "mext", "applicant"]
READERS = ["participant", "co.hyogo", "clair"]


@pytest.fixture
def sarahs_claim(participant, claim_for):
    return claim_for(participant, dt.date(2024, 9, 2), 8000)


@pytest.mark.parametrize("username", READERS)
def test_readers_see_the_claim_and_its_receipt(login, sarahs_claim, username):
    client = login(username)
    response = client.get(f"/subsidy/{sarahs_claim.pk}/")
    assert response.status_code == 200
    assert "¥4,000" in response.content.decode()
    receipt = sarahs_claim.receipts.get()
    response = client.get(f"/subsidy/receipts/{receipt.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_on_pages_and_receipts(login, sarahs_claim, username):
    client = login(username)
    receipt = sarahs_claim.receipts.get()
    for url in (
        f"/subsidy/{sarahs_claim.pk}/",
        f"/subsidy/{sarahs_claim.pk}/fix/",
        f"/subsidy/receipts/{receipt.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/subsidy/{sarahs_claim.pk}/decide/", {"action": "forward"})
    assert response.status_code == 404
    sarahs_claim.refresh_from_db()
    assert sarahs_claim.state == SubsidyClaim.State.SUBMITTED


@pytest.mark.parametrize("username", ["embassy.us", "mic"])
def test_others_have_no_list_page(login, username):
    assert login(username).get("/subsidy/").status_code == 403


def test_organisation_list_shows_only_its_participants(login, sarahs_claim, co_sapporo):
    body = login("co.sapporo").get("/subsidy/").content.decode()
    assert f"subsidy-claim-{sarahs_claim.pk}" not in body
    sapporo = SubsidyClaim.objects.filter(organisation=co_sapporo.organisation)
    assert sapporo.exists()  # the demo's claim of a Sapporo participant
    for claim in sapporo:
        assert f"subsidy-claim-{claim.pk}" in body


def test_participant_list_shows_own_claims_and_remaining(login, participant, sarahs_claim):
    body = login("participant").get("/subsidy/").content.decode()
    for claim in SubsidyClaim.objects.all():
        assert (f'"subsidy-claim-{claim.pk}"' in body) == (claim.participant_id == participant.pk)
    remaining = rules.allowance(participant)["remaining"]
    assert f"¥{remaining:,}" in body


def test_form_shows_remaining_before_submitting(login, participant):
    response = login("participant").get("/subsidy/new/")
    assert response.status_code == 200
    remaining = rules.allowance(participant)["remaining"]
    assert remaining < 30000  # the demo's claims of this fiscal year hold part of it
    assert f'data-testid="subsidy-remaining">¥{remaining:,}<' in response.content.decode()


def test_pages_walk_the_whole_path(client, login, participant):
    def as_(username):
        client.logout()  # signing in while signed in only redirects
        return login(username)

    client = as_("participant")
    response = client.post(
        "/subsidy/new/",
        {"session_date": "2024-09-02", "cost": "7000", "note": "Clinic.", "receipts": [pdf()]},
    )
    assert response.status_code == 302
    claim = SubsidyClaim.objects.filter(participant=participant).order_by("-pk").first()
    assert (claim.amount, claim.state) == (3500, "SUBMITTED")

    client = as_("co.hyogo")
    response = client.post(f"/subsidy/{claim.pk}/decide/", {"action": "return", "reason": ""})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == "SUBMITTED"  # a reason is required
    client.post(f"/subsidy/{claim.pk}/decide/", {"action": "return", "reason": "No date."})
    claim.refresh_from_db()
    assert claim.state == "RETURNED"
    assert client.post(f"/subsidy/{claim.pk}/decide/", {"action": "approve"}).status_code == 403

    client = as_("participant")
    page = client.get(f"/subsidy/{claim.pk}/fix/")
    assert page.status_code == 200
    assert "No date." in page.content.decode()
    receipt = claim.receipts.get()
    response = client.post(
        f"/subsidy/{claim.pk}/fix/",
        {
            "session_date": "2024-09-02",
            "cost": "8000",
            "note": "Dated receipt.",
            "receipts": [pdf("dated.pdf")],
            "remove_receipts": [str(receipt.pk)],
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.amount) == ("SUBMITTED", 4000)

    as_("co.hyogo").post(f"/subsidy/{claim.pk}/decide/", {"action": "forward"})
    as_("clair").post(f"/subsidy/{claim.pk}/decide/", {"action": "approve"})
    claim.refresh_from_db()
    assert claim.state == "APPROVED"


# --- API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("username", READERS)
def test_api_readers(api_as, sarahs_claim, username):
    client = api_as(username)
    response = client.get(f"/api/v1/subsidy-claims/{sarahs_claim.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert (data["amount"], data["state"]) == (4000, "SUBMITTED")
    receipt = data["receipts"][0]
    download = client.get(receipt["download"])
    assert download.status_code == 200


@pytest.mark.parametrize("username", OUTSIDERS)
def test_api_outsiders_get_404_and_empty_lists(api_as, sarahs_claim, username):
    client = api_as(username)
    receipt = sarahs_claim.receipts.get()
    assert client.get(f"/api/v1/subsidy-claims/{sarahs_claim.pk}/").status_code == 404
    assert client.get(f"/api/v1/subsidy-claims/receipts/{receipt.pk}/").status_code == 404
    for verb in ("forward", "approve", "return", "resubmit"):
        response = client.post(f"/api/v1/subsidy-claims/{sarahs_claim.pk}/{verb}/", {})
        assert response.status_code == 404, verb
    ids = [row["id"] for row in client.get("/api/v1/subsidy-claims/").json()["results"]]
    assert sarahs_claim.pk not in ids
    if username != "co.sapporo":
        assert ids == []


def test_api_lists_are_filtered(api_as, participant, co_hyogo, sarahs_claim):
    mine = api_as("participant").get("/api/v1/subsidy-claims/?page_size=200").json()
    assert {row["participant"] for row in mine["results"]} == {participant.pk}
    hyogo = api_as("co.hyogo").get("/api/v1/subsidy-claims/?page_size=200").json()
    assert {row["organisation"] for row in hyogo["results"]} == {co_hyogo.organisation.pk}
    everything = api_as("clair").get("/api/v1/subsidy-claims/?page_size=200").json()
    assert everything["count"] == SubsidyClaim.objects.count()


def test_api_path_with_wrong_actors_refused(api_as, participant):
    client = api_as("participant")
    allowance = client.get("/api/v1/subsidy-claims/allowance/?fiscal_year=2024").json()
    assert allowance["remaining"] == 30000
    assert allowance["cap"] == 30000
    response = client.post(
        "/api/v1/subsidy-claims/",
        {"session_date": "2024-09-02", "cost": "15000", "note": "x", "receipts": [pdf()]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["amount"] == 7500
    assert client.post(f"/api/v1/subsidy-claims/{pk}/forward/").status_code == 403

    client = api_as("clair")
    assert client.post(f"/api/v1/subsidy-claims/{pk}/approve/").status_code == 400
    client = api_as("co.hyogo")
    assert client.post(f"/api/v1/subsidy-claims/{pk}/approve/").status_code == 403
    response = client.post(f"/api/v1/subsidy-claims/{pk}/return/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = client.post(
        f"/api/v1/subsidy-claims/{pk}/return/", {"reason": "Blurred."}, format="json"
    )
    assert response.json()["state"] == "RETURNED"

    client = api_as("participant")
    response = client.post(
        f"/api/v1/subsidy-claims/{pk}/resubmit/",
        {"session_date": "2024-09-02", "cost": "16000", "receipts": [pdf("clear.pdf")]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["amount"]) == ("SUBMITTED", 8000)
    assert len(response.json()["receipts"]) == 2

    assert api_as("co.hyogo").post(f"/api/v1/subsidy-claims/{pk}/forward/").status_code == 200
    response = api_as("clair").post(f"/api/v1/subsidy-claims/{pk}/approve/")
    assert response.json()["state"] == "APPROVED"
    allowance = api_as("participant").get("/api/v1/subsidy-claims/allowance/?fiscal_year=2024")
    assert allowance.json()["used"] == 8000
