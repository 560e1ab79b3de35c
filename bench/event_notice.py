"""An event change told to 6,000 registrants, delivered by real Celery workers over Redis.

    .venv/bin/python bench/event_notice.py [registrants] [workers] [concurrency] [timeout_s]

Builds (once, in the bench database) a CLAIR event with at least REGISTRANTS people
registered (default 6,000, a Tokyo Orientation's size; users and registrations bulk-created, one in
five reading Japanese). Then starts WORKERS `celery -A jetadmin worker` processes (default
2, each with CONCURRENCY prefork children, default 2) against the bench database and a
Redis broker of their own (BENCH_BROKER_URL, default redis://127.0.0.1:6379/14), with
tasks not eager and the file-based mail backend writing into a fresh temporary directory,
so every message a worker hands over is on disk whichever process sent it.

Timed: `apps.events.services.event_update` (one transaction records one `event_changed`
notification per registrant; after commit each is queued for `notification_deliver`), then
the wait until every one of those rows is marked sent (bounded by TIMEOUT, default 300 s).
Printed: the time to record and queue, the time to deliver all, throughput, rows sent,
emails written, distinct recipients, duplicates and lost (both must be 0: the exit status
is 1 otherwise). Each run changes the event once more, so it sends a fresh set.

Delivery costs CPU in PostgreSQL, Redis and the workers alike: on a small machine more
worker processes than cores do not send faster.
"""

import email
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import BENCH_DB, ROOT, django_on_bench_db

REGISTRANTS = int(sys.argv[1]) if len(sys.argv) > 1 else 6_000
WORKERS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
CONCURRENCY = int(sys.argv[3]) if len(sys.argv) > 3 else 2
TIMEOUT = float(sys.argv[4]) if len(sys.argv) > 4 else 300.0
# Not the test suite's broker (database 15): a test's worker must not take these tasks.
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
TITLE = "Bench: Tokyo Orientation (change notice)"
PREFIX = "bench.registrant."
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what the file-based backend writes after a message


def build():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.core.management import call_command

    from apps.core.models import ProgrammeYear, User
    from apps.events import services as events
    from apps.events.models import Event, Registration

    if not ProgrammeYear.objects.filter(is_current=True).exists():
        # The organisations, accounts and years are all this needs.
        call_command("seed_demo", "--core-only", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    year = ProgrammeYear.objects.get(is_current=True)
    clair = User.objects.get(username="clair")
    event = Event.objects.filter(title_en=TITLE).first()
    if event is None:
        tokyo = ZoneInfo("Asia/Tokyo")
        event = events.event_create(
            by=clair,
            programme_year=year,
            kind=Event.Kind.TOKYO_ORIENTATION,
            title_en=TITLE,
            title_ja="ベンチマーク 東京オリエンテーション 変更通知",
            venue_en="Keio Plaza Hotel Tokyo",
            venue_ja="京王プラザホテル",
            time_zone="Asia/Tokyo",
            starts_at=dt.datetime(year.year, 7, 26, 9, tzinfo=tokyo),
            ends_at=dt.datetime(year.year, 7, 28, 12, tzinfo=tokyo),
            audience=Event.Audience.NEW_PARTICIPANTS,
        )
    have = set(User.objects.filter(username__startswith=PREFIX).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(
                username=f"{PREFIX}{i}",
                password="!",  # unusable: nobody signs in as these
                first_name=f"Given{i}",
                last_name=f"Family{i}",
                email=f"registrant{i}@bench.example.org",
                language="ja" if i % 5 == 0 else "en",
                person_role="PARTICIPANT",
            )
            for i in range(1, REGISTRANTS + 1)
            if f"{PREFIX}{i}" not in have
        ],
        batch_size=2_000,
    )
    people = User.objects.filter(username__startswith=PREFIX).exclude(registrations__event=event)
    Registration.objects.bulk_create(
        [
            Registration(event=event, person_id=pk, state=Registration.State.REGISTERED)
            for pk in people.values_list("pk", flat=True)
        ],
        batch_size=2_000,
    )
    return clair, event


def start_workers(outbox: Path, logs: Path) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        # The settings a deployment uses, from the environment: eager only without a broker.
        "DJANGO_SETTINGS_MODULE": "jetadmin.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "CELERY_BROKER_URL": BROKER,
        # django-environ drops the first slash of the path: four make it absolute.
        "EMAIL_URL": f"filemail:///{outbox}",
        "LOG_LEVEL": "WARNING",
    }
    workers = []
    for n in range(WORKERS):
        log = open(logs / f"worker-{n}.log", "w")  # noqa: SIM115 - the worker's, until it ends
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "jetadmin",
                    "worker",
                    "--pool=prefork",
                    f"--concurrency={CONCURRENCY}",
                    f"--hostname=bench-notice-{n}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so we stop it and its children
            )
        )
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)  # warm shutdown: finish the task in hand
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def read_outbox(outbox: Path) -> tuple[int, list[str]]:
    """The files the workers wrote and the recipient of every message in them."""
    files = sorted(outbox.iterdir())
    recipients = []
    for path in files:
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                recipients.append(email.message_from_bytes(chunk)["To"])
    return len(files), recipients


