"""A safety check for 6,000 participants: every notice out through real Celery workers
over Redis, then answers posted at once by many clients to the personal-link endpoint.

    .venv/bin/python bench/safety_check.py [participants] [workers] [concurrency] [timeout_s]

Builds (once, in the bench database) PARTICIPANTS people (default 6,000) placed with one
bench contracting organisation in Kagoshima, each with an accepted placement and a
contract in force today (rows bulk-created, the shape `safety.placed_participants`
reads; one in five reads Japanese).

(a) Notices. Starts WORKERS `celery worker` processes (default 2 x CONCURRENCY 2) on a
Redis broker of their own, as bench/event_notice.py does (its helpers), then times
`clair.services_safety.safety_check_start` (one transaction: the answers, one personal
notice each, queued on commit) and the wait until every notice is sent. Printed: time to
record, time to deliver all, throughput, duplicates and lost (both must be 0).

(b) Answers. Serves the app with gunicorn (BENCH_GUNICORN_WORKERS, default 4 gthread
workers x 4 threads) and runs `wrk` for BENCH_WRK_SECONDS (default 20) with
BENCH_WRK_CONNECTIONS (default 64) connections: each request POSTs an answer to
`/api/v1/safety-answer/<token>/`, a different token per request (bench/safety_answer.lua,
tokens from a file). Then checks the database: no non-2xx response, no socket error,
and every accepted post stored (the answers' history rows == 2xx responses; no token
with a stored post left unanswered). The exit status is 1 otherwise.
"""

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import BENCH_DB, ROOT, django_on_bench_db
from event_notice import (
    BROKER,
    CONCURRENCY,
    TIMEOUT,
    WORKERS,
    read_outbox,
    start_workers,
    stop_workers,
    wait_until,
)

PARTICIPANTS = int(sys.argv[1]) if len(sys.argv) > 1 else 6_000
PREFIX = "bench.safety."
ORGANISATION = "Bench Kagoshima Prefectural Board of Education"
PREFECTURE = "46"
BENCH_YEAR = 2040  # a programme year of its own, so no demo contract mixes in
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "20"))
WRK_CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "64"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "4"))
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
LUA = Path(__file__).with_name("safety_answer.lua")


