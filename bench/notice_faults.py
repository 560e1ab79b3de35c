"""Notices that survive faults: an event change told to every registrant while the worker,
its prefork children, the broker or the database connections are killed mid fan-out.

    .venv/bin/python bench/notice_faults.py [notices] [timeout_s]

Each run builds a stack of its own and takes it down at the end, also on failure: a
PostgreSQL database (FAULTS_DATABASE, default jetadmin_bench_faults; migrated, seeded with
`seed_demo --core-only`, then bench/event_notice.py's event with NOTICES registrants,
default 6,000), a `redis-server` on a free loopback port as the broker (never the shared
one), `celery -A jetadmin worker` (one, prefork, two children) started as
bench/event_notice.py starts them, gunicorn with the production settings where a fault
needs the web, and the file mail backend, so every email handed over is a file.

The faults (each on a fresh change of the event, so a fresh set of notices):
  worker killed     the worker's main process SIGKILLed mid fan-out; a fresh worker, the sweep
  children killed   its prefork children SIGKILLed four times mid fan-out; the sweep
  broker killed     redis-server SIGKILLed mid fan-out (its queue is gone), restarted; the sweep
  broker down       redis-server down before PATCH /api/v1/events/<id>/ through gunicorn
                    (timed; median of 3): every notice waits PENDING; the broker back, a
                    worker and the sweep
  database dropped  every database connection but ours terminated three times mid fan-out;
                    the sweep

The sweep is beat's `notifications_sweep`, sent to the worker once nothing else is in
flight. The workers run with NOTIFICATION_CLAIM_TIMEOUT_MINUTES=0 and
NOTIFICATION_RESEND_AFTER_MINUTES=0, standing in for the minutes a deployment waits
before it sends late and dead claims again.

Printed per fault: notices recorded, rows SENT, emails written, distinct Message-IDs,
lost (a notice with no email or not recorded sent), doubled (emails beyond one per
Message-ID), of which deaths inside the mail exchange (a notice written to the mail
server and its worker killed before it recorded so: the sweep sends it again, the same
message with the same Message-ID), notices claimed again after a dead claim, and the
recovery time (from the fault to the last row sent). Exit status 1 if a notice is lost,
or doubled other than by a death inside the exchange.

tests/faults/ runs the same faults at 800 notices and asserts on these figures.
"""

import contextlib
import dataclasses
import email
import importlib
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from http.client import HTTPConnection
from pathlib import Path

import psycopg2

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PASSWORD = os.environ.get("DEMO_PASSWORD", "jet-demo-2027")
ORGANISER = "clair"
VENUE = "Keio Plaza Hotel Tokyo, Concord Ballroom"
CONCURRENCY = 2  # prefork children of the one worker
STARTUP_TIMEOUT = 120.0
MESSAGE_PK = re.compile(r"<notification\.(\d+)\.")


def event_notice():
    """bench/event_notice.py, whose building blocks these are. It reads its command-line
    arguments when imported, so it is imported with none."""
    if "event_notice" not in sys.modules:
        if str(BENCH) not in sys.path:
            sys.path.insert(0, str(BENCH))
        argv, sys.argv = sys.argv, sys.argv[:1]
        try:
            importlib.import_module("event_notice")
        finally:
            sys.argv = argv
    return sys.modules["event_notice"]


# --- run inside a Django process on the faults database (Rig.django) -------------------


