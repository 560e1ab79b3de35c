"""Moving the models out of apps.programme keeps every table, row and grant.

A database holding the demo data is taken back to the layout before the move
(programme 0009, no domain app migrated: everything in apps.programme, as the code before
the move left every database) and migrated forward again, in a
database of its own, by `manage.py` as an operator would run it. Both ways the rows stay
where they are, the content types keep their ids (only their label changes), so the
django-guardian grants made before the move still give the same people the same rows.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
DOMAINS = [
    "recruitment",
    "placement",
    "events",
    "reappointment",
    "support",
    "learning",
    "outreach",
    "safety",
    "finance",
]
# Beside the suite's own test database, so two suites on one machine never share it.
DATABASE = f"{settings.DATABASES['default']['TEST']['NAME']}_split"

# Run inside the project: rows per moved table, content types by label (with ids), and
# what the access rule lets three accounts see, by the grants made through the services.
# Models a domain app made after the move, in its own migrations: they never were
# programme's, so they go with their app to zero and come back with it.
MADE_AFTER_THE_MOVE = {"recruitment.scorerevision"}

PROBE = """
import json
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from apps.core import access
from apps.core.models import User

tables = {}
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE tablename LIKE 'programme%%' ORDER BY 1"
    )
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        tables[table] = cursor.fetchone()[0]
types = {
    f"{ct.app_label}.{ct.model}": ct.pk
    for ct in ContentType.objects.exclude(app_label__in=["auth", "admin", "sessions"])
}
seen = {}
if apps.is_installed("apps.recruitment") and "recruitment" in {
    ct.split(".")[0] for ct in types
}:
    from apps.placement.models import Placement
    from apps.recruitment.models import Application

    for name in ("embassy.us", "co.hyogo", "participant"):
        user = User.objects.get(username=name)
        seen[name] = [
            sorted(access.restrict(model.objects.all(), user, "view").values_list("pk", flat=True))
            for model in (Application, Placement)
        ]
print(json.dumps({"tables": tables, "types": types, "seen": seen}))
"""


def _manage(*args: str, check=True) -> subprocess.CompletedProcess:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{DATABASE}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "jetadmin.settings.local",
        "EMAIL_URL": "dummymail://",
        "CELERY_BROKER_URL": "",
    }
    env.pop("JETADMIN_CLOCK", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=900,
    )


def _probe() -> dict:
    out = _manage("shell", "-c", PROBE).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def split_database():
    db = settings.DATABASES["default"]
    admin = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
    yield
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    admin.close()


def test_the_demo_database_goes_back_to_one_app_and_forward_again_intact(split_database):
    _manage("migrate", "--noinput")
    _manage("seed_demo")
    after = _probe()
    assert sum(after["tables"].values()) > 10_000  # the demo world is there
    assert after["tables"]["programme_application"] > 300
    moved = {t for t in after["types"] if t.split(".")[0] in DOMAINS} - MADE_AFTER_THE_MOVE
    assert len(moved) == 73
    assert not [t for t in after["types"] if t.startswith("programme.")]

    # The layout before the move: programme 0009 and no domain app migrated at all.
    _manage("migrate", "programme", "0009_safety", "--noinput")
    for app in DOMAINS:
        _manage("migrate", app, "zero", "--noinput")
    shown = _manage("showmigrations", *DOMAINS).stdout
    assert "[X]" not in shown
    before = _probe()
    # Back in one app: the same tables and rows, the same content type ids.
    assert before["tables"] == after["tables"]
    for label, pk in after["types"].items():
        app, model = label.split(".")
        if app in DOMAINS and label not in MADE_AFTER_THE_MOVE:
            assert before["types"][f"programme.{model}"] == pk

    _manage("migrate", "--noinput")
    again = _probe()
    assert again["tables"] == after["tables"]
    assert again["types"] == after["types"]
    # The grants made before the move still give each account exactly its rows.
    assert again["seen"] == after["seen"]
    assert again["seen"]["embassy.us"][0]  # the embassy sees its applications
    assert again["seen"]["participant"][1]  # the participant their placement
    plan = _manage("migrate", "--plan").stdout
    assert "No planned migration operations." in plan