def build():
    from django.core.management import call_command
    from django.utils import timezone

    from apps.core import services as core_services
    from apps.core.models import (
        ContractingType,
        Country,
        Kind,
        Organisation,
        Prefecture,
        ProgrammeYear,
        User,
    )
    from apps.placement.models import Contract, Placement, PositionRequest
    from apps.recruitment.models import Application

    if not User.objects.filter(username="clair").exists():
        call_command("seed_demo", "--core-only", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    clair = User.objects.get(username="clair")
    # Only the placements need a year; no pay scale or cost parameters are read here.
    year, _new = ProgrammeYear.objects.get_or_create(
        year=BENCH_YEAR,
        defaults={
            "applications_open": dt.datetime(BENCH_YEAR - 1, 9, 23, tzinfo=dt.UTC),
            "application_deadline": dt.datetime(BENCH_YEAR - 1, 11, 15, tzinfo=dt.UTC),
            "degree_deadline": dt.date(BENCH_YEAR, 6, 27),
            "results_release": dt.date(BENCH_YEAR, 3, 28),
            "reply_deadline": dt.date(BENCH_YEAR, 5, 9),
            "departure_group_a": dt.date(BENCH_YEAR, 7, 27),
            "departure_group_b": dt.date(BENCH_YEAR, 8, 3),
        },
    )
    organisation = Organisation.objects.filter(name_en=ORGANISATION).first()
    if organisation is None:
        organisation = core_services.organisation_create(
            kind=Kind.CONTRACTING,
            name_en=ORGANISATION,
            name_ja="ベンチ鹿児島県教育委員会",
            prefecture=Prefecture.objects.get(code=PREFECTURE),
            municipality="Kagoshima",
            contracting_type=ContractingType.PREFECTURE,
        )
    missing = PARTICIPANTS - User.objects.filter(username__startswith=PREFIX).count()
    if missing > 0:
        first = PARTICIPANTS - missing + 1
        countries = {c.pk: c for c in Country.objects.filter(pk__in=["US", "GB", "AU", "CA"])}
        missions = {
            m.country_id: m
            for m in Organisation.objects.filter(kind=Kind.MISSION, country__in=countries)
        }
        codes = sorted(missions)
        numbers = range(first, PARTICIPANTS + 1)
        people = User.objects.bulk_create(
            [
                User(
                    username=f"{PREFIX}{i}",
                    password="!",
                    first_name=f"Given{i}",
                    last_name=f"Family{i}",
                    email=f"safety{i}@bench.example.org",
                    language="ja" if i % 5 == 0 else "en",
                    person_role="PARTICIPANT",
                )
                for i in numbers
            ],
            batch_size=2_000,
        )
        applications = Application.objects.bulk_create(
            [
                Application(
                    number=f"BENCH-S-{i}",
                    programme_year=year,
                    applicant=person,
                    mission=missions[codes[i % len(codes)]],
                    country=countries[codes[i % len(codes)]],
                    position="ALT",
                    status=Application.Status.FORWARDED,
                    given_names=f"Given{i}",
                    family_name=f"Family{i}",
                )
                for i, person in zip(numbers, people, strict=True)
            ],
            batch_size=2_000,
        )
        positions = PositionRequest.objects.bulk_create(
            [
                PositionRequest(
                    programme_year=year,
                    organisation=organisation,
                    type="ALT",
                    school_level="SENIOR_HIGH",
                    base=f"Bench High School {i}",
                    prefecture_id=PREFECTURE,
                    municipality="Kagoshima",
                    location="URBAN",
                    housing="ASSISTED",
                    state=PositionRequest.State.APPROVED,
                )
                for i in numbers
            ],
            batch_size=2_000,
        )
        placements = Placement.objects.bulk_create(
            [
                Placement(
                    application=a,
                    position=p,
                    status=Placement.Status.ACCEPTED,
                    confirmed_by=clair,
                )
                for a, p in zip(applications, positions, strict=True)
            ],
            batch_size=2_000,
        )
        today = timezone.localdate()
        Contract.objects.bulk_create(
            [
                Contract(
                    placement=placement,
                    start_date=today - dt.timedelta(days=100),
                    end_date=today + dt.timedelta(days=265),
                    remuneration=3_360_000,
                    status=Contract.Status.IN_FORCE,
                    participant_signature="Bench",
                    participant_signed_at=dt.datetime(BENCH_YEAR, 7, 1, tzinfo=dt.UTC),
                )
                for placement in placements
            ],
            batch_size=2_000,
        )
    return clair


def notices(clair) -> tuple[int, bool, object]:
    """(a): start the check, wait until every notice is sent; print the figures."""
    from django.db.models import Max
    from django.utils import timezone

    from apps.notifications.models import Notification
    from apps.safety import services
    from apps.safety.models import SafetyCheck
    from jetadmin.celery import app

    # Earlier runs' checks are closed first, so only this one is open and answered.
    for old in SafetyCheck.objects.filter(state="OPEN", title_en__startswith="Bench"):
        services.safety_check_close(by=clair, check=old)
    app.control.purge()
    failed = False
    with tempfile.TemporaryDirectory(prefix="jetadmin-bench-safety-") as tmp:
        outbox, logs = Path(tmp) / "outbox", Path(tmp)
        outbox.mkdir()
        workers = start_workers(outbox, logs)
        try:
            if not wait_until(lambda: len(app.control.ping(timeout=0.5)) >= WORKERS, 60, 0.5):
                print("the workers did not answer within 60 s")
                sys.exit(2)
            t0, wall0 = time.perf_counter(), timezone.now()
            check = services.safety_check_start(
                by=clair,
                kind=SafetyCheck.Kind.EARTHQUAKE,
                title_en=f"Bench earthquake {wall0:%H:%M:%S}",
                title_ja="ベンチ地震",
                message_en="A strong earthquake struck Kagoshima. Tell us that you are safe.",
                message_ja="鹿児島で強い地震が発生しました。安否をお知らせください。",
                prefectures=[PREFECTURE],
            )
            queued = time.perf_counter() - t0
            rows = Notification.objects.filter(key__startswith=f"safety_check_started:{check.pk}:")
            recorded = rows.count()
            last = rows.aggregate(last=Max("created_at"))["last"]
            recording = (last - wall0).total_seconds() if last else 0.0
            done = wait_until(
                lambda: not rows.exclude(state=Notification.State.SENT).exists(), TIMEOUT, 0.2
            )
            elapsed = time.perf_counter() - t0
        finally:
            stop_workers(workers)
        sent = rows.filter(state=Notification.State.SENT).count()
        files, recipients = read_outbox(outbox)
    expected = set(check.answers.values_list("participant__email", flat=True))
    distinct = set(recipients)
    duplicates = len(recipients) - len(distinct)
    lost = max(len(expected - distinct), recorded - sent)
    print(f"(a) safety check {check.pk} for {len(expected):,} participants")
    print(
        f"  start: {recorded:,} notices recorded and queued in {queued:.2f} s "
        f"(rows written after {recording:.2f} s)"
    )
    if not done:
        print(f"  NOT DONE: {recorded - sent:,} notices unsent after {TIMEOUT:.0f} s")
    print(f"  time until every notice is out {elapsed:8.2f} s")
    print(f"  throughput                     {sent / elapsed:8.0f} notices/s")
    print(f"  delivered                      {sent:8,} of {recorded:,} ({files:,} mail files)")
    print(f"  duplicates                     {duplicates:8,}")
    print(f"  lost                           {lost:8,}")
    failed = duplicates or lost or recorded != PARTICIPANTS or not done
    return check, bool(failed)


def answers(check) -> bool:
    """(b): many clients answer at once through the personal-link endpoint."""
    from apps.safety.models import SafetyAnswer

    wrk = shutil.which("wrk")
    if wrk is None:
        print("(b) skipped: wrk is not installed (apt-get install wrk)")
        return True
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jetadmin.settings.local",
        "DEBUG": "false",
        "CELERY_BROKER_URL": BROKER,
        "LOG_LEVEL": "WARNING",
        # Every answer comes from this one address; people answer from their own. DRF's
        # user throttle counts an anonymous caller by address too, so both are lifted.
        "THROTTLE_ANON": "100000000/min",
        "THROTTLE_USER": "100000000/min",
    }
    with tempfile.TemporaryDirectory(prefix="jetadmin-bench-answers-") as tmp:
        tokens = Path(tmp) / "tokens.txt"
        tokens.write_text("\n".join(check.answers.order_by("?").values_list("token", flat=True)))
        log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115 - gunicorn's, until it ends
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "jetadmin.wsgi",
                f"--bind=127.0.0.1:{PORT}",
                f"--workers={GUNICORN_WORKERS}",
                "--worker-class=gthread",
                "--threads=4",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            import urllib.request

            def up() -> bool:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                except OSError as exc:
                    return getattr(exc, "code", None) is not None
                return True

            if not wait_until(up, 60, 0.5):
                print(
                    "(b) gunicorn did not start:", (Path(tmp) / "gunicorn.log").read_text()[-2000:]
                )
                return False
            result = subprocess.run(
                [
                    wrk,
                    f"-t{WRK_THREADS}",
                    f"-c{WRK_CONNECTIONS}",
                    f"-d{WRK_SECONDS}s",
                    "--timeout=10s",
                    "--latency",
                    "-s",
                    str(LUA),
                    f"http://127.0.0.1:{PORT}/api/v1/safety-answer/",
                    "--",
                    str(tokens),
                    str(WRK_THREADS),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    out = result.stdout
    counts = dict(re.findall(r"^(ok|non2xx|requests)=(\d+)$", out, re.MULTILINE))
    ok, non2xx = int(counts.get("ok", 0)), int(counts.get("non2xx", -1))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    rate = re.search(r"Requests/sec:\s+(\S+)", out)
    stored = SafetyAnswer.history.filter(safety_check_id=check.pk).count()
    answered = check.answers.exclude(status="").count()
    unanswered_with_post = check.answers.filter(
        status="", pk__in=SafetyAnswer.history.values("id")
    ).count()
    print(
        f"(b) wrk {WRK_SECONDS} s, {WRK_CONNECTIONS} connections, {WRK_THREADS} threads -> "
        f"gunicorn {GUNICORN_WORKERS} gthread workers x 4 threads"
    )
    print(f"  answers posted (2xx)     {ok:8,}")
    print(f"  non-2xx responses        {non2xx:8,}")
    print(f"  socket errors            {socket_errors.group(1) if socket_errors else 'none'}")
    print(f"  throughput               {rate.group(1) if rate else '?':>8} answers/s")
    print(
        f"  latency median / p90 / p99  {latency.get('50', '?')} / {latency.get('90', '?')} / "
        f"{latency.get('99', '?')}"
    )
    # wrk stops at the deadline without reading the responses still on the way: the
    # server finished those (at most one per connection) and stored them too.
    in_flight = stored - ok
    print(f"  history rows stored      {stored:8,} (2xx + {in_flight} in flight at the deadline)")
    print(f"  participants answered    {answered:8,} of {check.answers.count():,}")
    # A wrk thread faster than the others wraps round its share of the links (see the
    # Lua script): the same person answering again, kept as one more history row.
    print(f"  second answers to a link {stored - answered:8,}")
    print(f"  posted but unanswered    {unanswered_with_post:8,}")
    failed = (
        non2xx != 0
        or socket_errors
        or not 0 <= in_flight <= WRK_CONNECTIONS
        or unanswered_with_post
        or not ok
    )
    if failed:
        print(out[-3000:], result.stderr[-2000:])
    return not failed


def main():
    os.environ["CELERY_BROKER_URL"] = BROKER
    django_on_bench_db()
    from django.conf import settings

    from jetadmin.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER
    started = time.perf_counter()
    clair = build()
    print(
        f"{PARTICIPANTS:,} placed participants ready in {time.perf_counter() - started:.1f} s; "
        f"{WORKERS} workers x {CONCURRENCY}; broker {BROKER}; database {BENCH_DB} "
        f"({settings.DATABASES['default']['NAME']})"
    )
    check, failed = notices(clair)
    ok = answers(check)
    if failed or not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