def world_build(notices: int) -> int:
    """Migrate, seed the core and build the event with `notices` registrants; its id."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    notice = event_notice()
    notice.REGISTRANTS = notices
    _clair, event = notice.build()
    return event.pk


def event_change(event_id: int) -> int:
    """The organiser changes the venue: one notice per registrant, recorded in the
    change's transaction and published after commit. The event's new sequence."""
    from apps.core.models import User
    from apps.events import services
    from apps.events.models import Event

    event = Event.objects.get(pk=event_id)
    event = services.event_update(
        by=User.objects.get(username=ORGANISER),
        event=event,
        venue_en=f"{VENUE} (change {event.sequence + 1})",
    )
    return event.sequence


DJANGO_CALL = (
    "import json, sys, django; django.setup(); import notice_faults; "
    "print(json.dumps(getattr(notice_faults, sys.argv[1])(*map(int, sys.argv[2:]))))"
)


# --- what a fault left behind ----------------------------------------------------------


@dataclasses.dataclass
class Figures:
    fault: str
    notices: int = 0  # rows recorded by the change(s)
    sent: int = 0  # rows SENT
    emails: int = 0  # messages written by the mail backend for these rows
    message_ids: int = 0  # distinct Message-IDs among them
    lost: int = 0  # rows with no email, or not SENT
    doubled: int = 0  # emails beyond one per Message-ID
    in_exchange: int = 0  # notices sent again after a death inside the exchange
    reclaimed: int = 0  # notices claimed again after a dead claim (attempts > 1)
    unexplained: int = 0  # a second copy of a notice never claimed again, copies that
    # differ, or mail to someone the rows do not name
    sent_before_fault: int = 0  # rows SENT when the (first) fault struck
    faults: int = 0  # faults struck while notices were still unsent
    recovery_s: float = 0.0  # from the (first) fault to the last row sent
    request_s: list[float] = dataclasses.field(default_factory=list)
    answers: list[int] = dataclasses.field(default_factory=list)  # their HTTP statuses
    pending: list[int] = dataclasses.field(default_factory=list)  # rows PENDING after each
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing lost, and nothing doubled but by deaths inside the exchange."""
        return (
            self.notices > 0
            and self.lost == 0
            and self.unexplained == 0
            and self.sent == self.notices
            and self.message_ids == self.notices
        )

    def report(self) -> str:
        if self.request_s:
            struck = f"{len(self.request_s)} change(s) requested with the broker down"
        elif not self.faults:
            struck = "the fan-out ended before the fault could strike (a larger size?)"
        else:
            struck = (
                f"{self.faults} fault(s) struck, the first with "
                f"{self.sent_before_fault:,} of {self.notices:,} sent"
            )
        lines = [
            f"{self.fault}: {struck}",
            f"  notices                  {self.notices:8,}",
            f"  rows sent                {self.sent:8,}",
            f"  emails written           {self.emails:8,}",
            f"  distinct Message-IDs     {self.message_ids:8,}",
            f"  lost                     {self.lost:8,}",
            f"  doubled                  {self.doubled:8,} (deaths inside the mail exchange: "
            f"{self.in_exchange}; other: {self.unexplained})",
            f"  claimed again            {self.reclaimed:8,} (after a dead claim)",
            f"  recovery                 {self.recovery_s:8.2f} s (fault to the last row sent)",
        ]
        if self.request_s:
            times = ", ".join(f"{t:.2f}" for t in self.request_s)
            lines.append(
                f"  request                  {statistics.median(self.request_s):8.2f} s "
                f"median ({times})"
            )
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)


def read_messages(outbox: Path) -> list[dict]:
    """Every message the file backend wrote (a file per connection, messages separated as
    bench/event_notice.py reads them)."""
    separator = event_notice().SEPARATOR
    messages = []
    for path in sorted(outbox.iterdir()):
        for chunk in path.read_bytes().split(separator):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk)
            found = MESSAGE_PK.match(message.get("Message-ID", ""))
            messages.append(
                {
                    "pk": int(found[1]) if found else None,
                    "to": message.get("To", ""),
                    "message_id": message.get("Message-ID", ""),
                    "copy": (message.get("Subject"), message.get_payload()),
                }
            )
    return messages


# --- processes -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    """Live child processes of `pid` (the prefork pool of a worker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(stat.parent.name))
    return found


