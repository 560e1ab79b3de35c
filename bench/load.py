"""Throughput of every role's scoped API lists and the busiest pages, on the production
shape of this machine, each against a floor measured in the same run.

    make bench-load                       # demo scale, then the scaled world
    .venv/bin/python bench/load.py [--seconds S] [--connections C] [--applications A]
                                   [--contracts K] [--demo-only]

The stack is the one docker-compose.yml runs: gunicorn with jetadmin/gunicorn_conf.py and
the production settings, a Celery worker, PostgreSQL (a database of the bench's own,
BENCH_LOAD_DATABASE, default jetadmin_bench_load, and the same name with _scaled for the
scaled world, kept between runs) and Redis (the cache
the throttles count in, and the broker). The load generator is `wrk` (Debian's package),
on the same two cores: its share of them is part of every figure, the floor's included.

1. The demo world (`seed_demo`), then every list of /api/v1/ that a scoped role reads
   (applications, contracts, placements, registrations, re-appointment cases, safety
   checks and a check's answers, support cases, notifications), as each kind of account
   that has rows in it, with an API token; the busiest pages (the mission's application
   list, CLAIR's placement board, the participant's home, the schedule) with a session
   cookie, one connection at a time, so that their latency is the server's time.
2. The same lists in the scaled world: A applications (default 200,000) over the demo's
   missions and K contracts (default 20,000), each with its placement and position, over
   the demo's contracting organisations, with the grants the services give.

The floor: the same stack, the same token, the same pager, /api/v1/prefectures/ (47 rows
of reference data, no scoping). Each list is driven in one-second slices, each between
two slices of the floor (SLICE_SECONDS). Printed per endpoint: the medians of its slices'
requests/s, p50 and p99, its non-2xx, and its ratio to the floor, the median of each
slice's requests/s over the floor slices either side of it; after each list, the floor
slices measured beside it. The exit status is 1 when any answer is not 2xx.
The throttles stay on (their Redis round trip is part of every API request); only the
per-person rate is raised, since one token drives thousands of requests a second here.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

from _setup import applications_insert

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("BENCH_LOAD_DATABASE", "jetadmin_bench_load")
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8766"))
BROKER = os.environ.get("BENCH_LOAD_BROKER_URL", "redis://127.0.0.1:6379/12")
CACHE = os.environ.get("BENCH_LOAD_CACHE_URL", "redis://127.0.0.1:6379/13")

# One account of each kind that reads scoped lists (the others of a kind read the same
# queries with other ids).
ACCOUNTS = ["clair", "mofa", "embassy.us", "mic", "mext", "co.hyogo", "applicant", "participant"]
LISTS = [
    "applications",
    "contracts",
    "placements",
    "registrations",
    "reappointment-cases",
    "safety-checks",
    "support-cases",
    "notifications",
]
FLOOR = ("floor", "participant", "/api/v1/prefectures/")
PAGES = [
    ("page: mission applications", "embassy.us", "/mofa/mission/applications/"),
    ("page: placement board", "clair", "/clair/placement/"),
    ("page: participant home", "participant", "/participant/"),
    ("page: schedule", "participant", "/programme/schedule/"),
]


def stack_env(secret_key: str, database: str = DATABASE) -> dict:
    env = {**os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="jetadmin.settings.production",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback, no TLS proxy in front
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        CELERY_BROKER_URL=BROKER,
        CACHE_URL=CACHE,
        EMAIL_URL="dummymail://",
        TRUSTED_PROXY_COUNT="0",
        THROTTLE_USER="10000000/min",
        # The reverse proxy in front keeps the access log; here it would only fill a file.
        GUNICORN_ACCESS_LOG=os.environ.get("GUNICORN_ACCESS_LOG", ""),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.pop("JETADMIN_CLOCK", None)
    return env


# --- in a Django process of the stack's settings ----------------------------------------


def prepare(applications: int, contracts: int) -> dict:
    """Migrate and seed when new, grow the scaled world to the sizes asked, and give each
    account a token and a session (made with the stack's secret key)."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from knox.models import AuthToken

    from apps.core.models import ProgrammeYear, User

    call_command("migrate", verbosity=0)
    if not ProgrammeYear.objects.filter(is_current=True).exists():
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    sizes = scale(applications, contracts) if applications or contracts else {}
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum would have done by now on a live database (it may be off on a
        # development machine): without statistics the planner guesses every table's size.
        cursor.execute("ANALYZE")
    accounts = {}
    for user in User.objects.filter(username__in=ACCOUNTS):
        _, token = AuthToken.objects.create(user)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        accounts[user.username] = {"token": token, "session": session.session_key}
    return {"accounts": accounts, "sizes": sizes}


def scale(applications: int, contracts: int) -> dict:
    """Bulk rows beside the demo's, in the shape the services write, with their grants."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from apps.core.models import Kind, Organisation, Prefecture, ProgrammeYear
    from apps.placement.models import Contract, Placement, PositionRequest
    from apps.recruitment.models import Application

    year = ProgrammeYear.objects.get(is_current=True)
    missions = list(Organisation.objects.filter(kind=Kind.MISSION).order_by("pk"))
    have = Application.objects.filter(number__startswith="L").count()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, codename FROM auth_permission WHERE codename IN "
            "('view_application', 'view_placement', 'change_placement', 'view_contract', "
            "'change_contract')"
        )
        perm = {codename: pk for pk, codename in cursor.fetchall()}
        if have < applications:
            applications_insert(
                cursor,
                letter="L",
                users="load.applicant.",
                start=have + 1,
                end=applications,
                year_id=year.pk,
                mission_ids=[m.pk for m in missions],
                view_permission_id=perm["view_application"],
            )
        placed = Contract.objects.filter(placement__application__number__startswith="L").count()
        if placed < contracts:
            organisations = list(Organisation.objects.filter(kind=Kind.CONTRACTING))
            prefectures = list(Prefecture.objects.order_by("code"))
            clair = Organisation.objects.get(kind=Kind.CLAIR).memberships.first().user
            free = list(
                Application.objects.filter(number__startswith="L", placements__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[: contracts - placed]
            )
            positions = PositionRequest.objects.bulk_create(
                PositionRequest(
                    programme_year=year,
                    organisation=organisations[i % len(organisations)],
                    type="ALT",
                    school_level="MIXED",
                    base=f"Load school {i}",
                    prefecture=prefectures[i % len(prefectures)],
                    municipality="Load town",
                    location="RURAL",
                    housing="PROVIDED",
                    state="APPROVED",
                )
                for i in range(len(free))
            )
            placements = Placement.objects.bulk_create(
                Placement(
                    application_id=application,
                    position=position,
                    status="ACCEPTED",
                    confirmed_by=clair,
                )
                for application, position in zip(free, positions, strict=True)
            )
            start = dt.date(year.year, 8, 1)
            signed = timezone.now()
            made = Contract.objects.bulk_create(
                Contract(
                    placement=placement,
                    start_date=start,
                    end_date=start.replace(year=start.year + 1) - dt.timedelta(days=1),
                    remuneration=3_360_000,
                    status="IN_FORCE",
                    participant_signature=f"Load participant {placement.application_id}",
                    participant_signed_at=signed,
                    countersigned_at=signed,
                )
                for placement in placements
            )
            ids = [contract.pk for contract in made]
            cursor.execute(
                """
                INSERT INTO programme_placementgroupobjectpermission
                    (permission_id, group_id, content_object_id)
                SELECT p.perm, o.group_id, pl.id FROM programme_placement pl
                JOIN programme_positionrequest r ON r.id = pl.position_id
                JOIN core_organisation o ON o.id = r.organisation_id
                CROSS JOIN unnest(%(placement_perms)s::int[]) AS p(perm)
                WHERE pl.id IN (SELECT placement_id FROM programme_contract
                                WHERE id = ANY(%(ids)s));

                INSERT INTO programme_placementgroupobjectpermission
                    (permission_id, group_id, content_object_id)
                SELECT %(view_placement)s, m.group_id, pl.id FROM programme_placement pl
                JOIN programme_application a ON a.id = pl.application_id
                JOIN core_organisation m ON m.id = a.mission_id
                WHERE pl.id IN (SELECT placement_id FROM programme_contract
                                WHERE id = ANY(%(ids)s));

                INSERT INTO programme_placementuserobjectpermission
                    (permission_id, user_id, content_object_id)
                SELECT %(view_placement)s, a.applicant_id, pl.id FROM programme_placement pl
                JOIN programme_application a ON a.id = pl.application_id
                WHERE pl.id IN (SELECT placement_id FROM programme_contract
                                WHERE id = ANY(%(ids)s));

                INSERT INTO programme_contractgroupobjectpermission
                    (permission_id, group_id, content_object_id)
                SELECT p.perm, o.group_id, c.id FROM programme_contract c
                JOIN programme_placement pl ON pl.id = c.placement_id
                JOIN programme_positionrequest r ON r.id = pl.position_id
                JOIN core_organisation o ON o.id = r.organisation_id
                CROSS JOIN unnest(%(contract_perms)s::int[]) AS p(perm)
                WHERE c.id = ANY(%(ids)s);

                INSERT INTO programme_contractuserobjectpermission
                    (permission_id, user_id, content_object_id)
                SELECT %(view_contract)s, a.applicant_id, c.id FROM programme_contract c
                JOIN programme_placement pl ON pl.id = c.placement_id
                JOIN programme_application a ON a.id = pl.application_id
                WHERE c.id = ANY(%(ids)s);
                """,
                {
                    "ids": ids,
                    "placement_perms": [perm["view_placement"], perm["change_placement"]],
                    "contract_perms": [perm["view_contract"], perm["change_contract"]],
                    "view_placement": perm["view_placement"],
                    "view_contract": perm["view_contract"],
                },
            )
    # As autovacuum would have done on a live database: statistics and visibility map.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "applications": Application.objects.count(),
        "contracts": Contract.objects.count(),
    }


# --- the stack ------------------------------------------------------------------------


def database_create(database: str) -> None:
    found = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    if not found.stdout.strip():
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)


def django_call(env: dict, function: str, *args) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--django", function, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{function} failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start(env: dict, logs: Path) -> list[subprocess.Popen]:
    """gunicorn as docker-compose.yml starts it, and one Celery worker."""
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "jetadmin.wsgi:application",
         "--config", "jetadmin/gunicorn_conf.py", f"--bind=127.0.0.1:{PORT}"],
        cwd=ROOT, env=env, stdout=(logs / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "jetadmin", "worker", "--concurrency=1",
         "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=(logs / "worker.log").open("w"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get("/healthz", {})[0] in (200, 503):
                return [web, worker]
        except OSError:
            time.sleep(0.3)
    stop([web, worker])
    raise SystemExit("gunicorn did not start:\n" + (logs / "gunicorn.log").read_text()[-3000:])


def stop(processes: list[subprocess.Popen]) -> None:
    import signal

    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def get(path: str, headers: dict) -> tuple[int, bytes]:
    connection = HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def credentials(account: dict, path: str) -> dict:
    if path.startswith("/api/"):
        return {"Authorization": f"Token {account['token']}", "Accept": "application/json"}
    return {"Cookie": f"sessionid={account['session']}", "Accept-Language": "en"}


# --- the load -------------------------------------------------------------------------

LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(path: str, headers: dict, seconds: int, connections: int) -> dict:
    threads = min(2, connections)  # wrk needs a connection per thread
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    latency = {key: float(value) * UNITS[unit] for key, value, unit in LATENCY.findall(output)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency.get("50", float("nan")),
        "p99": latency.get("99", float("nan")),
        "non2xx": (int(bad.group(1)) if bad else 0)
        + (sum(map(int, errors.groups())) if errors else 0),
    }


def endpoints(accounts: dict) -> list[tuple[str, str, str]]:
    """Each (list, account) whose first page answers 200 with rows."""
    found = []
    for name in LISTS:
        for username in ACCOUNTS:
            path = f"/api/v1/{name}/"
            status, body = get(path, credentials(accounts[username], path))
            rows = json.loads(body)["results"] if status == 200 else []
            if rows:
                found.append((name, username, path))
            if rows and name == "safety-checks":
                # A check's answers: the list a safety confirmation's staff watch.
                answers = f"{path}{rows[0]['id']}/answers/"
                if get(answers, credentials(accounts[username], answers))[0] == 200:
                    found.append(("safety-answers", username, answers))
    return found


# Each list is measured in one-second slices, each between two slices of the floor, and
# its ratio is the median of its slices' ratios to the floor slices either side of them:
# this machine's speed drifts within a run (the floor has read 248 and 683 requests/s
# minutes apart on the same code), and only a floor measured in the same seconds as the
# list takes that drift out of the ratio. Blocks of five seconds (FLOOR_EVERY lists
# between floors, until 2026-12-05) still left the ratios twice as wide as the changes
# they were to show.
SLICE_SECONDS = 1


def measure(
    label: str, targets: list, accounts: dict, seconds: int, connections: int
) -> list[dict]:
    rows = []
    for name, username, path in targets:
        headers = credentials(accounts[username], path)
        status, _ = get(path, headers)  # a redirect (to sign in) must not count as served
        figures = wrk(path, headers, seconds, connections)
        if status != 200:
            figures["non2xx"] += 1
        rows.append(
            {
                "world": label,
                "endpoint": name,
                "account": username,
                "connections": connections,
                **figures,
            }
        )
    return rows


def measure_lists(
    label: str, targets: list, accounts: dict, seconds: int, connections: int
) -> list[dict]:
    """Each list in `seconds` slices, each between two slices of the floor. A list's row
    carries the medians of its slices and `ratio`, the median of each slice's requests/s
    over the mean of the floor slices either side of it; the floor's row, one per list,
    the median of the slices measured beside it."""
    slices = max(1, seconds // SLICE_SECONDS)
    rows = []
    for target in targets:
        floors = measure(label, [FLOOR], accounts, SLICE_SECONDS, connections)
        parts = []
        for _ in range(slices):
            parts += measure(label, [target], accounts, SLICE_SECONDS, connections)
            floors += measure(label, [FLOOR], accounts, SLICE_SECONDS, connections)
        ratios = [
            part["rps"] / statistics.mean((before["rps"], after["rps"]))
            for part, before, after in zip(parts, floors, floors[1:], strict=False)
        ]
        rows.append(
            {
                **_median_of(parts),
                "non2xx": sum(part["non2xx"] for part in parts),
                "ratio": statistics.median(ratios),
            }
        )
        rows.append({**_median_of(floors), "non2xx": sum(f["non2xx"] for f in floors)})
    return rows


def _median_of(parts: list[dict]) -> dict:
    figures = {key: statistics.median(part[key] for part in parts) for key in ("rps", "p50", "p99")}
    return {**parts[0], **figures}


def report(rows: list[dict]) -> None:
    """The table, then each world's lists against the issue's marks (the README keeps a
    run's output)."""
    floors = {}
    for row in rows:
        if row["endpoint"] == "floor":
            floors.setdefault(row["world"], []).append(row["rps"])
    floor = {world: statistics.median(runs) for world, runs in floors.items()}
    print(
        f"{'world':<7} {'endpoint':<28} {'account':<12} {'conns':>5} {'req/s':>7} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'non2xx':>6} {'x floor':>7}"
    )
    for row in rows:
        ratio = row.get("ratio", row["rps"] / floor[row["world"]])
        print(
            f"{row['world']:<7} {row['endpoint']:<28} {row['account']:<12} "
            f"{row['connections']:>5} {row['rps']:>7.0f} {row['p50']:>7.1f} {row['p99']:>7.1f} "
            f"{row['non2xx']:>6} {ratio:>7.2f}"
        )
    print()
    for world, mark in (("demo", 0.8), ("scaled", 0.6)):
        lists = [r for r in rows if r["world"] == world and r["connections"] > 1]
        lists = [r for r in lists if r["endpoint"] != "floor"]
        if not lists:
            continue
        ratios = sorted(r.get("ratio", r["rps"] / floor[world]) for r in lists)
        print(
            f"{world}: floor {floor[world]:.0f} req/s (median of the {len(floors[world])} "
            f"lists' floors, {min(floors[world]):.0f}-{max(floors[world]):.0f}); "
            f"{len(lists)} lists, each the median of its slices against the floor slices "
            "either side of them: ratio "
            f"min {ratios[0]:.2f}, median {statistics.median(ratios):.2f}; "
            f"{sum(x >= mark for x in ratios)} at or above {mark}; "
            f"{sum(r['rps'] >= 400 for r in lists)} at 400 req/s or more; "
            f"{sum(r['p99'] < 100 for r in lists)} with p99 under 100 ms"
        )
    pages = [r for r in rows if r["endpoint"].startswith("page:")]
    if pages:
        medians = ", ".join(f"{r['p50']:.0f}" for r in pages)
        under = sum(r["p50"] < 50 for r in pages)
        print(f"pages, one connection: p50 {medians} ms; {under} of {len(pages)} under 50 ms")
    print(f"non-2xx answers in all: {sum(r['non2xx'] for r in rows)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--contracts", type=int, default=20_000)
    parser.add_argument("--demo-only", action="store_true")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench/load.py needs wrk: apt-get install wrk")

    secret_key = secrets.token_urlsafe(40)
    env = stack_env(secret_key)
    logs = ROOT / "test-artifacts" / "bench-load"
    logs.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip

    # Each world in a database of its own, kept between runs: the demo world stays at the
    # demo's size however large the scaled one grows.
    worlds = [("demo", DATABASE, 0, 0)]
    if not options.demo_only:
        worlds.append(("scaled", f"{DATABASE}_scaled", options.applications, options.contracts))
    rows = []
    for label, database, applications, contracts in worlds:
        database_create(database)
        env = stack_env(secret_key, database)
        prepared = django_call(env, "prepare", applications, contracts)
        accounts = prepared["accounts"]
        processes = start(env, logs)
        try:
            for _warm in range(6):  # every gunicorn process loads the URLs once
                get(FLOOR[2], credentials(accounts[FLOOR[1]], FLOOR[2]))
            targets = endpoints(accounts)
            sizes = prepared["sizes"]
            print(
                f"== {label}: {len(targets)} API lists, {options.seconds} s each, "
                f"{options.connections} connections"
                + (f"; {sizes['applications']:,} applications, {sizes['contracts']:,} contracts"
                   if sizes else ""),
                flush=True,
            )  # fmt: skip
            rows += measure_lists(label, targets, accounts, options.seconds, options.connections)
            if label == "demo":
                rows += measure(label, PAGES, accounts, options.seconds, 1)
        finally:
            stop(processes)
    report(rows)
    return 1 if any(row["non2xx"] for row in rows) else 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--django":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(globals()[sys.argv[2]](*map(int, sys.argv[3:]))))
    else:
        sys.exit(main())
