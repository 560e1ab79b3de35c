"""The README's `make run`, for real (called by .ci/smoke-run; the standard library only).

Starts `make run` with neither DATABASE_URL nor CELERY_BROKER_URL, in its own process
group, waits for /healthz, then for every account of the README's "Demo accounts" table:
an API token and /api/v1/me/, and a sign-in through the login form that reaches the
workspace home. Then Ctrl-C (SIGINT to the group, as a terminal sends it) must stop the
server, free port 8000 and stop the embedded PostgreSQL.
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:8000"
PASSWORD = os.environ.get("DEMO_PASSWORD", "jet-demo-2027")
LOG = ROOT / os.environ.get("SMOKE_LOG", "test-artifacts/make-run.log")
READY_TIMEOUT = 600  # the first seed takes about a minute; pip may install first
STOP_TIMEOUT = 90


def readme_accounts() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Demo accounts", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def port_in_use() -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", 8000)) == 0


def get(url: str, opener=None, headers=None, data=None, timeout: float = 60):
    """(status, final url, body); HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 - http only
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode(errors="replace")


def check_api(username: str) -> None:
    status, _, body = get(
        f"{BASE}/api/v1/auth/token/",
        headers={"Content-Type": "application/json"},
        data=json.dumps({"username": username, "password": PASSWORD}).encode(),
    )
    if status != 200:
        raise AssertionError(f"token: HTTP {status} {body[:200]}")
    token = json.loads(body)["token"]
    status, _, body = get(f"{BASE}/api/v1/me/", headers={"Authorization": f"Token {token}"})
    if status != 200:
        raise AssertionError(f"/api/v1/me/: HTTP {status} {body[:200]}")
    if json.loads(body).get("username") != username:
        raise AssertionError(f"/api/v1/me/ says {json.loads(body).get('username')!r}")


def check_sign_in(username: str) -> None:
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{BASE}/accounts/login/"
    status, _, _ = get(login, browser)
    csrf = next((cookie.value for cookie in jar if cookie.name == "csrftoken"), None)
    if status != 200 or not csrf:
        raise AssertionError(f"login page: HTTP {status}, csrftoken {'set' if csrf else 'missing'}")
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    status, final, body = get(
        login, browser, headers={"Referer": login}, data=urllib.parse.urlencode(form).encode()
    )
    if status != 200 or urllib.parse.urlsplit(final).path.startswith("/accounts/login/"):
        raise AssertionError(f"sign-in: HTTP {status}, still at {final}")
    status, final, body = get(f"{BASE}/", browser)
    on_login = urllib.parse.urlsplit(final).path.startswith("/accounts/login/")
    if status != 200 or on_login or 'name="password"' in body:
        raise AssertionError(f"workspace /: HTTP {status} at {final}")


def wait_ready(make: subprocess.Popen) -> float:
    began = time.monotonic()
    while time.monotonic() - began < READY_TIMEOUT:
        if make.poll() is not None:
            raise AssertionError(f"make run exited with {make.returncode} before serving")
        try:
            status, _, _ = get(f"{BASE}/healthz", timeout=5)
            if status == 200 and "Quit the server" in LOG.read_text(errors="replace"):
                return time.monotonic() - began
        except OSError:
            pass
        time.sleep(1)
    raise AssertionError(f"/healthz did not answer 200 within {READY_TIMEOUT} s")


def database_stopped() -> bool:
    status = subprocess.run(  # noqa: S603 - this checkout's own command
        [str(ROOT / ".venv/bin/python"), "-m", "jetadmin.devdb", "status"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    return status.returncode == 3


def main() -> int:
    accounts = readme_accounts()
    if not accounts:
        print("make run smoke: no accounts found in the README's Demo accounts table")
        return 1
    if port_in_use():
        print("make run smoke: port 8000 is already in use; stop whatever serves there first")
        return 1
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with LOG.open("w") as log:
        # Exactly what the README says to run, with neither variable set.
        make = subprocess.Popen(
            ["env", "-u", "DATABASE_URL", "-u", "CELERY_BROKER_URL", "make", "run"],  # noqa: S607
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    passed, failed = 0, 0
    problems = []
    try:
        ready = wait_ready(make)
        print(f"make run serves /healthz after {ready:.0f} s")
        for username in accounts:
            began = time.monotonic()
            try:
                check_api(username)
                check_sign_in(username)
            except (AssertionError, OSError, ValueError, KeyError) as error:
                failed += 1
                print(f"FAIL {username:18} {error}")
            else:
                passed += 1
                print(
                    f"ok   {username:18} token, /api/v1/me/, sign-in, / "
                    f"({time.monotonic() - began:.1f} s)"
                )
    except AssertionError as error:
        problems.append(str(error))
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGINT)  # Ctrl-C
            try:
                make.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                problems.append(f"make run still running {STOP_TIMEOUT} s after Ctrl-C")
                os.killpg(make.pid, signal.SIGKILL)
                make.wait()
    deadline = time.monotonic() + 10
    while port_in_use() and time.monotonic() < deadline:
        time.sleep(0.2)
    if port_in_use():
        problems.append("port 8000 is still in use after Ctrl-C")
    if not database_stopped():
        problems.append("the embedded PostgreSQL is still running after Ctrl-C")
    if not problems:
        print("Ctrl-C: server stopped, port 8000 free, embedded PostgreSQL stopped")
    for problem in problems:
        print(f"FAIL {problem}")
    print(f"make run smoke: {passed} passed, {failed + len(problems)} failed")
    if failed or problems or passed != len(accounts):
        print(f"--- last lines of {LOG} ---")
        print("\n".join(LOG.read_text(errors="replace").splitlines()[-60:]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
