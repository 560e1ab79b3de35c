"""Health, security settings, login limits and the audit trail."""

import os
import subprocess
import sys

from django.conf import settings
from django.test import Client, override_settings

from apps.core.models import Organisation


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_answers_for_any_host_name(client, db):
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6399/0")
def test_healthz_is_503_when_the_broker_is_down(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["status"] == "error"


def test_check_deploy_with_production_settings_has_no_warning():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jetadmin.settings.production",
        "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-8c1f0e7d2b9a",
        "ALLOWED_HOSTS": "jetadmin.example.jp",
        "DATABASE_URL": "postgres://check@localhost/check",  # never connected to
        "CACHE_URL": "redis://localhost:6379/1",  # never connected to
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_csrf_is_enforced_on_login(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "clair", "password": "jet-demo-2027"})
    assert response.status_code == 403


def test_repeated_failures_lock_that_username_from_that_address(client, api_client, db):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "clair", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "clair", "password": "jet-demo-2027"})
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    # The API token view counts the same attempts.
    api = api_client.post(
        "/api/v1/auth/token/", {"username": "clair", "password": "jet-demo-2027"}, format="json"
    )
    assert api.status_code == 429
    assert "token" not in api.json()
    # A colleague behind the same address is not locked out.
    other = client.post(
        "/accounts/login/", {"username": "clair.manager", "password": "jet-demo-2027"}
    )
    assert other.status_code == 302


def test_api_token_failures_count_towards_the_lock(api_client, client, db):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(
            "/api/v1/auth/token/", {"username": "mext", "password": "wrong"}, format="json"
        )
    locked = client.post("/accounts/login/", {"username": "mext", "password": "jet-demo-2027"})
    assert locked.status_code == 429


def test_clair_manager_reads_the_audit_trail_in_the_admin(login, clair_manager):
    hyogo = Organisation.objects.get(name_en="Hyogo Prefectural Board of Education")
    hyogo.municipality = "Kobe-shi"
    hyogo._change_reason = "address corrected"
    hyogo.save()
    client = login("clair.manager")
    response = client.get(f"/admin/core/organisation/{hyogo.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kobe-shi" in html or "address corrected" in html
    assert hyogo.history.count() >= 2


def test_audit_trail_records_who_changed_a_row(login, clair_manager):
    client = login("clair.manager")
    hyogo = Organisation.objects.get(name_en="Hyogo Prefectural Board of Education")
    response = client.post(
        f"/admin/core/organisation/{hyogo.pk}/change/",
        {
            "kind": "CONTRACTING",
            "name_en": hyogo.name_en,
            "name_ja": hyogo.name_ja,
            "prefecture": "28",
            "municipality": "Kobe",
            "contracting_type": "PREFECTURE",
            "jurisdiction_note": "Hyogo-wide",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = hyogo.history.first()
    assert latest.history_user == clair_manager
    assert latest.jurisdiction_note == "Hyogo-wide"


def test_other_staff_cannot_open_the_admin(login):
    for username in ["clair", "embassy.us", "co.hyogo", "participant"]:
        response = login(username).get("/admin/core/organisation/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
