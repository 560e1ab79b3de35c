"""API tokens with a life: each sign-in its own token, which expires, ends with a
password change or a sign-out, and is listed (and revoked) by its owner alone."""

import datetime as dt

import time_machine
from django.conf import settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.core.models import User

PASSWORD = "jet-demo-2027"


def new_token(username: str, password: str = PASSWORD) -> str:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def holding(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def me(token: str) -> int:
    return holding(token).get("/api/v1/me/").status_code


IDLE = settings.REST_KNOX["TOKEN_TTL"]
MOST = settings.REST_KNOX["AUTO_REFRESH_MAX_TTL"]


def test_the_token_endpoint_answers_a_token_and_its_expiry(db):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "mext", "password": PASSWORD}, format="json"
    )
    body = response.json()
    assert set(body) == {"token", "expiry"}
    expiry = dt.datetime.fromisoformat(body["expiry"])
    assert abs(expiry - (timezone.now() + IDLE)) < dt.timedelta(minutes=1)
    assert me(body["token"]) == 200


def test_only_a_hash_of_the_token_is_stored(db):
    key = new_token("mext")
    stored = AuthToken.objects.get(user__username="mext")
    assert key not in (stored.digest, stored.token_key)
    assert key.startswith(stored.token_key)


def test_a_token_left_unused_expires(db):
    key = new_token("mext")
    with time_machine.travel(timezone.now() + IDLE + dt.timedelta(minutes=1)):
        response = holding(key).get("/api/v1/me/")
    assert response.status_code == 401
    assert me(key) == 401  # and stays dead


def test_a_token_in_use_lives_on_but_not_beyond_its_limit(db):
    key = new_token("mext")
    made = timezone.now()
    step = IDLE - dt.timedelta(hours=1)
    moment = made
    while moment + step < made + MOST:
        moment += step
        with time_machine.travel(moment):
            assert me(key) == 200, moment - made
    with time_machine.travel(made + MOST + dt.timedelta(minutes=1)):
        assert me(key) == 401


def test_a_password_change_ends_every_token(client, db):
    laptop, script = new_token("participant"), new_token("participant")
    other = new_token("mext")
    client.post("/accounts/login/", {"username": "participant", "password": PASSWORD})
    changed = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-New-secret-2027",
            "new_password2": "a-New-secret-2027",
        },
    )
    assert changed.status_code == 302
    assert (me(laptop), me(script)) == (401, 401)
    assert me(other) == 200  # someone else's are theirs
    assert me(new_token("participant", "a-New-secret-2027")) == 200


def test_a_password_set_elsewhere_ends_the_tokens_too(db):
    """The admin's form and `changepassword` save through set_password as well."""
    key = new_token("participant")
    user = User.objects.get(username="participant")
    user.set_password("another-Secret-2027")
    user.save()
    assert me(key) == 401


def test_signing_out_revokes_the_token_it_carries(db):
    laptop, phone = new_token("participant"), new_token("participant")
    assert holding(laptop).post("/api/v1/auth/logout/").status_code == 204
    assert me(laptop) == 401
    assert me(phone) == 200


def test_signing_out_of_a_browser_session_ends_it(client, db):
    client.post("/accounts/login/", {"username": "participant", "password": PASSWORD})
    assert client.get("/api/v1/me/").status_code == 200
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_the_list_shows_ones_own_working_tokens(db):
    laptop, phone = new_token("participant"), new_token("participant")
    new_token("mext")
    with time_machine.travel(timezone.now() - IDLE * 2):
        new_token("participant")  # expired by now
    listed = holding(laptop).get("/api/v1/auth/tokens/")
    assert listed.status_code == 200
    rows = listed.json()
    assert len(rows) == 2
    assert {row["key"] for row in rows} == {laptop[:15], phone[:15]}
    assert [row["current"] for row in rows if row["key"] == laptop[:15]] == [True]
    assert set(rows[0]) == {"key", "created", "expiry", "current"}


def test_revoking_another_of_ones_own_tokens(db):
    laptop, lost_phone = new_token("participant"), new_token("participant")
    response = holding(laptop).delete(f"/api/v1/auth/tokens/{lost_phone[:15]}/")
    assert response.status_code == 204
    assert me(lost_phone) == 401
    assert me(laptop) == 200


def test_someone_elses_token_is_not_there(db):
    mine, theirs = new_token("participant"), new_token("mext")
    client = holding(mine)
    assert client.get(f"/api/v1/auth/tokens/{theirs[:15]}/").status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{theirs[:15]}/").status_code == 404
    assert me(theirs) == 200


