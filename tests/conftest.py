"""The actor world every test shares: the demo organisations and accounts.

The demo data is written once per session on top of the migrated test database; each
test runs in a transaction rolled back at its end. Tests that must commit (a real
worker, a live server) flush the database afterwards, so they rebuild the world with
the `committed_world` fixture.

Who may do what:
- clair: CLAIR staff; sees every organisation.
- clair_manager: CLAIR manager; also the admin and its audit trail.
- mofa: MOFA headquarters; sees every embassy and consulate.
- embassy_us / embassy_uk: mission staff; see only their own mission.
- mic: MIC; sees every organisation (counts and names, no people's data).
- mext: MEXT; sees its own organisation.
- co_hyogo / co_sapporo: contracting organisations; see only themselves.
- applicant / participant: private persons; see only their own things.
"""

import csv
import datetime as dt
import io
import os
import re

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import translation

from apps.core.models import Country, Job, Prefecture, User
from apps.core.reference_data import reference_data_load

DEMO_PASSWORD = "jet-demo-2027"
DEMO_USERNAMES = [
    "clair",
    "clair.manager",
    "mofa",
    "embassy.us",
    "embassy.uk",
    "mic",
    "mext",
    "co.hyogo",
    "co.sapporo",
    "applicant",
    "participant",
]


# --- the clock ------------------------------------------------------------------------------
# JETADMIN_CLOCK="+4m" (or "+120d", or a date "2027-08-02") moves the whole session's
# clock with time-machine before the demo world is built: the demo and every date rule
# must hold on any day of the programme year, and `.ci/run` proves it by running the
# tests marked `dates` again at +4, +8 and +14 months. The clock keeps ticking.

CLOCK_ENV = "JETADMIN_CLOCK"


def clock_target(value: str, now: dt.datetime | None = None) -> dt.datetime:
    now = now or dt.datetime.now(dt.UTC)
    if match := re.fullmatch(r"([+-]\d+)([dm])", value.strip()):
        amount, unit = int(match[1]), match[2]
        return now + (relativedelta(months=amount) if unit == "m" else dt.timedelta(amount))
    day = dt.date.fromisoformat(value.strip())
    return dt.datetime.combine(day, now.time(), tzinfo=dt.UTC)


def pytest_configure(config):
    value = os.environ.get(CLOCK_ENV)
    if value:
        config._jetadmin_clock = time_machine.travel(clock_target(value), tick=True)
        config._jetadmin_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_jetadmin_clock", None)
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    if os.environ.get(CLOCK_ENV):
        now = dt.datetime.now(dt.UTC)
        return f"clock moved ({CLOCK_ENV}={os.environ[CLOCK_ENV]}): now is {now:%Y-%m-%d %H:%M}Z"
    return None


# The areas whose rules read today's date (deadlines, terms in force, fiscal years,
# upcoming events), and every test of the demo's story: `.ci/run` runs these again
# with the clock moved. Browser and worker tests stay out of those runs (a worker is a
# process of its own, on the real clock).
DATE_AREAS = {
    "recruitment",
    "placement",
    "events",
    "reappointment",
    "subsidy",
    "course",
    "safety",
    "costs",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = item.path.relative_to(config.rootpath).parts
        if (len(parts) > 2 and parts[1] in DATE_AREAS) or item.path.name.startswith(
            ("test_demo", "test_smoke")
        ):
            item.add_marker(pytest.mark.dates)


def build_world(*, core_only: bool = False) -> None:
    reference_data_load(Country, Prefecture)
    args = ["--core-only"] if core_only else []
    call_command("seed_demo", *args, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request in Japanese leaves Japanese active in the thread; each test starts in
    English, as a fresh request without a preference would."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def committed_world(transactional_db):
    """For tests whose data must be committed: the flush after each such test empties
    every table, reference data included, so build it again: the organisations and
    accounts only, since each such test makes the rest of what it needs."""
    build_world(core_only=True)


def _user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def clair(db):
    return _user("clair")


@pytest.fixture
def clair_manager(db):
    return _user("clair.manager")


@pytest.fixture
def mofa(db):
    return _user("mofa")


@pytest.fixture
def embassy_us(db):
    return _user("embassy.us")


@pytest.fixture
def embassy_uk(db):
    return _user("embassy.uk")


@pytest.fixture
def mic(db):
    return _user("mic")


@pytest.fixture
def mext(db):
    return _user("mext")


@pytest.fixture
def co_hyogo(db):
    return _user("co.hyogo")


@pytest.fixture
def co_sapporo(db):
    return _user("co.sapporo")


@pytest.fixture
def applicant(db):
    return _user("applicant")


@pytest.fixture
def participant(db):
    return _user("participant")


@pytest.fixture
def login(client, db):
    """Sign a demo account in through the real login form."""

    def _login(username: str, password: str = DEMO_PASSWORD):
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, response.content[:500]
        return client

    return _login


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as(api_client, db):
    """An API client authenticated with a real token from /api/v1/auth/token/."""

    def _as(username: str):
        response = api_client.post(
            "/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, response.content
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return api_client

    return _as


@pytest.fixture
def client_as(db):
    """A page client signed in as a demo account (several at once in one test)."""

    def _as(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return _as


@pytest.fixture
def token_client(db):
    """An API client with a new token of the account's (a fresh client per account),
    made by the service the token endpoint uses."""
    from rest_framework.test import APIClient

    from apps.core.services import api_token_create

    def _as(username: str) -> APIClient:
        client = APIClient()
        _token, key = api_token_create(user=User.objects.get(username=username))
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return _as


@pytest.fixture
def run_export():
    """Start an export (a page POST, an API call or a service call) and run its job as
    the worker would after commit; the rows of the CSV."""

    def _run(start) -> list[list[str]]:
        with TestCase.captureOnCommitCallbacks(execute=True):
            result = start()
        if isinstance(result, Job):
            job = result
        elif getattr(result, "status_code", None) == 302:
            job = Job.objects.get(pk=int(result.url.strip("/").split("/")[-1]))
        else:
            assert result.status_code == 202, result.content[:300]
            job = Job.objects.get(pk=result.json()["job"])
        job.refresh_from_db()
        assert job.state == Job.State.DONE, job.error
        text = job.result_file.open("rb").read().decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))

    return _run
