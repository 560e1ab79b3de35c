"""The fault suite's stack, built once for the suite and taken down after it, also when a
test fails: bench/notice_faults.py's Rig (the faults, the processes and the counting are
written once, there, and the bench runs the same at 6,000 notices).

Its own PostgreSQL database (the test database's name + `_faults`: migrated, the core
seeded, an event with NOTICES registrants), its own `redis-server` on a free loopback
port, real `celery -A jetadmin worker` processes and gunicorn with the production
settings, the file mail backend in a temporary directory.
"""

import sys
from pathlib import Path

import pytest
from django.conf import settings

BENCH = Path(__file__).resolve().parents[2] / "bench"
# Enough for a fan-out to be caught in the middle on two cores, small enough to keep the
# suite to a few minutes.
NOTICES = 800


@pytest.fixture(scope="module")
def rig(tmp_path_factory):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    from notice_faults import Rig

    db = settings.DATABASES["default"]
    with Rig(
        database=f"{db['TEST']['NAME']}_faults",
        notices=NOTICES,
        workdir=tmp_path_factory.mktemp("faults"),
        timeout=180.0,
        db_host=db["HOST"] or "127.0.0.1",
        db_port=int(db["PORT"] or 5432),
        db_user=db["USER"],
    ) as rig:
        yield rig
