"""An applicant creates their own account, which acts once its email address is confirmed."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.models import User
from apps.notifications.models import Notification

GOOD = {
    "first_name": "Zoë",
    "last_name": "Ångström-Núñez",
    "email": "zoe@example.org",
    "username": "zoe.applicant",
    "password1": "a-Long-secret-2027",
    "password2": "a-Long-secret-2027",
}
PASSWORD = GOOD["password1"]


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()


def sign_up(client, **changes):
    """Sign up through the page; the outbox sends the email after commit, here at once."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/accounts/signup/", {**GOOD, **changes})


def the_link(to: str = GOOD["email"]) -> str:
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, "no email"
    found = re.search(r"^http\S*/accounts/confirm/\?token=(\S+)$", messages[-1].body, re.M)
    assert found, messages[-1].body
    return found[0].split(settings.SITE_URL, 1)[1]


def confirm(client, link: str):
    token = link.split("token=", 1)[1]
    return client.post("/accounts/confirm/", {"token": token})


def sign_in(client, username=GOOD["username"], password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_signup_makes_an_account_that_waits_for_its_email(client, db):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/sent/"
    user = User.objects.get(username="zoe.applicant")
    assert user.kind == "APPLICANT"
    assert user.last_name == "Ångström-Núñez"
    assert user.organisation is None
    assert not user.is_active
    assert user.email_confirmed_at is None
    # Nobody is signed in, and the account can neither sign in nor get a token.
    assert client.get("/mofa/applicant/").status_code == 302
    refused = sign_in(client)
    assert refused.status_code == 200
    assert "Confirm your email address first" in refused.content.decode()
    token = APIClient().post(
        "/api/v1/auth/token/", {"username": "zoe.applicant", "password": PASSWORD}, format="json"
    )
    assert token.status_code == 400


def test_the_email_goes_through_the_outbox_and_keeps_no_link(client, db):
    sign_up(client)
    notification = Notification.objects.get(recipient__username="zoe.applicant")
    assert notification.kind == "email_confirm"
    assert notification.state == Notification.State.SENT
    assert notification.context["link"] == ""  # only the mailbox has it
    (message,) = mail.outbox
    assert message.to == ["zoe@example.org"]
    assert message.subject == "Confirm your email address for jetadmin"
    assert "zoe.applicant" in message.body


def test_following_the_link_lets_the_account_act(client, db):
    sign_up(client)
    link = the_link()
    page = client.get(link)  # opening it confirms nothing: a mail scanner may open links
    assert page.status_code == 200
    assert "Confirm my email address" in page.content.decode()
    assert not User.objects.get(username="zoe.applicant").is_active
    confirmed = confirm(client, link)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/accounts/login/?next=/mofa/applicant/"
    user = User.objects.get(username="zoe.applicant")
    assert user.is_active
    assert user.email_confirmed_at is not None
    assert sign_in(client).status_code == 302
    assert client.get("/mofa/applicant/").status_code == 200


def test_the_link_works_once(client, db):
    sign_up(client)
    link = the_link()
    assert confirm(client, link).status_code == 302
    again = confirm(client, link)
    assert again.status_code == 400
    assert "This link does not work" in again.content.decode()


def test_the_link_expires(client, db):
    sign_up(client)
    link = the_link()
    later = timezone.now() + dt.timedelta(hours=settings.EMAIL_CONFIRM_HOURS, minutes=5)
    with time_machine.travel(later):
        assert confirm(client, link).status_code == 400
    assert not User.objects.get(username="zoe.applicant").is_active


def test_a_link_altered_or_for_another_account_does_not_work(client, db):
    sign_up(client)
    link = the_link()
    assert confirm(client, link[:-3] + "abc").status_code == 400
    assert client.post("/accounts/confirm/", {"token": ""}).status_code == 400
    assert client.get("/accounts/confirm/").status_code == 200  # says the link is needed
    assert not User.objects.get(username="zoe.applicant").is_active


def test_signing_in_with_the_right_password_sends_a_new_link(client, db):
    sign_up(client)
    first = the_link()
    later = timezone.now() + dt.timedelta(hours=settings.EMAIL_CONFIRM_HOURS + 1)
    with time_machine.travel(later):
        with TestCase.captureOnCommitCallbacks(execute=True):
            sign_in(client)
        second = the_link()
        assert second != first
        assert confirm(client, first).status_code == 400
        assert confirm(client, second).status_code == 302
    # A wrong password sends nothing and says nothing of the account.
    mail.outbox.clear()
    sign_up(client, username="yuki.applicant", email="yuki@example.org")
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        wrong = sign_in(client, "yuki.applicant", "not-the-password")
    assert "Confirm your email" not in wrong.content.decode()
    assert mail.outbox == []


def test_signup_in_japanese_keeps_japanese(client, db):
    client.post("/language/", {"language": "ja", "next": "/accounts/signup/"})
    page = client.get("/accounts/signup/").content.decode()
    assert '<html lang="ja">' in page
    sign_up(client, username="ja.applicant", email="ja@example.org")
    user = User.objects.get(username="ja.applicant")
    assert user.language == "ja"
    assert Notification.objects.get(recipient=user).language == "ja"


def test_signup_refuses_a_taken_username_and_keeps_the_rest(client, db):
    response = client.post("/accounts/signup/", {**GOOD, "username": "applicant"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That username is taken." in html
    assert 'value="zoe@example.org"' in html
    assert User.objects.filter(username="applicant").count() == 1
    assert mail.outbox == []


def test_signup_refuses_mismatched_and_weak_passwords(client, db):
    mismatch = client.post("/accounts/signup/", {**GOOD, "password2": "something-else-2027"})
    assert "The two passwords differ." in mismatch.content.decode()
    weak = client.post("/accounts/signup/", {**GOOD, "password1": "123", "password2": "123"})
    assert "This password is too short." in weak.content.decode()
    assert not User.objects.filter(username="zoe.applicant").exists()


def test_signed_in_people_are_sent_home(login):
    client = login("embassy.us")
    response = client.get("/accounts/signup/")
    assert response.status_code == 302
