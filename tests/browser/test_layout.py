"""Every role's main pages fit a 1280 px screen and a 390 px phone, and pass axe.

For each demo account and each width, one browser context signs in and opens the
account's home and every page of its menu (the admin's audit trail aside: Django's own
pages), plus the pages named below where a layout once failed. On each page:

- the page itself never scrolls sideways (a wide table scrolls inside its own focusable,
  labelled region instead);
- every primary action (a submit button, a `.button`) lies within the viewport's width
  and is not hidden by a box that clips it; at the phone width one inside a table's
  scrolling region may sit further along that region, which the keyboard and a finger
  can scroll;
- axe finds no serious or critical violation;
- at the phone width the menu is collapsed behind its "Menu" button, which opens it.

The whole demo world is needed (long lists make the wide tables): the session's world,
committed before any test, stands until a transactional test flushes it, and the tests
that merely use the database (`django_db`, each in a transaction rolled back) run
before those. So these tests are of that kind and read the world behind a live server
of this module's own (the shared `live_server` would make them transactional, flushed
after each). What the live server writes (sign-ins) is committed, so the module puts
the world back as the session built it when it is done.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from apps.demo.data import ACCOUNTS
from tests.browser.conftest import CONTEXT_OPTIONS, CSP_LISTENER
from tests.conftest import DEMO_PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# Pages beyond the home and the menu where a layout once failed, for the roles that
# open them.
EXTRA_PAGES = {
    "mic": ["/mic/counts/", "/mic/positions/counts/", "/mic/numbers/"],
    "mofa": ["/mofa/hq/overview/"],
}
# Pages reached through the first link of a list: (account, list path, link selector).
FIRST_OF_LIST = [
    ("clair", "/programme/events/", "main table a[href^='/programme/events/']"),
    ("co.hyogo", "/programme/events/", "main table a[href^='/programme/events/']"),
    ("embassy.us", "/mofa/mission/applications/", "main table a[href*='/applications/']"),
    ("clair", "/clair/placement/", "[data-testid=candidates-table] a[href*='candidate=']"),
]

SKIPPED_NAV = {"audit"}  # Django's admin: not this project's templates


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The session's demo world behind a live server of this module's own; the world
    rebuilt afterwards, without what the server committed."""
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            build_world()


@pytest.fixture(scope="module")
def site_browser(demo_site, browser):
    """The browser, started after the live server and so closed before the world is
    rebuilt (a running Playwright loop would refuse that synchronous database work)."""
    return browser


# What the page measures of itself: the page's own sideways scroll, and each visible
# primary action that lies outside the viewport's width or is clipped by a box.
MEASURE = """
() => {
  const width = window.innerWidth;
  const scroller = document.scrollingElement;
  const out = {scrollWidth: scroller.scrollWidth, width, actions: []};
  const actions = document.querySelectorAll(
    "main button, main input[type=submit], main a.button, main [role=button]"
  );
  const describe = (el) => (el.innerText || el.value || el.getAttribute("aria-label") || "")
    .trim().replace(/\\s+/g, " ").slice(0, 60);
  for (const el of actions) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest("details:not([open])")) continue;
    // A box that clips the action: the action must lie within it, unless the box is a
    // focusable, labelled scrolling region (reported, for the phone width to accept).
    let clipped = null;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.overflowX === "visible" && style.overflowY === "visible") continue;
      const outer = p.getBoundingClientRect();
      if (box.left >= outer.left - 1 && box.right <= outer.right + 1) continue;
      clipped = {name: describe(el), clippedBy: p.className || p.tagName,
        region: p.matches("[role=region][tabindex='0']:is([aria-labelledby], [aria-label])"),
        at: `${Math.round(box.left)}-${Math.round(box.right)}`,
        box: `${Math.round(outer.left)}-${Math.round(outer.right)}`};
      break;
    }
    if (clipped) {
      out.actions.push(clipped);
    } else if (box.left < -1 || box.right > width + 1) {
      out.actions.push({name: describe(el),
        problem: `spans ${Math.round(box.left)}-${Math.round(box.right)} px of ${width}`});
    }
  }
  return out;
}
"""


