import csv
import io

import pytest
from django.test import Client, TestCase

from apps.core.models import Job, User


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
    """An API client with the account's token (a fresh client per account)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def _as(username: str) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
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