def main():
    os.environ["CELERY_BROKER_URL"] = BROKER
    django_on_bench_db()
    from django.conf import settings
    from django.db.models import Max
    from django.utils import timezone

    from apps.core.models import User
    from apps.events import services as events
    from apps.notifications.models import Notification
    from jetadmin.celery import app

    # This process only publishes: through Redis, not in-process as the test settings do.
    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER

    started = time.perf_counter()
    clair, event = build()
    registrants = event.registrations.filter(state="REGISTERED").count()
    expected = set(
        User.objects.filter(registrations__event=event, registrations__state="REGISTERED")
        .values_list("email", flat=True)
        .distinct()
    )
    print(
        f"event {event.pk} with {registrants:,} registrants (built in "
        f"{time.perf_counter() - started:.1f} s); {WORKERS} workers x {CONCURRENCY} "
        f"processes; broker {BROKER}; database {BENCH_DB} ({settings.DATABASES['default']['NAME']})"
    )
    app.control.purge()  # leftovers of an interrupted run would be counted as ours

    with tempfile.TemporaryDirectory(prefix="jetadmin-bench-notice-") as tmp:
        outbox, logs = Path(tmp) / "outbox", Path(tmp)
        outbox.mkdir()
        workers = start_workers(outbox, logs)
        try:
            ready = wait_until(
                lambda: len(app.control.ping(timeout=0.5)) >= WORKERS, 60, interval=0.5
            )
            if not ready:
                print("the workers did not answer within 60 s; their logs:")
                for log in sorted(logs.glob("worker-*.log")):
                    print(log.read_text()[-3000:])
                sys.exit(2)

            t0, wall0 = time.perf_counter(), timezone.now()
            event = events.event_update(
                by=clair,
                event=event,
                venue_en=f"Keio Plaza Hotel Tokyo, Concord Ballroom (change {event.sequence + 1})",
            )
            queued = time.perf_counter() - t0
            rows = Notification.objects.filter(
                key__startswith=f"event_changed:{event.pk}:{event.sequence}:"
            )
            recorded = rows.count()
            last_row = rows.aggregate(last=Max("created_at"))["last"]
            recording = (last_row - wall0).total_seconds() if last_row else 0.0
            done = wait_until(
                lambda: not rows.exclude(state=Notification.State.SENT).exists(),
                TIMEOUT,
                interval=0.2,
            )
            elapsed = time.perf_counter() - t0
        finally:
            stop_workers(workers)

        sent = rows.filter(state=Notification.State.SENT).count()
        retried = rows.filter(attempts__gt=1).count()
        files, recipients = read_outbox(outbox)
        distinct = set(recipients)
        duplicates = len(recipients) - len(distinct)
        # A registrant with no message, or a row never marked sent.
        lost = max(len(expected - distinct), recorded - sent)
        strangers = len(distinct - expected)
        errors = [
            line
            for log in sorted(logs.glob("worker-*.log"))
            for line in log.read_text().splitlines()
            if "ERROR" in line or "Traceback" in line
        ]

    print(
        f"  event_update: {recorded:,} notifications recorded and queued in {queued:.2f} s "
        f"(rows written after {recording:.2f} s, the rest queueing the delivery tasks on commit)"
    )
    if not done:
        print(f"  NOT DONE: {recorded - sent:,} rows still unsent after {TIMEOUT:.0f} s")
    print(f"  time to deliver all      {elapsed:8.2f} s (from the change to the last row sent)")
    print(f"  throughput               {sent / elapsed:8.0f} notifications/s")
    print(
        f"  rows sent                {sent:8,} of {recorded:,} (more than one attempt: {retried})"
    )
    print(f"  emails written           {len(recipients):8,} in {files:,} files")
    print(f"  distinct recipients      {len(distinct):8,} of {len(expected):,} registrants")
    print(f"  duplicates               {duplicates:8,}")
    print(f"  lost                     {lost:8,}")
    if strangers:
        print(f"  mail to {strangers} addresses of nobody registered")
    for line in errors[:10]:
        print(f"  worker: {line}")
    if duplicates or lost or strangers or recorded != registrants:
        sys.exit(1)


if __name__ == "__main__":
    main()