def _menu_paths(page: Page) -> list[tuple[str, str]]:
    links = page.locator("nav.site-nav a[data-nav]").evaluate_all(
        "links => links.map(a => [a.dataset.nav, a.getAttribute('href')])"
    )
    return [(key, href) for key, href in links if key not in SKIPPED_NAV]


def _check_page(page: Page, width_name: str, axe, problems: list[str]) -> None:
    where = page.url
    measured = page.evaluate(MEASURE)
    if measured["scrollWidth"] > measured["width"]:
        problems.append(
            f"{where}: the page scrolls sideways ({measured['scrollWidth']} px"
            f" in {measured['width']})"
        )
    for action in measured["actions"]:
        if "problem" in action:
            problems.append(f"{where}: the action {action['name']!r} {action['problem']}")
        elif not (width_name == "phone" and action["region"]):
            problems.append(
                f"{where}: the action {action['name']!r} at {action['at']} px is clipped by"
                f" {action['clippedBy']!r} ({action['box']} px)"
            )
    violations = axe.run(page).response["violations"]
    for violation in violations:
        if violation.get("impact") in ("serious", "critical"):
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:4])
            problems.append(f"{where}: axe {violation['impact']} {violation['id']} at {targets}")


def _check_menu(page: Page, width_name: str, problems: list[str]) -> None:
    toggle = page.locator("nav.site-nav .site-nav__toggle")
    menu = page.locator("nav.site-nav ul")
    if width_name == "desktop":
        if toggle.is_visible():
            problems.append(f"{page.url}: the Menu button shows at 1280 px")
        if not menu.is_visible():
            problems.append(f"{page.url}: the menu is hidden at 1280 px")
        return
    if not toggle.is_visible():
        problems.append(f"{page.url}: no Menu button at 390 px")
        return
    if menu.is_visible() or toggle.get_attribute("aria-expanded") != "false":
        problems.append(f"{page.url}: the menu is not collapsed at 390 px")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()


def _run_account(page: Page, base: str, username: str, width_name: str, axe, problems) -> None:
    _sign_in(page, base, username)
    home = page.url
    _check_menu(page, width_name, problems)
    paths = [home, *(f"{base}{href}" for _key, href in _menu_paths(page))]
    paths += [f"{base}{path}" for path in EXTRA_PAGES.get(username, [])]
    for account, list_path, selector in FIRST_OF_LIST:
        if account == username:
            page.goto(f"{base}{list_path}")
            link = page.locator(selector).first
            if link.count():
                paths.append(link.evaluate("a => a.href"))
            else:
                problems.append(f"{list_path}: no link {selector!r} to follow")
    for url in dict.fromkeys(paths):
        response = page.goto(url)
        if response is None or not response.ok:
            problems.append(f"{url} answered {response and response.status}")
            continue
        _check_page(page, width_name, axe, problems)


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("username", [account[0] for account in ACCOUNTS])
def test_main_pages_fit_the_screen_and_pass_axe(username, width_name, demo_site, site_browser):
    from axe_playwright_python.sync_playwright import Axe

    problems: list[str] = []
    context = site_browser.new_context(**{**CONTEXT_OPTIONS, "viewport": WIDTHS[width_name]})
    context.set_default_timeout(10_000)
    # What the Content-Security-Policy refuses (menu.js among the scripts) fails the test too.
    context.expose_function("__cspViolation", lambda text: problems.append(f"CSP: {text}"))
    context.add_init_script(CSP_LISTENER)
    try:
        _run_account(context.new_page(), demo_site, username, width_name, Axe(), problems)
    finally:
        context.close()
    assert not problems, f"{username} at {width_name}:\n" + "\n".join(problems)
