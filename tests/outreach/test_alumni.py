"""Alumni consents: a leaving participant agrees, their mission (of their application)
then sees them on the page, in the API and in the export; nobody else does; after the
participant withdraws, the mission no longer sees them anywhere."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.errors import DomainError
from apps.core.models import User
from apps.outreach import jobs as jobs_outreach
from apps.outreach import selectors, services
from apps.outreach.models import AlumniConsent
from apps.reappointment.models import ReappointmentCase

pytestmark = pytest.mark.django_db

HANNAH = "jet.hannah.price"  # US embassy, ALT in Sapporo (Hokkaido)


@pytest.fixture
def hannah(db):
    """Hannah Price, who now tells the round she will leave."""
    person = User.objects.get(username=HANNAH)
    ReappointmentCase.objects.filter(participant=person).update(
        participant_answer=ReappointmentCase.ParticipantAnswer.LEAVE
    )
    return person


def _give(client_as, phone="+1 202 555 0100"):
    return client_as(HANNAH).post(
        "/outreach/alumni/mine/",
        {"contact_email": "hannah.after.jet@example.com", "contact_phone": phone, "agree": "on"},
    )


def test_the_mission_sees_nobody_before_consent(hannah, client_as, token_client, run_export):
    page = client_as("embassy.us").get("/outreach/alumni/").content.decode()
    assert "Hannah" not in page
    assert all(
        r["participant"] != hannah.pk
        for r in token_client("embassy.us").get("/api/v1/alumni/").json()["results"]
    )
    rows = run_export(
        lambda: client_as("embassy.us").post("/outreach/alumni/export/", {"format": "csv"})
    )
    assert all("Price" not in row for row in rows)


def test_consent_then_withdrawal(hannah, client_as, token_client, run_export):
    mine = client_as(HANNAH).get("/outreach/alumni/mine/").content.decode()
    assert 'data-testid="alumni-consent-form"' in mine
    response = _give(client_as)
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = AlumniConsent.objects.get(participant=hannah, withdrawn_at__isnull=True)
    assert consent.mission.name_en == "Embassy of Japan in the United States"
    assert consent.prefecture_en == "Hokkaido"
    assert consent.years == 1

    # The mission sees name, contact, years and prefecture: page, API, export.
    us_page = client_as("embassy.us").get("/outreach/alumni/").content.decode()
    assert f'data-testid="alumni-{consent.pk}"' in us_page
    assert "Hannah Price" in us_page
    assert "hannah.after.jet@example.com" in us_page
    assert "Hokkaido" in us_page
    us_api = token_client("embassy.us")
    row = us_api.get(f"/api/v1/alumni/{consent.pk}/").json()
    assert row["family_name"] == "Price"
    assert row["years"] == 1
    assert row["prefecture"] == "Hokkaido"
    assert row["contact_phone"] == "+1 202 555 0100"
    assert consent.pk in {r["id"] for r in us_api.get("/api/v1/alumni/").json()["results"]}
    rows = run_export(
        lambda: client_as("embassy.us").post("/outreach/alumni/export/", {"format": "csv"})
    )
    found = [r for r in rows if "Price" in r]
    assert len(found) == 1
    # Formula-safe: a phone number starting with + is escaped in the file.
    assert found[0][3] == "'+1 202 555 0100"
    api_rows = run_export(
        lambda: us_api.post("/api/v1/alumni/export/", {"format": "csv"}, format="json")
    )
    assert any("Price" in r for r in api_rows)

    # Another mission, MOFA, CLAIR, the organisation: nothing.
    assert "Hannah" not in client_as("embassy.uk").get("/outreach/alumni/").content.decode()
    for username in ("embassy.uk", "mofa", "clair", "co.sapporo", "participant"):
        api = token_client(username)
        assert api.get(f"/api/v1/alumni/{consent.pk}/").status_code == 404
        assert consent.pk not in {r["id"] for r in api.get("/api/v1/alumni/").json()["results"]}
    uk_rows = run_export(
        lambda: client_as("embassy.uk").post("/outreach/alumni/export/", {"format": "csv"})
    )
    assert all("Price" not in r for r in uk_rows)
    for username in ("mofa", "clair", "co.sapporo"):
        assert client_as(username).get("/outreach/alumni/").status_code == 403

    # Withdrawn: gone from the mission's page, API and export.
    withdrawn = client_as(HANNAH).post(f"/outreach/alumni/mine/{consent.pk}/withdraw/")
    assert withdrawn.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "Hannah" not in client_as("embassy.us").get("/outreach/alumni/").content.decode()
    assert us_api.get(f"/api/v1/alumni/{consent.pk}/").status_code == 404
    assert consent.pk not in {r["id"] for r in us_api.get("/api/v1/alumni/").json()["results"]}
    rows = run_export(
        lambda: client_as("embassy.us").post("/outreach/alumni/export/", {"format": "csv"})
    )
    assert all("Price" not in r for r in rows)
    # The participant still sees their own withdrawn consent, and may agree again.
    mine = token_client(HANNAH).get(f"/api/v1/alumni/{consent.pk}/").json()
    assert mine["withdrawn_at"] is not None
    again = token_client(HANNAH).post(
        "/api/v1/alumni/", {"contact_email": "h@example.com"}, format="json"
    )
    assert again.status_code == 201, again.content


def test_a_withdrawal_between_start_and_run_is_not_exported(hannah, embassy_us, run_export):
    consent = services.alumni_consent_give(by=hannah, contact_email="h@example.com")

    def start_then_withdraw():
        job = jobs_outreach.alumni_export_start(by=embassy_us, file_format="csv")
        services.alumni_consent_withdraw(by=hannah, consent=consent)
        return job

    rows = run_export(start_then_withdraw)
    assert all("Price" not in r for r in rows)


def test_only_the_participant_withdraws(hannah, embassy_us, token_client):
    consent = services.alumni_consent_give(by=hannah, contact_email="h@example.com")
    with pytest.raises(PermissionDenied, match="Only the participant withdraws"):
        services.alumni_consent_withdraw(by=embassy_us, consent=consent)
    assert (
        token_client("embassy.us").post(f"/api/v1/alumni/{consent.pk}/withdraw/").status_code == 403
    )
    assert (
        token_client("participant").post(f"/api/v1/alumni/{consent.pk}/withdraw/").status_code
        == 404
    )
    assert token_client(HANNAH).post(f"/api/v1/alumni/{consent.pk}/withdraw/").status_code == 200
    assert token_client(HANNAH).post(f"/api/v1/alumni/{consent.pk}/withdraw/").status_code == 400


def test_a_participant_not_leaving_cannot_agree(participant, client_as, token_client):
    eligibility = selectors.alumni_eligibility(participant)
    assert not eligibility.allowed
    page = client_as("participant").get("/outreach/alumni/mine/").content.decode()
    assert 'data-testid="alumni-not-eligible"' in page
    assert 'data-testid="alumni-consent-form"' not in page
    refused = token_client("participant").post(
        "/api/v1/alumni/", {"contact_email": "s@example.com"}, format="json"
    )
    assert refused.status_code == 400
    assert not AlumniConsent.objects.filter(participant=participant).exists()


def test_re_appointed_participant_cannot_agree(db):
    hannah = User.objects.get(username=HANNAH)  # offered, and wishes to continue
    assert not selectors.alumni_eligibility(hannah).allowed
    ReappointmentCase.objects.filter(participant=hannah).update(
        outcome=ReappointmentCase.Outcome.CONTINUES
    )
    with pytest.raises(DomainError):
        services.alumni_consent_give(by=hannah, contact_email="h@example.com")


def test_staff_cannot_agree_or_export(embassy_us, mofa, token_client):
    with pytest.raises(PermissionDenied, match="Only participants agree"):
        services.alumni_consent_give(by=embassy_us, contact_email="x@example.com")
    with pytest.raises(PermissionDenied, match="Only an embassy or consulate exports"):
        jobs_outreach.alumni_export_start(by=mofa, file_format="csv")
    assert token_client("mofa").post("/api/v1/alumni/export/", {}, format="json").status_code == 403
    assert (
        token_client("embassy.us")
        .post("/api/v1/alumni/", {"contact_email": "x@example.com"}, format="json")
        .status_code
        == 403
    )


def test_one_standing_consent_at_a_time(hannah):
    services.alumni_consent_give(by=hannah, contact_email="h@example.com")
    with pytest.raises(DomainError):
        services.alumni_consent_give(by=hannah, contact_email="h2@example.com")
    with pytest.raises(DomainError) as refused:
        services.alumni_consent_give(
            by=User.objects.get(username="jet.maria.santos"), contact_email="not an address"
        )
    assert refused.value.field in ("contact_email", None)


def test_a_participant_no_round_has_reached_may_agree(db):
    """The rule decided for issue 7: with no re-appointment case at all, a participant
    with an accepted placement may agree; years come from their signed contracts."""
    hannah = User.objects.get(username=HANNAH)
    ReappointmentCase.objects.filter(participant=hannah).delete()
    eligibility = selectors.alumni_eligibility(hannah)
    assert eligibility.allowed
    assert eligibility.years == 1
    assert eligibility.mission.name_en == "Embassy of Japan in the United States"
    assert eligibility.prefecture.name_en == "Hokkaido"
