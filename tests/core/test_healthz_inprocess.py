"""/healthz when tasks run in-process (no CELERY_BROKER_URL), as under `make run`."""

from django.test import override_settings


@override_settings(CELERY_BROKER_URL="")
def test_healthz_is_200_with_tasks_run_in_process(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}
