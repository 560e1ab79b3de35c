"""Signing in behind a reverse proxy, the limit per address, and the API's throttles.

Behind TRUSTED_PROXY_COUNT proxies every request reaches jetadmin from a proxy's address;
the client is the address the proxies wrote into X-Forwarded-For. Here the proxy is
10.0.0.2, the owner of `clair` signs in from 198.51.100.7, and someone else tries
passwords from 203.0.113.9. The counters live in this process's cache, emptied before
each test.
"""

import time

import pytest
import time_machine
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIClient

from apps.core.api.throttling import AnonRateThrottle
from jetadmin.settings.base import trusted_proxy_settings

PASSWORD = "jet-demo-2027"
PROXY = "10.0.0.2"
OWNER = "198.51.100.7"
OTHER = "203.0.113.9"


def proxies(count: int):
    """The settings TRUSTED_PROXY_COUNT=count gives, as override_settings."""
    derived = trusted_proxy_settings(count)
    return override_settings(
        TRUSTED_PROXY_COUNT=count,
        AXES_IPWARE_META_PRECEDENCE_ORDER=derived["AXES_IPWARE_META_PRECEDENCE_ORDER"],
        AXES_IPWARE_PROXY_COUNT=derived["AXES_IPWARE_PROXY_COUNT"],
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": derived["NUM_PROXIES"]},
    )


def rates(**scopes):
    """Throttle rates for this test only (the suite's are too high to reach), over the
    REST_FRAMEWORK in force when called (a proxy's NUM_PROXIES kept)."""
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **scopes,
            },
        }
    )


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def behind_proxy():
    with proxies(1):
        yield


def sign_in(username, password=PASSWORD, *, client_address, forwarded=None):
    """A sign-in through the page, from `client_address` behind the proxy (or with
    `forwarded` as the whole X-Forwarded-For header)."""
    return Client(REMOTE_ADDR=PROXY).post(
        "/accounts/login/",
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=forwarded or client_address,
    )