def test_a_call_reads_its_own_token_only_and_the_sweep_deletes_the_expired(db):
    """knox read every token of the person on each call; here a call costs the same
    queries however many tokens the person holds, and the hourly sweep deletes expired
    ones."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.core.tasks import api_tokens_sweep

    key = new_token("participant")
    me(key)
    with CaptureQueriesContext(connection) as few:
        assert me(key) == 200
    for _ in range(5):
        new_token("participant")
    with time_machine.travel(timezone.now() - IDLE * 2):
        stale = [new_token("participant") for _ in range(3)]
    with CaptureQueriesContext(connection) as many:
        assert me(key) == 200
    assert len(many) == len(few)
    assert not any('WHERE "knox_authtoken"."user_id" =' in q["sql"] for q in many)

    user = User.objects.get(username="participant")
    assert AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).count() == 3
    assert api_tokens_sweep() >= 3
    assert not AuthToken.objects.filter(expiry__lte=timezone.now()).exists()
    assert me(stale[0]) == 401
    assert me(key) == 200


def _token_reads(key: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert me(key) == 200
    return sum(
        query["sql"].startswith("SELECT") and "knox_authtoken" in query["sql"] for query in captured
    )


def test_a_token_that_checked_out_is_not_read_again(db):
    """Remembered in the cache for a minute: the next call reads no token row."""
    key = new_token("participant")
    assert _token_reads(key) == 1
    assert _token_reads(key) == 0
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        assert _token_reads(key) == 1  # read afresh once the minute is over


def test_a_remembered_token_is_refused_once_revoked(db):
    laptop, phone = new_token("participant"), new_token("participant")
    assert (me(laptop), me(phone)) == (200, 200)  # both remembered now
    assert holding(laptop).delete(f"/api/v1/auth/tokens/{phone[:15]}/").status_code == 204
    assert me(phone) == 401
    assert holding(laptop).post("/api/v1/auth/logout/").status_code == 204
    assert me(laptop) == 401


def test_a_remembered_token_is_refused_once_its_person_is_switched_off(db):
    key = new_token("participant")
    assert me(key) == 200
    user = User.objects.get(username="participant")
    user.is_active = False
    user.save()
    assert me(key) == 401


def test_a_remembered_token_answers_in_the_language_just_chosen(db):
    key = new_token("participant")
    assert me(key) == 200
    user = User.objects.get(username="participant")
    user.language = "ja"
    user.save()
    cases = "/api/v1/reappointment-cases/"  # a list only: a POST is refused
    refused = holding(key).post(cases, {}, format="json")
    fresh = holding(new_token("participant")).post(cases, {}, format="json")
    assert refused.status_code == fresh.status_code == 405
    assert refused.json() == fresh.json()
    assert any("\u3040" <= ch <= "\u30ff" for ch in str(fresh.json()))  # kana: in Japanese


def test_a_remembered_token_sees_a_membership_change_at_once(db):
    """The membership (and so what kind of actor the person is) travels with the token."""
    from apps.core.models import Membership

    key = new_token("mext")
    before = holding(key).get("/api/v1/events/")
    assert before.status_code == 200
    assert before.json()["results"]
    Membership.objects.get(user__username="mext").delete()
    after = holding(key).get("/api/v1/events/")
    fresh = holding(new_token("mext")).get("/api/v1/events/")
    assert after.status_code == fresh.status_code
    assert after.status_code != 200 or after.json() != before.json()


def test_a_token_call_passes_the_browser_middleware_by(client, db):
    """No session, flash messages or htmx details on a call that brings its own token;
    the pages, and the API called with a browser's session, keep them."""
    client.post("/accounts/login/", {"username": "mext", "password": PASSWORD})
    by_session = client.get("/api/v1/me/")
    assert by_session.json()["username"] == "mext"
    assert hasattr(by_session.wsgi_request, "session")
    key = new_token("participant")
    by_token = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert by_token.status_code == 200
    assert by_token.json()["username"] == "participant"
    request = by_token.wsgi_request
    assert not any(hasattr(request, name) for name in ("session", "_messages", "htmx"))
    assert "sessionid" not in by_token.cookies
    page = client.get("/")
    assert all(hasattr(page.wsgi_request, name) for name in ("session", "_messages", "htmx"))


def test_a_remembered_token_sees_a_new_group_at_once(db):
    """Groups travel with the remembered token: joining an organisation's group shows
    what it was granted on the next call, as a new token would."""
    from apps.core.models import Organisation

    key = new_token("participant")
    before = len(holding(key).get("/api/v1/contracts/?page_size=200").json()["results"])
    hyogo = Organisation.objects.get(name_en="Hyogo Prefectural Board of Education")
    User.objects.get(username="participant").groups.add(hyogo.group)
    after = len(holding(key).get("/api/v1/contracts/?page_size=200").json()["results"])
    fresh_key = new_token("participant")
    fresh = len(holding(fresh_key).get("/api/v1/contracts/?page_size=200").json()["results"])
    assert after == fresh
    assert after > before
    hyogo.group.user_set.remove(User.objects.get(username="participant"))
    assert len(holding(key).get("/api/v1/contracts/?page_size=200").json()["results"]) == before
