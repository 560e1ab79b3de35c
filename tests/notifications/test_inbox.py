"""The outbox rows and the in-app inbox."""

import pytest
from django.utils import translation

from apps.notifications.models import Notification
from apps.notifications.services import notification_record, notifications_record


def _notify(user, key="test:1"):
    return notification_record(
        recipient=user,
        kind="membership_added",
        context={
            "organisation_en": "Kobe City Board of Education",
            "organisation_ja": "神戸市教育委員会",
        },
        key=key,
    )


def test_one_event_notifies_a_person_once(participant):
    first = _notify(participant, key="event:42")
    again = notifications_record(
        recipients=[participant], kind="membership_added", context={}, key="event:42"
    )
    assert again == []
    assert Notification.objects.filter(key__startswith="event:42").count() == 1
    assert first.key == f"event:42:{participant.pk}"


def test_unknown_kind_is_refused(participant):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notification_record(recipient=participant, kind="no-such-kind", context={}, key=None)


def test_email_goes_out_in_the_recipients_language(
    participant, mailoutbox, django_capture_on_commit_callbacks
):
    participant.language = "ja"
    participant.save()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(participant, key="test:ja")  # in-process delivery in tests without a worker
    mail = mailoutbox[-1]
    with translation.override("ja"):
        from apps.notifications.kinds import subject_for

        assert mail.subject == str(subject_for("membership_added"))
    assert mail.subject != "You have been added to an organisation in jetadmin"
    assert "神戸市教育委員会" in mail.body


def test_inbox_shows_own_notifications_and_unread_count(login, participant, applicant):
    _notify(participant, key="mine")
    _notify(applicant, key="theirs")
    client = login("participant")
    page = client.get("/inbox/").content.decode()
    assert "Kobe City Board of Education" in page
    assert page.count('class="inbox__item') == 1
    home = client.get("/participant/").content.decode()
    assert '<span class="badge"' in home
    assert "1 unread notification" in home


def test_marking_read_clears_the_badge(login, participant):
    notification = _notify(participant)
    client = login("participant")
    response = client.post(f"/inbox/{notification.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "inbox__item--unread" not in response.content.decode()
    assert '<span class="badge"' not in client.get("/participant/").content.decode()


def test_another_persons_notification_is_404_on_page_and_api(login, api_as, applicant):
    theirs = _notify(applicant, key="theirs")
    assert login("participant").post(f"/inbox/{theirs.pk}/read/").status_code == 404
    api = api_as("participant")
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert api.get("/api/v1/notifications/").json()["results"] == []
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_api_inbox_lists_and_marks_read(api_as, participant):
    mine = _notify(participant)
    api = api_as("participant")
    data = api.get("/api/v1/notifications/").json()
    assert [row["id"] for row in data["results"]] == [mine.pk]
    assert set(data) == {"next", "previous", "results"}  # cursor pagination: no count
    assert api.post(f"/api/v1/notifications/{mine.pk}/read/").json()["read_at"] is not None


def test_password_change_notifies_the_person(
    login, participant, mailoutbox, django_capture_on_commit_callbacks
):
    client = login("participant")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/",
            {
                "old_password": "jet-demo-2027",
                "new_password1": "a-New-secret-2027",
                "new_password2": "a-New-secret-2027",
            },
        )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=participant, kind="password_changed").exists()
    assert mailoutbox[-1].to == [participant.email]


def test_plain_text_emails_are_not_html_escaped(db):
    """An apostrophe in a name stays an apostrophe in the email body."""
    from apps.core.models import User
    from apps.notifications.services import render_email

    recipient = User.objects.get(username="clair")
    notification = Notification(
        recipient=recipient,
        kind="contract_signed",
        language="en",
        context={"participant": "Sarah O'Connor", "version": 2},
    )
    _subject, body = render_email(notification)
    assert "Sarah O'Connor has signed version 2" in body
    assert "&#x27;" not in body