def token(username, password=PASSWORD, *, client_address):
    return APIClient(REMOTE_ADDR=PROXY).post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_behind_a_proxy_anothers_bad_passwords_do_not_lock_the_owner_out(behind_proxy, db):
    answers = [
        sign_in("clair", "guess", client_address=OTHER).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Whoever tried is locked out of the account from their address...
    assert sign_in("clair", client_address=OTHER).status_code == 429
    assert token("clair", client_address=OTHER).status_code == 429
    # ...and the owner, from their own, signs in on the page and for a token.
    assert sign_in("clair", client_address=OWNER).status_code == 302
    assert token("clair", client_address=OWNER).status_code == 200


def test_what_the_client_writes_into_the_header_does_not_move_the_lock(behind_proxy, db):
    """Only the address the proxy appended counts: a made-up one in front is ignored."""
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        forged = f"192.0.2.{attempt + 1}, {OTHER}"
        sign_in("clair", "guess", client_address=OTHER, forwarded=forged)
    forged = f"{OWNER}, {OTHER}"
    assert sign_in("clair", client_address=OTHER, forwarded=forged).status_code == 429


def test_without_a_proxy_setting_the_header_is_not_believed(db):
    assert settings.TRUSTED_PROXY_COUNT == 0
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in("clair", "guess", client_address=f"192.0.2.{attempt + 1}")
    # Every attempt came from the one connection's address, whatever the header said.
    assert sign_in("clair", client_address=OWNER).status_code == 429


@override_settings(SIGNIN_FAILURES_PER_ADDRESS=6)
def test_one_address_cannot_spray_usernames_past_the_limit(behind_proxy, db):
    usernames = ["clair", "mofa", "mic", "mext", "co.hyogo", "applicant"]
    for username in usernames:  # one wrong password each: no username is locked
        assert sign_in(username, "Summer2027!", client_address=OTHER).status_code == 200
    # The address has used up its failures: no password is tried, not even a right one.
    page = sign_in("participant", client_address=OTHER)
    assert page.status_code == 429
    assert "failed from your network" in page.content.decode()
    api = token("participant", client_address=OTHER)
    assert api.status_code == 429
    assert "token" not in api.json()
    # Another address, behind the same proxy, is not stopped.
    assert sign_in("participant", client_address=OWNER).status_code == 302
    # After the window the address may try again.
    with time_machine.travel(
        timezone.now() + timezone.timedelta(minutes=settings.SIGNIN_ADDRESS_WINDOW_MINUTES + 1)
    ):
        assert sign_in("participant", client_address=OTHER).status_code == 302


@override_settings(SIGNIN_FAILURES_PER_ADDRESS=6)
def test_successful_sign_ins_from_one_address_are_never_limited(behind_proxy, db):
    """An office behind one NAT: many people, some typos, all morning."""
    for _round in range(3):
        for username in ["clair", "mofa", "mic", "mext", "co.hyogo"]:
            assert sign_in(username, client_address=OTHER).status_code == 302
    for username in ["clair", "mofa", "mic", "mext", "co.hyogo"]:  # five typos
        assert sign_in(username, "typo", client_address=OTHER).status_code == 200
    assert sign_in("participant", client_address=OTHER).status_code == 302


def test_the_limits_and_the_throttles_see_the_same_client():
    """django-axes (through django-ipware) and DRF's throttles read TRUSTED_PROXY_COUNT
    alike, for every shape of the header."""
    cases = [
        # (proxies, X-Forwarded-For, REMOTE_ADDR, the client)
        (0, None, "198.51.100.7", "198.51.100.7"),
        (0, "192.0.2.1", "198.51.100.7", "198.51.100.7"),
        (1, None, PROXY, PROXY),
        (1, OWNER, PROXY, OWNER),
        (1, f"192.0.2.1, {OWNER}", PROXY, OWNER),
        (1, f"not-an-address, {OWNER}", PROXY, OWNER),
        (1, "2001:db8::7", PROXY, "2001:db8::7"),
        (2, f"192.0.2.1, {OWNER}, 10.0.0.9", PROXY, OWNER),
    ]
    for count, forwarded, remote, client in cases:
        with proxies(count):
            extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
            request = RequestFactory(REMOTE_ADDR=remote).post("/", **extra)
            seen_by_axes = get_client_ip_address(request)
            seen_by_drf = AnonRateThrottle().get_ident(Request(request))
            assert (seen_by_axes, seen_by_drf) == (client, client), (count, forwarded)


def test_the_token_endpoint_is_throttled_per_address(behind_proxy, db):
    with rates(signin="3/min"):
        for _ in range(3):
            assert token("mext", client_address=OTHER).status_code == 200
        throttled = token("mext", client_address=OTHER)
        assert throttled.status_code == 429
        assert int(throttled["Retry-After"]) > 0
        assert token("mext", client_address=OWNER).status_code == 200


def test_anonymous_endpoints_are_throttled_per_address(behind_proxy, db):
    client = APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER)
    owner = APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER)
    url = "/api/v1/safety-answer/no-such-link/"
    with rates(anon="2/min"):
        assert [client.get(url).status_code for _ in range(3)] == [404, 404, 429]
        assert owner.get(url).status_code == 404


