"""Real-browser fixtures: Playwright driving Debian's Chromium against a live server.

Browser tests need committed data, so they take `live_server` together with
`committed_world` (see tests/conftest.py); the `app` fixture bundles the two.

Playwright's sync API keeps an asyncio loop marked as running in this thread for as
long as it is started, and Django refuses synchronous database access while a loop
runs. So DJANGO_ALLOW_ASYNC_UNSAFE is set only while the browser is up, and the
browser lives for one module, not the whole session: pytest-django runs the
database-free tests after the transactional ones, and those must see neither the
running loop nor the variable (a `manage.py check --deploy` subprocess fails on it).
"""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CONTEXT_OPTIONS = {"locale": "en-US", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture(scope="module")
def browser() -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. "
            "Install it with `apt-get install chromium`.",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Every page of every journey runs under the Content-Security-Policy: what it refuses (an
# inline script or style, eval, a foreign address) is reported by the browser as a
# `securitypolicyviolation` event and on the console, and fails the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolation(
  `${e.effectiveDirective} refused ${e.blockedURI || "inline"} on ${e.documentURI}`
));
"""


@pytest.fixture
def csp_violations() -> list[str]:
    """What the Content-Security-Policy refused in this test's pages, as the browser said."""
    return []


@pytest.fixture
def new_page(browser, csp_violations):
    """Open pages in fresh browser contexts (no cookies shared); all closed afterwards."""
    contexts = []

    def _on_console(message) -> None:
        if "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    def _on_violation(text: str) -> None:
        csp_violations.append(text)

    def _new_page() -> Page:
        context = browser.new_context(**CONTEXT_OPTIONS)
        context.set_default_timeout(10_000)
        context.expose_function("__cspViolation", _on_violation)
        context.add_init_script(CSP_LISTENER)
        context.on("console", _on_console)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()
    if csp_violations:
        pytest.fail(
            "The Content-Security-Policy refused:\n" + "\n".join(csp_violations), pytrace=False
        )


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def app(live_server, committed_world):
    """The live server's base URL, with the demo world committed to its database."""
    return live_server.url


@pytest.fixture
def sign_in(app):
    """Sign in through the real login form, the way a person does."""

    def _sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(f"{app}/accounts/login/")
        page.get_by_label("Username", exact=True).fill(username)
        page.get_by_label("Password", exact=True).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in", exact=True).click()

    return _sign_in


@pytest.fixture
def axe_clean():
    """Assert no serious or critical axe-core violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _axe_clean(page: Page) -> None:
        violations = axe.run(page).response["violations"]
        bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
        if bad:
            lines = [f"{len(bad)} serious/critical accessibility violation(s) on {page.url}:"]
            for violation in bad:
                lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
                for node in violation["nodes"]:
                    summary = node.get("failureSummary", "").replace("\n", "\n      ")
                    lines.append(f"    at {node['target']}: {summary}")
            pytest.fail("\n".join(lines), pytrace=False)

    return _axe_clean