def in_group(pid: int, group: int) -> bool:
    """`pid` is a live process of process group `group` (not a number since reused)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z" and os.getpgid(pid) == group
    except OSError:
        return False


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL a process started in a session of its own, with its group (a worker's
    children, gunicorn's workers). Only while it runs: once it is reaped, its number may
    be another's."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


@contextlib.contextmanager
def environ(values: dict):
    """os.environ with `values` (None removes) for the duration: bench/event_notice.py's
    start_workers builds the workers' environment from it."""
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclasses.dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body)


class Rig:
    """A stack of its own: database, broker, worker, web. `with Rig(...) as rig:` builds
    it; leaving the block stops every process it started and drops the database."""

    def __init__(
        self,
        *,
        database: str,
        notices: int,
        workdir: Path,
        timeout: float = 300.0,
        db_host: str = "127.0.0.1",
        db_port: int = 5432,
        db_user: str = "postgres",
    ):
        self.database, self.notices, self.workdir = database, notices, workdir
        self.timeout = timeout
        self.db_params = {"host": db_host, "port": db_port, "user": db_user}
        self.database_url = f"postgres://{db_user}@{db_host}:{db_port}/{database}"
        self.secret_key = secrets.token_urlsafe(40)
        self.broker_port, self.web_port = free_port(), free_port()
        self.broker_url = f"redis://127.0.0.1:{self.broker_port}/0"
        self.broker: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.started: list[subprocess.Popen] = []  # every process group, for the end
        self.db = None
        self.event_id = 0
        self.token = ""
        self.runs = 0

    # --- the stack ---------------------------------------------------------------------

    def __enter__(self):
        try:
            self._database("DROP DATABASE IF EXISTS {} WITH (FORCE)", "CREATE DATABASE {}")
            # The seed and the build send their own notices in-process, into nothing.
            self.event_id = self.django("world_build", self.notices, broker=False)
            self.db = psycopg2.connect(dbname=self.database, **self.db_params)
            self.db.autocommit = True
            self.broker_start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        for process in [self.web, *self.started, self.broker]:
            if process is not None:
                kill_group(process)
        self.workers, self.web, self.broker = [], None, None
        if self.db is not None:
            self.db.close()
            self.db = None
        self._database("DROP DATABASE IF EXISTS {} WITH (FORCE)")

    def _database(self, *statements: str) -> None:
        admin = psycopg2.connect(dbname="postgres", **self.db_params)
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement.format(self.database))
        finally:
            admin.close()

    def env(self, *, settings: str = "local", outbox: Path | None = None, broker=True) -> dict:
        """What every process of the stack is started with (None: removed)."""
        return {
            "DJANGO_SETTINGS_MODULE": f"jetadmin.settings.{settings}",
            "DEBUG": "false",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, no TLS proxy in front
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url if broker else "",
            # The throttles' counters: the rig's own Redis, a database the broker leaves alone.
            "CACHE_URL": self.broker_url.rsplit("/", 1)[0] + "/1",
            # django-environ drops the first slash of the path: four make it absolute.
            "EMAIL_URL": f"filemail:///{outbox}" if outbox else "dummymail://",
            "NOTIFICATION_CLAIM_TIMEOUT_MINUTES": "0",
            "NOTIFICATION_RESEND_AFTER_MINUTES": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)]),
            "JETADMIN_CLOCK": None,  # a worker is a process of its own, on the real clock
        }

    def _process_env(self, **kwargs) -> dict:
        env = {**os.environ}
        for key, value in self.env(**kwargs).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def django(self, function: str, *args: int, broker=True):
        """`function(*args)` of this module, in a Django process on the faults database."""
        done = subprocess.run(
            [sys.executable, "-c", DJANGO_CALL, function, *map(str, args)],
            cwd=BENCH,
            env=self._process_env(broker=broker),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"{function} failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def broker_start(self) -> None:
        """redis-server on our port, on loopback, keeping nothing on disk."""
        self.broker = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.broker_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        if not event_notice().wait_until(self._broker_answers, 30, 0.1):
            raise RuntimeError(f"redis-server did not start on port {self.broker_port}")

    def broker_kill(self) -> None:
        if self.broker is not None:
            kill_group(self.broker)
            self.broker = None

    def _redis(self):
        import redis

        return redis.Redis(port=self.broker_port, socket_timeout=2, socket_connect_timeout=1)

    def _broker_answers(self) -> bool:
        try:
            with self._redis() as client:
                return bool(client.ping())
        except Exception:
            return False

    def _celery(self):
        """A client of the stack's broker (not jetadmin's app: that one is this process's)."""
        from celery import Celery

        client = Celery("notice-faults", broker=self.broker_url, set_as_current=False)
        client.conf.update(
            broker_connection_timeout=1.0,
            broker_transport_options={"socket_connect_timeout": 1.0, "socket_timeout": 3.0},
            task_serializer="json",
            accept_content=["json"],
        )
        return client

    def workers_start(self, outbox: Path, logs: Path) -> None:
        """One worker with its prefork children, as bench/event_notice.py starts them."""
        notice = event_notice()
        notice.BROKER, notice.WORKERS, notice.CONCURRENCY = self.broker_url, 1, CONCURRENCY
        logs.mkdir(parents=True, exist_ok=True)
        with environ(self.env(outbox=outbox)):
            self.workers = notice.start_workers(outbox, logs)
        self.started += self.workers
        if not notice.wait_until(self._workers_answer, STARTUP_TIMEOUT, 0.5):
            log = "".join(path.read_text()[-3000:] for path in logs.glob("worker-*.log"))
            raise RuntimeError(f"the worker did not answer:\n{log}")

    def _workers_answer(self) -> bool:
        client = self._celery()
        try:
            return len(client.control.ping(timeout=0.5)) >= len(self.workers)
        except Exception:
            return False
        finally:
            client.close()

    def workers_stop(self) -> None:
        event_notice().stop_workers(self.workers)
        self.workers = []

    def _idle(self) -> bool:
        """Nothing queued, nothing reserved or running in a worker."""
        client = self._celery()
        try:
            with self._redis() as redis:
                if redis.llen("celery"):
                    return False
            inspect = client.control.inspect(timeout=1.0, limit=len(self.workers))
            active, reserved = inspect.active(), inspect.reserved()
        except Exception:
            return False
        finally:
            client.close()
        if not active or reserved is None:
            return False
        return not any(active.values()) and not any(reserved.values())

    def wait_idle(self) -> bool:
        wait = event_notice().wait_until
        return wait(lambda: self._idle() and self._idle(), self.timeout, 0.3)

    def sweep(self) -> None:
        """What beat sends every minute (late pending rows, and claims older than the
        claim timeout: here 0, so only once nothing else is in flight)."""
        client = self._celery()
        try:
            client.send_task("apps.notifications.tasks.notifications_sweep", args=[0])
        finally:
            client.close()

    def web_start(self) -> None:
        """gunicorn with the production settings, on a loopback port, signed in as the
        organiser (a token)."""
        if self.web is not None:
            return
        outbox = self.workdir / "web-outbox"
        outbox.mkdir(exist_ok=True)
        with (self.workdir / "gunicorn.log").open("w") as log:
            self.web = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "jetadmin.wsgi",
                    f"--bind=127.0.0.1:{self.web_port}",
                    "--workers=2",
                    "--worker-class=gthread",
                    "--threads=2",
                    "--timeout=60",
                    "--graceful-timeout=5",
                    "--log-level=warning",
                ],
                cwd=ROOT,
                env=self._process_env(settings="production", outbox=outbox),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def up() -> bool:
            try:
                return self.request("GET", "/healthz").status in (200, 503)
            except OSError:
                return False

        if not event_notice().wait_until(up, STARTUP_TIMEOUT, 0.5):
            raise RuntimeError(
                "gunicorn did not start:\n" + (self.workdir / "gunicorn.log").read_text()[-3000:]
            )
        answer = self.request(
            "POST", "/api/v1/auth/token/", {"username": ORGANISER, "password": PASSWORD}
        )
        if answer.status != 200:
            raise RuntimeError(f"no token: {answer.status} {answer.body[:500]!r}")
        self.token = answer.json()["token"]
        for _warm in range(4):  # each gunicorn process loads the URLs and the API once
            self.request("GET", self.event_path)

    @property
    def event_path(self) -> str:
        return f"/api/v1/events/{self.event_id}/"

    def request(self, method: str, path: str, body: dict | None = None) -> Answer:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        connection = HTTPConnection("127.0.0.1", self.web_port, timeout=60)
        try:
            started = time.perf_counter()
            connection.request(
                method, path, body=json.dumps(body) if body is not None else None, headers=headers
            )
            response = connection.getresponse()
            content = response.read()
            seconds = time.perf_counter() - started
        finally:
            connection.close()
        return Answer(response.status, response.getheader("Content-Type", ""), content, seconds)

    # --- the database, read directly ---------------------------------------------------

    def sql(self, query: str, params=()) -> list[tuple]:
        with self.db.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def sequence(self) -> int:
        return self.sql("SELECT sequence FROM programme_event WHERE id = %s", [self.event_id])[0][0]

    def _rows_where(self, sequences: list[int], table: str = "") -> tuple[str, list]:
        """The notices the event's changes `sequences` recorded (keys
        event_changed:<event>:<sequence>:<person>)."""
        key = f"{table}key"
        return f"{key} LIKE %s AND split_part({key}, ':', 3)::int = ANY(%s)", [
            f"event_changed:{self.event_id}:%",
            sequences,
        ]

    def states(self, sequences: list[int]) -> dict[str, int]:
        where, params = self._rows_where(sequences)
        return dict(
            self.sql(
                f"SELECT state, count(*) FROM notifications_notification WHERE {where} "
                "GROUP BY state",
                params,
            )
        )

    def sent(self, sequences: list[int]) -> int:
        return self.states(sequences).get("SENT", 0)

    def unsent(self, sequences: list[int]) -> int:
        states = self.states(sequences)
        return sum(states.values()) - states.get("SENT", 0)

    def terminate_connections(self) -> int:
        """Every backend of the faults database but this one's: how many."""
        return len(
            self.sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.database],
            )
        )

    def figures(self, fault: str, sequences: list[int], outbox: Path) -> Figures:
        """Rows against emails: every notice once, or twice only after its worker died
        inside the mail exchange, and then the same message with the same Message-ID."""
        where, params = self._rows_where(sequences, table="n.")
        rows = {
            pk: (state, attempts, address)
            for pk, state, attempts, address in self.sql(
                "SELECT n.id, n.state, n.attempts, COALESCE(u.email, n.email) "
                "FROM notifications_notification n LEFT JOIN core_user u "
                f"ON u.id = n.recipient_id WHERE {where}",
                params,
            )
        }
        copies = defaultdict(list)
        strangers = 0
        for message in read_messages(outbox):
            row = rows.get(message["pk"])
            if row is None or message["to"] != row[2]:
                strangers += 1
            else:
                copies[message["pk"]].append((message["message_id"], message["copy"]))
        figures = Figures(fault=fault, notices=len(rows))
        figures.sent = sum(1 for state, _a, _e in rows.values() if state == "SENT")
        figures.emails = sum(len(each) for each in copies.values())
        figures.message_ids = len({m for each in copies.values() for m, _c in each})
        figures.lost = sum(
            1 for pk, (state, _a, _e) in rows.items() if state != "SENT" or not copies[pk]
        )
        figures.doubled = figures.emails - figures.message_ids
        figures.reclaimed = sum(1 for _s, attempts, _e in rows.values() if attempts > 1)
        for pk, each in copies.items():
            if len(each) < 2:
                continue
            if rows[pk][1] > 1 and len(set(each)) == 1:
                figures.in_exchange += 1
            else:
                figures.unexplained += len(each) - 1
        figures.unexplained += strangers
        if strangers:
            figures.notes.append(f"{strangers} emails for no notice of this change")
        return figures

    # --- the faults -----------------------------------------------------------------------

    def _run_dirs(self, fault: str) -> tuple[Path, Path]:
        self.runs += 1
        run = self.workdir / f"{self.runs}-{fault.replace(' ', '-')}"
        outbox, logs = run / "outbox", run / "logs"
        outbox.mkdir(parents=True)
        logs.mkdir()
        return outbox, logs

    def fan_out_with_faults(
        self, fault: str, strikes: list[tuple[float, Callable[[Path, Path], None]]]
    ) -> Figures:
        """Change the event with a worker delivering; strike each fault once that share
        of the notices is sent; then wait until nothing is in flight, sweep, and count."""
        outbox, logs = self._run_dirs(fault)
        self.workers_start(outbox, logs / "worker")
        sequences = [self.sequence() + 1]
        with (logs / "change.log").open("w") as log:
            changer = subprocess.Popen(
                [sys.executable, "-c", DJANGO_CALL, "event_change", str(self.event_id)],
                cwd=BENCH,
                env=self._process_env(),
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        self.started.append(changer)
        wait = event_notice().wait_until
        struck, first, before = 0, None, 0
        try:
            for share, strike in strikes:
                goal = int(self.notices * share)
                wait(lambda goal=goal: self.sent(sequences) >= goal, self.timeout, 0.02)
                sent = self.sent(sequences)
                if sent >= self.notices:
                    break  # the fan-out finished first: this fault did not strike
                if first is None:
                    first, before = time.perf_counter(), sent
                strike(outbox, logs)
                struck += 1
            if changer.wait(timeout=self.timeout):
                raise RuntimeError("the change failed: " + (logs / "change.log").read_text())
            if first is None:
                first = time.perf_counter()
            self.wait_idle()
            self.sweep()
            wait(lambda: self.unsent(sequences) == 0, self.timeout, 0.1)
            recovery = time.perf_counter() - first
            self.wait_idle()
        finally:
            self.workers_stop()
        figures = self.figures(fault, sequences, outbox)
        figures.faults, figures.sent_before_fault, figures.recovery_s = struck, before, recovery
        return figures

    def worker_killed(self) -> Figures:
        """(a) SIGKILL to the worker's main process mid fan-out. Its children finish the
        task in hand, or not, and go; a fresh worker takes what is still queued; what the
        dead one had taken (claimed or not) is the sweep's."""

        def kill_main(outbox: Path, logs: Path) -> None:
            main = self.workers[0]
            pool = children(main.pid)
            os.kill(main.pid, signal.SIGKILL)
            main.wait(timeout=10)

            # Its children go when they find it gone; none may still send once the
            # sweep takes over (a claim of theirs would look dead to it).
            def left() -> list[int]:
                return [pid for pid in pool if in_group(pid, main.pid)]

            if not event_notice().wait_until(lambda: not left(), 30, 0.1):
                for pid in left():
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            self.workers_start(outbox, logs / "fresh-worker")

        return self.fan_out_with_faults("worker killed", [(0.25, kill_main)])

    def children_killed(self, times: int = 4) -> Figures:
        """(b) SIGKILL to every prefork child, `times` times mid fan-out: the main
        process starts new ones and the task a child died in goes back to the queue."""

        def kill_children(outbox: Path, logs: Path) -> None:
            main = self.workers[0]
            pool = children(main.pid)
            for pid in pool:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            event_notice().wait_until(
                lambda: len(set(children(main.pid)) - set(pool)) >= CONCURRENCY, 30, 0.05
            )

        strikes = [(0.1 + 0.15 * n, kill_children) for n in range(times)]
        return self.fan_out_with_faults("children killed", strikes)

    def broker_killed(self, down_s: float = 1.0) -> Figures:
        """(c) SIGKILL to redis-server mid fan-out; it comes back empty after `down_s`
        (no persistence: the queued tasks are gone) and the worker reconnects."""

        def kill_broker(outbox: Path, logs: Path) -> None:
            self.broker_kill()
            time.sleep(down_s)
            self.broker_start()
            event_notice().wait_until(self._workers_answer, 60, 0.5)

        return self.fan_out_with_faults("broker killed", [(0.25, kill_broker)])

    def database_dropped(self, times: int = 3) -> Figures:
        """(e) Every database connection of the faults database but ours terminated,
        `times` times mid fan-out (a failover, an administrator's pg_terminate_backend)."""
        terminated = []

        def terminate(outbox: Path, logs: Path) -> None:
            terminated.append(self.terminate_connections())

        strikes = [(0.2 + 0.25 * n, terminate) for n in range(times)]
        figures = self.fan_out_with_faults("database dropped", strikes)
        figures.notes.append(f"connections terminated per strike: {terminated}")
        return figures

    def broker_down(self, requests: int = 3) -> Figures:
        """(d) The broker is down before the change: PATCH the event through gunicorn
        `requests` times (each a real change to every registrant). Each answer is timed;
        every notice must wait PENDING. Then the broker comes back, a worker and the sweep
        run."""
        self.web_start()
        outbox, logs = self._run_dirs("broker down")
        self.broker_kill()
        sequences, times, statuses, pending = [], [], [], []
        try:
            for n in range(requests):
                answer = self.request(
                    "PATCH", self.event_path, {"venue_en": f"{VENUE} (broker down, {n + 1})"}
                )
                statuses.append(answer.status)
                times.append(answer.seconds)
                sequences.append(self.sequence())
                pending.append(self.states(sequences[-1:]).get("PENDING", 0))
        finally:
            self.broker_start()
        back = time.perf_counter()
        self.workers_start(outbox, logs / "worker")
        try:
            self.wait_idle()
            self.sweep()
            event_notice().wait_until(lambda: self.unsent(sequences) == 0, self.timeout, 0.1)
            recovery = time.perf_counter() - back
            self.wait_idle()
        finally:
            self.workers_stop()
        figures = self.figures("broker down", sequences, outbox)
        figures.faults, figures.recovery_s = requests, recovery
        figures.request_s, figures.answers, figures.pending = times, statuses, pending
        figures.notes.append(
            f"answers {statuses}; PENDING after each request: {pending}; "
            "recovery counted from the broker's return"
        )
        return figures


def main() -> None:
    # A CI job's timeout (SIGTERM) takes the stack down as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    notices = int(sys.argv[1]) if len(sys.argv) > 1 else 6_000
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    database = os.environ.get("FAULTS_DATABASE", "jetadmin_bench_faults")
    started = time.perf_counter()
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="jetadmin-notice-faults-") as tmp,
        Rig(database=database, notices=notices, workdir=Path(tmp), timeout=timeout) as rig,
    ):
        print(
            f"{notices:,} registrants in database {database}, built in "
            f"{time.perf_counter() - started:.0f} s; one worker x {CONCURRENCY} children; "
            f"redis-server on port {rig.broker_port}"
        )
        for fault in (
            rig.worker_killed,
            rig.children_killed,
            rig.broker_killed,
            rig.broker_down,
            rig.database_dropped,
        ):
            figures = fault()
            results.append(figures)
            print(figures.report(), flush=True)
    failed = [f.fault for f in results if not f.ok]
    print(f"{len(results)} faults in {time.perf_counter() - started:.0f} s", end="")
    print(f"; NOT SURVIVED: {', '.join(failed)}" if failed else "; every notice delivered")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
