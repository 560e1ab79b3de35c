"""An applicant creates their own account."""

from apps.core.models import User

GOOD = {
    "first_name": "Zoë",
    "last_name": "Ångström-Núñez",
    "email": "zoe@example.org",
    "username": "zoe.applicant",
    "password1": "a-Long-secret-2027",
    "password2": "a-Long-secret-2027",
}


def test_signup_creates_an_applicant_and_signs_them_in(client, db):
    response = client.post("/accounts/signup/", GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/mofa/applicant/"
    user = User.objects.get(username="zoe.applicant")
    assert user.kind == "APPLICANT"
    assert user.last_name == "Ångström-Núñez"
    assert user.organisation is None
    assert client.get("/mofa/applicant/").status_code == 200


def test_signup_in_japanese_keeps_japanese(client, db):
    client.post("/language/", {"language": "ja", "next": "/accounts/signup/"})
    page = client.get("/accounts/signup/").content.decode()
    assert '<html lang="ja">' in page
    client.post("/accounts/signup/", {**GOOD, "username": "ja.applicant"})
    assert User.objects.get(username="ja.applicant").language == "ja"


def test_signup_refuses_a_taken_username_and_keeps_the_rest(client, db):
    response = client.post("/accounts/signup/", {**GOOD, "username": "applicant"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That username is taken." in html
    assert 'value="zoe@example.org"' in html
    assert User.objects.filter(username="applicant").count() == 1


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
