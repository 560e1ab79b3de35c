"""Correspondence between organisations: only member organisations see a thread, its
messages and its files (a non-member gets 404 on the page, in the API and on the file,
and finds nothing in lists or counts); each organisation keeps its own read state; each
new message is a notice to the staff of the other member organisations only;
attachments are judged by their content."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.errors import DomainError
from apps.core.models import Kind
from apps.notifications.models import Notification
from apps.outreach import selectors_correspondence as selectors
from apps.outreach import services_correspondence as services
from apps.outreach.models import Thread, ThreadMember, ThreadMessage
from tests.correspondence.conftest import PDF_BYTES, PNG_BYTES, org, pdf

pytestmark = pytest.mark.django_db

NON_MEMBERS = ["mext", "mofa", "embassy.us", "co.hyogo", "participant", "applicant"]


def _attachment_message(thread) -> ThreadMessage:
    return thread.messages.exclude(attachment="").get()


# --- membership and visibility -------------------------------------------------------------


def test_members_see_the_thread_on_the_page_and_download_its_file(client_as, clair_mic_thread):
    thread = clair_mic_thread
    message = _attachment_message(thread)
    for username in ("clair", "mic"):
        client = client_as(username)
        assert thread.subject in client.get("/correspondence/").content.decode()
        page = client.get(f"/correspondence/{thread.pk}/")
        assert page.status_code == 200
        assert "Please find our estimate attached." in page.content.decode()
        response = client.get(f"/correspondence/{thread.pk}/messages/{message.pk}/attachment/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("username", NON_MEMBERS)
def test_a_non_member_gets_404_on_page_and_file_and_sees_nothing(
    client_as, clair_mic_thread, username
):
    thread = clair_mic_thread
    message = _attachment_message(thread)
    client = client_as(username)
    assert client.get(f"/correspondence/{thread.pk}/").status_code in (403, 404)
    assert client.get(
        f"/correspondence/{thread.pk}/messages/{message.pk}/attachment/"
    ).status_code in (403, 404)
    assert client.post(f"/correspondence/{thread.pk}/", {"body": "Let me in"}).status_code in (
        403,
        404,
    )
    listing = client.get("/correspondence/")
    if listing.status_code == 200:
        assert thread.subject not in listing.content.decode()
    assert not ThreadMessage.objects.filter(thread=thread, body="Let me in").exists()


@pytest.mark.parametrize("username", ["mext", "mofa", "embassy.us", "co.hyogo"])
def test_a_non_member_organisation_gets_404_not_403(client_as, clair_mic_thread, username):
    """Staff of organisations that take part in correspondence, but not in this thread,
    cannot even learn that it exists."""
    thread = clair_mic_thread
    message = _attachment_message(thread)
    client = client_as(username)
    assert client.get(f"/correspondence/{thread.pk}/").status_code == 404
    assert (
        client.get(f"/correspondence/{thread.pk}/messages/{message.pk}/attachment/").status_code
        == 404
    )
    assert client.get("/correspondence/").status_code == 200


@pytest.mark.parametrize("username", NON_MEMBERS)
def test_a_non_member_gets_404_in_the_api_and_an_empty_list(api_as, clair_mic_thread, username):
    thread = clair_mic_thread
    message = _attachment_message(thread)
    api = api_as(username)
    assert api.get(f"/api/v1/threads/{thread.pk}/").status_code == 404
    assert api.get(f"/api/v1/threads/{thread.pk}/messages/").status_code == 404
    assert (
        api.post(f"/api/v1/threads/{thread.pk}/messages/", {"body": "x"}, format="json").status_code
        == 404
    )
    assert api.post(f"/api/v1/threads/{thread.pk}/read/").status_code == 404
    assert (
        api.get(f"/api/v1/threads/{thread.pk}/messages/{message.pk}/attachment/").status_code == 404
    )
    ids = [row["id"] for row in api.get("/api/v1/threads/").json()["results"]]
    assert thread.pk not in ids


def test_selectors_hide_the_thread_from_non_members(clair_mic_thread, mext, co_hyogo, participant):
    for user in (mext, co_hyogo, participant):
        assert not selectors.thread_list(user=user).filter(pk=clair_mic_thread.pk).exists()
        assert (
            selectors.unread_thread_count(user=user)
            == selectors.thread_list(user=user, unread_only=True).count()
        )


def test_a_mission_or_contracting_organisation_takes_part_when_made_a_member(
    clair, embassy_us, co_hyogo, co_sapporo
):
    thread = services.thread_start(
        by=clair,
        subject="Hyogo's ALT from the United States",
        members=[org(Kind.MIC), embassy_us.organisation, co_hyogo.organisation],
        body="A question on arrival dates.",
    )
    services.message_post(by=embassy_us, thread=thread, body="Group A, 30 July.")
    services.message_post(by=co_hyogo, thread=thread, body="Noted, thank you.")
    assert thread.messages.count() == 3
    assert not selectors.thread_list(user=co_sapporo).filter(pk=thread.pk).exists()
    with pytest.raises(PermissionDenied, match="Only the member organisations"):
        services.message_post(by=co_sapporo, thread=thread, body="Me too")


# --- who starts threads ----------------------------------------------------------------------


def test_clair_and_the_ministries_start_threads(clair, mic, mofa, mext):
    for user, partner in (
        (clair, Kind.MEXT),
        (mic, Kind.CLAIR),
        (mofa, Kind.CLAIR),
        (mext, Kind.MIC),
    ):
        thread = services.thread_start(
            by=user, subject=f"From {user.username}", members=[org(partner)], body="Hello"
        )
        members = set(thread.memberships.values_list("organisation__kind", flat=True))
        assert members == {user.organisation.kind, partner}


def test_missions_and_contracting_organisations_do_not_start_threads(
    client_as, api_as, embassy_us, co_hyogo
):
    for user in (embassy_us, co_hyogo):
        with pytest.raises(PermissionDenied, match="CLAIR and the ministries start"):
            services.thread_start(by=user, subject="Hello", members=[org(Kind.CLAIR)], body="Hi")
    for username in ("embassy.us", "co.hyogo"):
        assert client_as(username).get("/correspondence/new/").status_code == 403
        response = api_as(username).post(
            "/api/v1/threads/",
            {"subject": "Hello", "members": [org(Kind.CLAIR).pk], "body": "Hi"},
            format="json",
        )
        assert response.status_code == 403
        assert response.json() == {
            "detail": "CLAIR and the ministries start correspondence threads."
        }


def test_a_thread_needs_clair_or_a_ministry_besides_the_starter(clair, co_hyogo):
    with pytest.raises(DomainError) as refused:
        services.thread_start(
            by=clair, subject="Only Hyogo", members=[co_hyogo.organisation], body="Hi"
        )
    assert refused.value.field == "members"
    with pytest.raises(DomainError):
        services.thread_start(by=clair, subject="Nobody", members=[], body="Hi")
    with pytest.raises(DomainError):
        services.thread_start(by=clair, subject=" ", members=[org(Kind.MIC)], body="Hi")
    with pytest.raises(DomainError):
        services.thread_start(by=clair, subject="Empty", members=[org(Kind.MIC)], body=" ")


def test_start_a_thread_on_the_page(client_as, mic):
    client = client_as("clair")
    page = client.get("/correspondence/new/")
    assert page.status_code == 200
    response = client.post(
        "/correspondence/new/",
        {
            "subject": "Budget for the Tokyo Orientation",
            "members": [str(org(Kind.MIC).pk), str(org(Kind.MEXT).pk)],
            "body": "Our estimate is attached.",
            "attachment": pdf("estimate.pdf"),
        },
    )
    assert response.status_code == 302
    thread = Thread.objects.get(subject="Budget for the Tokyo Orientation")
    assert response["Location"] == f"/correspondence/{thread.pk}/"
    assert set(thread.memberships.values_list("organisation__kind", flat=True)) == {
        Kind.CLAIR,
        Kind.MIC,
        Kind.MEXT,
    }
    assert _attachment_message(thread).attachment_name == "estimate.pdf"


def test_start_and_write_through_the_api(api_as):
    api = api_as("mic")
    response = api.post(
        "/api/v1/threads/",
        {"subject": "Numbers for Canada", "members": [org(Kind.CLAIR).pk], "body": "Draft"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {m["kind"] for m in body["members"]} == {"CLAIR", "MIC"}
    assert [m["body"] for m in body["messages"]] == ["Draft"]
    thread_id = body["id"]
    response = api_as("clair").post(
        f"/api/v1/threads/{thread_id}/messages/",
        {"body": "Received, with our note", "attachment": pdf("note.pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    url = response.json()["attachment_url"]
    assert url.endswith(f"/api/v1/threads/{thread_id}/messages/{response.json()['id']}/attachment/")
    download = api_as("mic").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    listing = api_as("mic").get("/api/v1/threads/").json()["results"]
    row = next(r for r in listing if r["id"] == thread_id)
    assert row["unread_count"] == 1
    assert row["message_count"] == 2


def test_the_api_refuses_organisations_outside_correspondence(api_as, participant):
    response = api_as("clair").post(
        "/api/v1/threads/",
        {"subject": "Odd", "members": [999999], "body": "Hi"},
        format="json",
    )
    assert response.status_code == 400
    assert "members" in response.json()


# --- read state per organisation -------------------------------------------------------------


def _unread(user, thread) -> int:
    return selectors.thread_list(user=user).get(pk=thread.pk).unread_count


def test_read_state_is_per_organisation(clair, mic, clair_mic_thread):
    thread = clair_mic_thread
    # CLAIR wrote the first message: read for CLAIR, unread for MIC.
    assert _unread(clair, thread) == 0
    assert _unread(mic, thread) == 1
    services.message_post(by=mic, thread=thread, body="Thank you, we will check.")
    assert _unread(mic, thread) == 0  # writing reads the thread up to its own message
    assert _unread(clair, thread) == 1
    services.thread_read(by=clair, thread=thread)
    assert _unread(clair, thread) == 0
    services.message_post(by=clair, thread=thread, body="One more point.")
    services.thread_read(by=clair, thread=thread)
    # Reading as CLAIR does not mark MIC's.
    assert _unread(mic, thread) == 1
    assert ThreadMember.objects.get(thread=thread, organisation=mic.organisation).last_read_at
    assert selectors.unread_thread_count(user=mic) >= 1
    assert selectors.thread_list(user=mic, unread_only=True).filter(pk=thread.pk).exists()
    assert not selectors.thread_list(user=clair, unread_only=True).filter(pk=thread.pk).exists()


def test_opening_the_page_marks_read_only_for_the_readers_organisation(
    client_as, clair, mic, clair_mic_thread
):
    thread = clair_mic_thread
    services.message_post(by=mic, thread=thread, body="Reply from MIC")
    services.message_post(by=clair, thread=thread, body="Reply from CLAIR")
    assert _unread(mic, thread) == 1
    client_as("clair").get(f"/correspondence/{thread.pk}/")
    assert _unread(mic, thread) == 1
    page = client_as("mic").get("/correspondence/").content.decode()
    assert f'data-testid="unread-{thread.pk}"><span class="badge">1</span>' in page
    client_as("mic").get(f"/correspondence/{thread.pk}/")
    assert _unread(mic, thread) == 0


def test_api_read_marks_only_the_callers_organisation(api_as, clair, mic, clair_mic_thread):
    thread = clair_mic_thread
    services.message_post(by=mic, thread=thread, body="From MIC")
    assert _unread(clair, thread) == 1
    response = api_as("clair").post(f"/api/v1/threads/{thread.pk}/read/")
    assert response.status_code == 200
    assert response.json()["unread_count"] == 0
    assert _unread(clair, thread) == 0
    services.message_post(by=clair, thread=thread, body="From CLAIR")
    api_as("clair").post(f"/api/v1/threads/{thread.pk}/read/")
    assert _unread(mic, thread) == 1
    # Reading through GET does not change anyone's read state.
    api_as("mic").get(f"/api/v1/threads/{thread.pk}/")
    assert _unread(mic, thread) == 1


# --- notices ---------------------------------------------------------------------------------


def _notified(thread):
    return set(
        Notification.objects.filter(
            kind="correspondence_message", context__thread=thread.pk
        ).values_list("recipient__username", flat=True)
    )


def test_each_new_message_is_a_notice_to_the_other_members_only(clair, mic, embassy_us):
    thread = services.thread_start(
        by=clair,
        subject="Arrival of Group A",
        members=[org(Kind.MIC), embassy_us.organisation],
        body="Group A arrives on 30 July.",
    )
    notified = _notified(thread)
    assert {"mic", "embassy.us"} <= notified
    assert "clair" not in notified
    assert "clair.manager" not in notified
    assert not notified & {"mext", "mofa", "co.hyogo", "participant", "embassy.uk"}
    before = Notification.objects.filter(kind="correspondence_message").count()
    message = services.message_post(by=mic, thread=thread, body="Noted.")
    second = set(
        Notification.objects.filter(
            key__startswith=f"correspondence-message:{message.pk}:"
        ).values_list("recipient__username", flat=True)
    )
    assert {"clair", "clair.manager", "embassy.us"} <= second
    assert "mic" not in second
    assert Notification.objects.filter(kind="correspondence_message").count() > before
    notice = Notification.objects.get(
        recipient=clair, key=f"correspondence-message:{message.pk}:{clair.pk}"
    )
    assert f"/correspondence/{thread.pk}/" in notice.context["link"]


def test_the_notice_reads_well_in_both_languages(clair, mic):
    from apps.notifications.services import render_email

    thread = services.thread_start(by=clair, subject="Costs", members=[org(Kind.MIC)], body="Hello")
    notice = Notification.objects.filter(recipient=mic, context__thread=thread.pk).get()
    subject, body = render_email(notice)
    assert subject == "New message in a correspondence thread"
    assert "Costs" in body
    assert clair.organisation.name_en in body


# --- attachments -----------------------------------------------------------------------------


def test_attachments_are_checked_by_content(clair, mic, clair_mic_thread):
    thread = clair_mic_thread
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        services.message_post(by=mic, thread=thread, body="Attached", attachment=fake)
    assert refused.value.field == "attachment"
    assert not thread.messages.filter(body="Attached").exists()
    empty = SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf")
    with pytest.raises(DomainError):
        services.message_post(by=mic, thread=thread, body="Attached", attachment=empty)
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError):
        services.message_post(by=mic, thread=thread, body="Attached", attachment=big)
    # A PNG named .pdf is kept as what it is: served as PNG.
    image = SimpleUploadedFile("scan.pdf", PNG_BYTES, content_type="application/pdf")
    message = services.message_post(by=mic, thread=thread, body="Scan", attachment=image)
    assert message.attachment


def test_a_bad_attachment_is_refused_on_the_page_and_in_the_api(
    client_as, api_as, clair_mic_thread
):
    thread = clair_mic_thread
    fake = SimpleUploadedFile("evil.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client_as("mic").post(
        f"/correspondence/{thread.pk}/", {"body": "See attached", "attachment": fake}
    )
    assert response.status_code == 400
    assert "not a PDF, JPEG or PNG" in response.content.decode()
    fake = SimpleUploadedFile("evil.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = api_as("mic").post(
        f"/api/v1/threads/{thread.pk}/messages/",
        {"body": "See attached", "attachment": fake},
        format="multipart",
    )
    assert response.status_code == 400
    assert "attachment" in response.json()
    assert not thread.messages.filter(body="See attached").exists()


def test_a_png_is_served_as_png(client_as, mic, clair_mic_thread):
    thread = clair_mic_thread
    image = SimpleUploadedFile("scan.pdf", PNG_BYTES, content_type="application/pdf")
    message = services.message_post(by=mic, thread=thread, body="Scan", attachment=image)
    response = client_as("clair").get(
        f"/correspondence/{thread.pk}/messages/{message.pk}/attachment/"
    )
    assert response["Content-Type"] == "image/png"


def test_a_message_without_a_file_has_no_download(client_as, mic, clair_mic_thread):
    thread = clair_mic_thread
    message = services.message_post(by=mic, thread=thread, body="No file")
    response = client_as("mic").get(
        f"/correspondence/{thread.pk}/messages/{message.pk}/attachment/"
    )
    assert response.status_code == 404


# --- pages for everyone else -----------------------------------------------------------------


def test_people_have_no_correspondence(client_as, api_as):
    for username in ("participant", "applicant"):
        assert client_as(username).get("/correspondence/").status_code == 403
        assert api_as(username).get("/api/v1/threads/").json()["results"] == []


def test_schema_lists_the_thread_endpoints(client):
    body = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/threads/",
        "/api/v1/threads/{id}/",
        "/api/v1/threads/{id}/messages/",
        "/api/v1/threads/{id}/read/",
        "/api/v1/threads/{id}/messages/{message_pk}/attachment/",
    ):
        assert path in body