@rates(user="3/min")
def test_each_person_has_a_rate_of_their_own(token_client):
    mext = token_client("mext")
    assert [mext.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert token_client("mic").get("/api/v1/me/").status_code == 200


def test_the_default_rates_let_normal_use_through():
    """The production rates (base.py) are far above what a person or a script at work
    does; only the suite's settings raise them further."""
    from jetadmin.settings import base

    rates_ = base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates_ == {
        "anon": "120/min",
        "user": "1200/min",
        "signin": "30/min",
        "signup": "30/hour",
    }


@rates(signup="2/hour")
def test_sign_up_is_throttled_per_address(db):
    client = Client(REMOTE_ADDR=OTHER)
    answers = [
        client.post("/accounts/signup/", {"username": f"spam{n}"}).status_code for n in range(3)
    ]
    assert answers == [200, 200, 429]  # two form errors, then no more tries
    page = client.post("/accounts/signup/", {"username": "spam9"})
    assert "Too many accounts were created from your network." in page.content.decode()
    assert int(page["Retry-After"]) > 0
    assert client.get("/accounts/signup/").status_code == 200  # reading the form is free
    assert Client(REMOTE_ADDR=OWNER).post("/accounts/signup/", {}).status_code == 200


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "apps.core.cache.RedisCache",  # production's
            "LOCATION": "redis://127.0.0.1:6399/0",  # nothing listens there
        }
    }
)
@rates(user="1/min", signin="1/min")
def test_an_unreachable_cache_stops_nobody(token_client, db):
    api = token_client("mext")
    assert [api.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    assert token("mext", client_address=OWNER).status_code == 200
    assert token("mext", client_address=OWNER).status_code == 200
    assert sign_in("mext", "typo", client_address=OWNER).status_code == 200
    assert sign_in("mext", client_address=OWNER).status_code == 302


@rates(user="3/min")
def test_on_redis_a_person_is_counted_in_one_small_key_that_expires(token_client, db):
    """The throttles count in the Redis that every web process shares, one integer per
    person that ends with its window (never the list of every call DRF would keep)."""
    import redis

    prefix = f"throttle-test-{time.monotonic_ns()}"
    shared = {
        "default": {
            "BACKEND": "apps.core.cache.RedisCache",  # production's
            "LOCATION": "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": prefix,
        }
    }
    server = redis.Redis(db=9)
    try:
        with override_settings(CACHES=shared):
            api = token_client("mext")
            answers = [api.get("/api/v1/me/") for _ in range(4)]
            assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
            assert 0 < int(answers[-1]["Retry-After"]) <= 60
            keys = [
                key
                for key in server.keys(f"{prefix}:*")
                if b"throttle_" in key and not key.endswith(b":since")
            ]
            assert len(keys) == 1
            assert int(server.get(keys[0])) == 4
            assert 0 < server.ttl(keys[0]) <= 60
            # Another token of the same person counts in the same key.
            assert token_client("mext").get("/api/v1/me/").status_code == 429
            assert int(server.get(keys[0])) == 5
    finally:
        for key in server.keys(f"{prefix}:*"):
            server.delete(key)
        server.close()


@rates(user="3/min")
def test_on_redis_a_call_is_counted_in_one_round_trip(db, monkeypatch):
    """A signed-in call's throttle is one round trip to Redis (apps/core/cache.py), where
    Django's incr took two; the call that opens a window also records when it opened,
    which the refusal's Retry-After reads."""
    from types import SimpleNamespace

    import redis
    from redis.connection import Connection

    from apps.core.api.throttling import UserRateThrottle
    from apps.core.models import User

    prefix = f"throttle-trips-{time.monotonic_ns()}"
    shared = {
        "default": {
            "BACKEND": "apps.core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": prefix,
        }
    }
    sent = []
    send = Connection.send_packed_command

    def counted(connection, command, check_health=True):
        sent.append(command)
        return send(connection, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", counted)
    server = redis.Redis(db=9)
    try:
        with override_settings(CACHES=shared):
            request = SimpleNamespace(user=User.objects.get(username="mext"))
            key = UserRateThrottle().get_cache_key(request, None)
            cache.delete(key)  # and the connection is open: its greeting is not counted

            def trips(answer_code):
                sent.clear()
                throttle = UserRateThrottle()
                allowed = throttle.allow_request(request, None)
                assert allowed is (answer_code == 200)
                return len(sent), throttle

            opened, _ = trips(200)
            assert opened == 2  # the count, then when the window opened
            assert trips(200)[0] == 1
            assert trips(200)[0] == 1
            count, refused = trips(429)
            assert count == 1
            assert 0 < refused.wait() <= 60
            stored = [k for k in server.keys(f"{prefix}:*") if k.endswith(key.encode())]
            assert len(stored) == 1
            assert int(server.get(stored[0])) == 4
            assert 0 < server.ttl(stored[0]) <= 60
    finally:
        for found in server.keys(f"{prefix}:*"):
            server.delete(found)
        server.close()
