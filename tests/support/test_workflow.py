"""The counselling workflow through services, pages and API: opening, attachments checked
by content, taking, replies and notes, status, reassignment with a reason, sharing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.errors import DomainError
from apps.notifications.models import Notification
from apps.support import services
from apps.support.models import SupportCase, SupportReassignment
from tests.support.conftest import PNG

pytestmark = pytest.mark.django_db
Status = SupportCase.Status


def test_the_demo_has_cases_and_accounts(participant, counsellor, advisor):
    cases = SupportCase.objects.filter(participant=participant)
    assert cases.filter(status=Status.CLOSED).exists()
    assert cases.exclude(status=Status.CLOSED).exists()
    shared = cases.filter(shared_at__isnull=False)
    assert shared.count() == 1
    assert shared.get().host_organisation == advisor.organisation
    assert counsellor.membership.counsellor
    assert counsellor.organisation.kind == "CLAIR"
    assert advisor.membership.prefectural_advisor
    assert not Notification.objects.filter(recipient=participant, kind__startswith="support_")


def test_only_participants_open_requests(clair, counsellor):
    # A role refusal: 403 with the message on page and API alike.
    for user in (clair, counsellor):
        with pytest.raises(PermissionDenied, match="Only participants open support requests"):
            services.support_case_open(by=user, category="WORK", subject="x", message="y")


def test_opening_notifies_the_counsellors_without_content(participant, counsellor):
    case = services.support_case_open(
        by=participant, category="HEALTH", subject="Private subject", message="Private body"
    )
    assert case.status == Status.NEW
    assert case.assigned_to is None
    note = Notification.objects.get(
        recipient=counsellor, key__startswith=f"support_case_opened:{case.pk}:"
    )
    assert "Private" not in str(note.context)


def test_attachments_are_checked_by_content(participant):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image at all")
    with pytest.raises(DomainError) as exc:
        services.support_case_open(
            by=participant, category="HOUSING", subject="s", message="m", attachment=fake
        )
    assert exc.value.field == "attachment"
    case = services.support_case_open(
        by=participant,
        category="HOUSING",
        subject="s",
        message="m",
        attachment=SimpleUploadedFile("wall.png", PNG),
    )
    first = case.messages.get()
    assert first.attachment
    assert first.attachment_name == "wall.png"
    assert "wall" not in first.attachment.name  # stored under a random name


def test_take_reply_note_status(participant, counsellor, counsellor2, case):
    with pytest.raises(DomainError):
        services.support_message_add(by=counsellor, case=case, body="before taking")
    services.support_case_take(by=counsellor, case=case)
    case.refresh_from_db()
    assert case.assigned_to == counsellor
    assert case.status == Status.IN_PROGRESS
    with pytest.raises(DomainError):
        services.support_case_take(by=counsellor2, case=case)
    services.support_message_add(by=counsellor, case=case, body="Hello")
    services.support_message_add(by=counsellor, case=case, body="Note", internal=True)
    assert Notification.objects.filter(recipient=participant, kind="support_reply").count() == 1
    services.support_status_set(by=counsellor, case=case, status=Status.WAITING)
    services.support_message_add(by=participant, case=case, body="Answer")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    services.support_status_set(by=counsellor, case=case, status=Status.CLOSED)
    with pytest.raises(DomainError):
        services.support_message_add(by=participant, case=case, body="late")
    with pytest.raises(DomainError):
        services.support_status_set(by=counsellor, case=case, status=Status.NEW)


def test_reassignment_needs_a_reason(counsellor, counsellor2, case):
    services.support_case_take(by=counsellor, case=case)
    with pytest.raises(DomainError) as exc:
        services.support_case_reassign(by=counsellor, case=case, to=counsellor2, reason=" ")
    assert exc.value.field == "reason"
    assert not SupportReassignment.objects.filter(case=case).exists()
    reassignment = services.support_case_reassign(
        by=counsellor, case=case, to=counsellor2, reason="Speaks Tagalog"
    )
    case.refresh_from_db()
    assert case.assigned_to == counsellor2
    assert reassignment.from_counsellor == counsellor
    assert reassignment.reason == "Speaks Tagalog"
    assert Notification.objects.filter(recipient=counsellor2, kind="support_case_assigned")
    # The one who handed it on no longer holds it.
    with pytest.raises(DomainError):
        services.support_message_add(by=counsellor, case=case, body="x")


def test_reassign_only_to_a_counsellor(counsellor, clair, case):
    services.support_case_take(by=counsellor, case=case)
    with pytest.raises(DomainError) as exc:
        services.support_case_reassign(by=counsellor, case=case, to=clair, reason="r")
    assert exc.value.field == "to"


def test_reassignment_through_page_and_api_needs_a_reason(
    login, api_as, counsellor, counsellor2, case
):
    services.support_case_take(by=counsellor, case=case)
    client = login("clair.counsellor")
    response = client.post(f"/support/{case.pk}/reassign/", {"to": counsellor2.pk, "reason": ""})
    assert response.status_code == 400
    api = api_as("clair.counsellor")
    response = api.post(
        f"/api/v1/support-cases/{case.pk}/reassign/",
        {"to": counsellor2.pk, "reason": ""},
        format="json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    case.refresh_from_db()
    assert case.assigned_to == counsellor
    response = api.post(
        f"/api/v1/support-cases/{case.pk}/reassign/",
        {"to": counsellor2.pk, "reason": "Holiday"},
        format="json",
    )
    assert response.status_code == 200
    assert SupportCase.objects.get(pk=case.pk).assigned_to == counsellor2


def test_the_participant_pages(login, participant, counsellor):
    client = login("participant")
    assert client.get("/support/new/").status_code == 200
    response = client.post(
        "/support/new/",
        {
            "category": "WORK",
            "subject": "Overtime WXY",
            "message": "Asked to stay late every day.",
            "anonymous_to_organisation": "on",
            "attachment": SimpleUploadedFile("timesheet.pdf", b"%PDF-1.4 test"),
        },
    )
    assert response.status_code == 302
    case = SupportCase.objects.get(subject="Overtime WXY")
    assert case.anonymous_to_organisation
    assert case.messages.get().attachment
    assert response["Location"] == f"/support/{case.pk}/"
    page = client.get(f"/support/{case.pk}/").content.decode()
    assert "Asked to stay late" in page
    download = client.get(f"/support/{case.pk}/attachments/{case.messages.get().pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    bad = client.post(
        "/support/new/",
        {
            "category": "WORK",
            "subject": "Bad file",
            "message": "m",
            "attachment": SimpleUploadedFile("x.pdf", b"not a pdf"),
        },
    )
    assert bad.status_code == 200
    assert "not a PDF" in bad.content.decode()
    # Staff cannot open requests.
    client.logout()
    assert login("clair").get("/support/new/").status_code == 403


def test_the_counsellor_pages(login, participant, counsellor, case):
    client = login("clair.counsellor")
    assert client.post(f"/support/{case.pk}/take/").status_code == 302
    response = client.post(f"/support/{case.pk}/messages/", {"body": "We can help."})
    assert response.status_code == 302
    client.post(f"/support/{case.pk}/messages/", {"body": "NOTE-ONLY", "internal": "on"})
    client.post(f"/support/{case.pk}/status/", {"status": "WAITING"})
    case.refresh_from_db()
    assert case.status == Status.WAITING
    assert case.messages.filter(internal=True, body="NOTE-ONLY").exists()
    client.logout()
    own = login("participant").get(f"/support/{case.pk}/").content.decode()
    assert "We can help." in own
    assert "NOTE-ONLY" not in own


def test_the_api_for_the_participant(api_as, participant):
    api = api_as("participant")
    response = api.post(
        "/api/v1/support-cases/",
        {"category": "MONEY", "subject": "Tax", "message": "Residence tax question"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["messages"][0]["body"] == "Residence tax question"
    response = api.post(
        "/api/v1/support-cases/",
        {"category": "NOPE", "subject": "Tax", "message": "m"},
        format="json",
    )
    assert response.status_code == 400
    assert api.post(f"/api/v1/support-cases/{pk}/take/").status_code == 403
    ids = [row["id"] for row in api.get("/api/v1/support-cases/").json()["results"]]
    assert pk in ids


def test_sharing_needs_a_host_prefecture_advisor(participant, case):
    from apps.core.models import Membership

    Membership.objects.filter(prefectural_advisor=True).update(prefectural_advisor=False)
    with pytest.raises(DomainError):
        services.support_case_share(by=participant, case=case, summary="x")
