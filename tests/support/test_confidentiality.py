"""Nobody but the participant and the queue-holding or assigned counsellors learns that a
case exists: pages, API, attachments, search and counts. Sharing reveals exactly the
shared summary to the host prefecture's advisor; internal notes never reach the
participant."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from apps.support import selectors, services
from apps.support.models import SupportCase
from tests.support.conftest import OUTSIDERS, PNG

pytestmark = pytest.mark.django_db


def _urls(case, message):
    return [
        f"/support/{case.pk}/",
        f"/support/{case.pk}/attachments/{message.pk}/",
    ]


@pytest.fixture
def worked_case(case, counsellor):
    """Taken by clair.counsellor, a reply with an attachment and an internal note."""
    services.support_case_take(by=counsellor, case=case)
    reply = services.support_message_add(
        by=counsellor,
        case=case,
        body="Reply to the participant",
        attachment=SimpleUploadedFile("leaflet.png", PNG),
    )
    services.support_message_add(
        by=counsellor, case=case, internal=True, body="SECRET-NOTE for counsellors"
    )
    case.refresh_from_db()
    return case, reply


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_and_see_nothing_on_pages(username, login, worked_case):
    case, reply = worked_case
    client = login(username)
    for url in _urls(case, reply):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/support/{case.pk}/messages/",
        f"/support/{case.pk}/take/",
        f"/support/{case.pk}/status/",
        f"/support/{case.pk}/reassign/",
        f"/support/{case.pk}/share/",
    ):
        assert client.post(url, {"body": "x", "status": "CLOSED"}).status_code == 404, url
    page = client.get("/support/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "ZQX" not in text
    assert f"/support/{case.pk}/" not in text
    searched = client.get("/support/?q=ZQX").content.decode()
    assert "Comments from a colleague" not in searched
    assert f"/support/{case.pk}/" not in searched
    # Their workspace and inbox do not mention it either.
    home = client.get("/", follow=True).content.decode()
    assert "ZQX" not in home


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_404_and_empty_lists_in_the_api(username, api_as, worked_case):
    case, reply = worked_case
    api = api_as(username)
    listing = api.get("/api/v1/support-cases/")
    assert listing.status_code == 200
    assert listing.json()["count"] == 0
    assert api.get("/api/v1/support-cases/?q=ZQX").json()["count"] == 0
    assert api.get("/api/v1/support-cases/?scope=queue").json()["count"] == 0
    assert api.get(f"/api/v1/support-cases/{case.pk}/").status_code == 404
    assert api.get(f"/api/v1/support-cases/{case.pk}/attachments/{reply.pk}/").status_code == 404
    for action, data in (
        ("messages", {"body": "x"}),
        ("take", {}),
        ("status", {"status": "CLOSED"}),
        ("reassign", {"to": case.assigned_to_id, "reason": "x"}),
        ("share", {"shared_summary": "x"}),
    ):
        response = api.post(f"/api/v1/support-cases/{case.pk}/{action}/", data, format="json")
        assert response.status_code == 404, (action, response.content)


@pytest.mark.parametrize("username", OUTSIDERS)
def test_counts_and_selector_say_nothing_to_outsiders(username, django_user_model, worked_case):
    user = django_user_model.objects.get(username=username)
    assert selectors.support_case_list(user=user).count() == 0
    assert sum(selectors.support_counts(user=user).values()) == 0


def test_the_participant_sees_their_case_without_internal_notes(
    login, api_as, participant, worked_case
):
    case, reply = worked_case
    client = login("participant")
    page = client.get(f"/support/{case.pk}/").content.decode()
    assert "Reply to the participant" in page
    assert "SECRET-NOTE" not in page
    assert "Internal note" not in page
    assert client.get(f"/support/{case.pk}/attachments/{reply.pk}/").status_code == 200
    assert "ZQX" in client.get("/support/").content.decode()

    api = api_as("participant")
    detail = api.get(f"/api/v1/support-cases/{case.pk}/").json()
    bodies = [m["body"] for m in detail["messages"]]
    assert "Reply to the participant" in bodies
    assert not any("SECRET-NOTE" in b for b in bodies)
    assert not any(m["internal"] for m in detail["messages"])
    assert "SECRET-NOTE" not in str(api.get("/api/v1/support-cases/").json())
    (with_file,) = [m for m in detail["messages"] if m["attachment"]]
    download = api.get(with_file["attachment"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    # The note's id answers 404 to the participant, as any message they may not read.
    note = case.messages.get(internal=True)
    assert api.get(f"/api/v1/support-cases/{case.pk}/attachments/{note.pk}/").status_code == 404


def test_the_participant_cannot_write_an_internal_note(api_as, participant, case):
    api = api_as("participant")
    response = api.post(
        f"/api/v1/support-cases/{case.pk}/messages/", {"body": "x", "internal": True}
    )
    assert response.status_code == 403
    assert not case.messages.filter(internal=True).exists()


def test_another_participant_sees_nothing(django_user_model, participant, case):
    other = django_user_model.objects.create_user(
        username="other.participant", password="x", person_role="PARTICIPANT"
    )
    assert selectors.support_case_list(user=other).count() == 0
    with pytest.raises(Http404):
        selectors.support_case_get(user=other, pk=case.pk)


def test_counsellors_see_the_queue_and_their_own(login, api_as, counsellor, counsellor2, case):
    # In the queue: every counsellor sees it.
    for user in (counsellor, counsellor2):
        assert selectors.support_case_list(user=user, scope="queue").filter(pk=case.pk).exists()
    client = login("clair.counsellor")
    assert "ZQX" in client.get("/support/").content.decode()
    assert "ZQX" in client.get("/support/?q=ZQX").content.decode()
    # Taken by clair.counsellor: the other counsellor no longer sees it.
    services.support_case_take(by=counsellor, case=case)
    assert selectors.support_case_list(user=counsellor2).filter(pk=case.pk).count() == 0
    api = api_as("clair.counsellor2")
    assert api.get(f"/api/v1/support-cases/{case.pk}/").status_code == 404
    api = api_as("clair.counsellor")
    detail = api.get(f"/api/v1/support-cases/{case.pk}/")
    assert detail.status_code == 200
    assert detail.json()["subject"] == "Comments from a colleague ZQX"
    mine = api.get("/api/v1/support-cases/?scope=mine").json()
    assert case.pk in [row["id"] for row in mine["results"]]
    assert selectors.support_counts(user=counsellor)["mine"] >= 1


def test_counsellors_read_internal_notes(login, worked_case):
    case, _reply = worked_case
    page = login("clair.counsellor").get(f"/support/{case.pk}/").content.decode()
    assert "SECRET-NOTE" in page
    assert "Internal note" in page


def test_sharing_reveals_exactly_the_summary_to_the_advisor(
    login, api_as, participant, advisor, worked_case
):
    case, reply = worked_case
    # Before sharing the advisor sees nothing.
    assert not selectors.support_case_list(user=advisor).filter(pk=case.pk).exists()
    client = login("co.hyogo.advisor")
    assert client.get(f"/support/{case.pk}/").status_code == 404

    services.support_case_share(
        by=participant, case=case, summary="SHARED-SUMMARY: trouble with a colleague"
    )
    case.refresh_from_db()
    assert case.host_organisation == advisor.organisation

    page = client.get(f"/support/{case.pk}/").content.decode()
    assert "SHARED-SUMMARY" in page
    assert "Harassment" in page
    for secret in ("ZQX", "Reply to the participant", "SECRET-NOTE", "O&#x27;Connor", "Sarah"):
        assert secret not in page, secret
    assert client.get(f"/support/{case.pk}/attachments/{reply.pk}/").status_code == 404
    listing = client.get("/support/").content.decode()
    assert f"/support/{case.pk}/" in listing
    assert "ZQX" not in listing

    api = api_as("co.hyogo.advisor")
    data = api.get(f"/api/v1/support-cases/{case.pk}/").json()
    assert set(data) == {
        "id",
        "category",
        "category_label",
        "status",
        "status_label",
        "shared_summary",
        "shared_at",
    }
    assert data["shared_summary"] == "SHARED-SUMMARY: trouble with a colleague"
    rows = api.get("/api/v1/support-cases/").json()["results"]
    assert [r["id"] for r in rows if r["id"] == case.pk] == [case.pk]
    assert "ZQX" not in str(rows)
    assert api.post(f"/api/v1/support-cases/{case.pk}/messages/", {"body": "x"}).status_code == 404
    # Stopping the sharing hides it again.
    services.support_case_unshare(by=participant, case=case)
    assert client.get(f"/support/{case.pk}/").status_code == 404
    # The rest of Hyogo's staff never saw anything.
    client.logout()
    assert login("co.hyogo").get(f"/support/{case.pk}/").status_code == 404


def test_an_advisor_of_another_prefecture_sees_nothing(participant, case, co_sapporo):
    from apps.core.models import Membership

    Membership.objects.filter(user=co_sapporo).update(prefectural_advisor=True)
    services.support_case_share(by=participant, case=case, summary="Shared")
    fresh = type(co_sapporo).objects.get(pk=co_sapporo.pk)
    assert selectors.support_case_list(user=fresh).count() == 0


def test_notifications_never_carry_the_case(participant, counsellor, case):
    from apps.notifications.models import Notification

    services.support_case_take(by=counsellor, case=case)
    services.support_message_add(by=counsellor, case=case, body="ZQX-REPLY")
    notes = Notification.objects.filter(
        kind__startswith="support_", created_at__gte=case.created_at
    )
    assert notes.exists()
    assert "ZQX" not in str(list(notes.values_list("context", flat=True)))
    assert not notes.exclude(recipient__in=[participant, *selectors.counsellor_list()]).exists()
    assert SupportCase.objects.get(pk=case.pk).status == SupportCase.Status.IN_PROGRESS


def test_a_page_of_cases_shows_each_reader_the_view_of_it_they_may_read(
    api_as, participant, worked_case
):
    """The list learns who reads each thread after its page is read, by one query over
    the page's keys, and its page reads the case's own columns only (no joined users)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case, _reply = worked_case
    services.support_case_share(by=participant, case=case, summary="SHARED-SUMMARY: colleague")
    full = {"id", "participant", "subject", "assigned_to", "host_organisation", "created_at"}
    for username, sees_all in (
        ("clair.counsellor", True),
        (participant.username, True),
        ("co.hyogo.advisor", False),
    ):
        with CaptureQueriesContext(connection) as captured:
            answer = api_as(username).get("/api/v1/support-cases/")
        assert answer.status_code == 200
        (row,) = [row for row in answer.json()["results"] if row["id"] == case.pk]
        if sees_all:
            assert full <= set(row)
            assert row["subject"] == "Comments from a colleague ZQX"
        else:
            assert set(row) & full == {"id"}
            assert row["shared_summary"] == "SHARED-SUMMARY: colleague"
        page = [q["sql"] for q in captured if "programme_supportcase" in q["sql"]]
        assert page, username
        for sql in page:
            assert '"core_user"' not in sql, sql[:400]
            assert "EXISTS" not in sql, sql[:400]
