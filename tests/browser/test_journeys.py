"""Journeys through the real interface, in a real browser, against a live server."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

JA_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.mo"


def nav(page: Page, key: str):
    return page.locator(f'nav.site-nav a[data-nav="{key}"]')


def nav_keys(page: Page) -> list[str]:
    return page.locator("nav.site-nav a[data-nav]").evaluate_all(
        "links => links.map(a => a.dataset.nav)"
    )


def test_login_page_is_accessible_and_labelled(app, page, axe_clean):
    page.goto(f"{app}/accounts/login/")

    expect(page).to_have_title(re.compile(r"^Sign in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    username = page.get_by_label("Username", exact=True)
    password = page.get_by_label("Password", exact=True)
    expect(username).to_have_attribute("name", "username")
    expect(password).to_have_attribute("name", "password")
    expect(password).to_have_attribute("type", "password")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    axe_clean(page)


def test_embassy_staff_sees_its_mission_workspace(app, page, sign_in, axe_clean):
    sign_in(page, "embassy.us")

    expect(page).to_have_url(f"{app}/mofa/mission/")
    expect(page.get_by_test_id("workspace-title")).to_have_text("Embassy and consulate workspace")
    identity = page.get_by_test_id("identity")
    expect(identity.locator(".identity__org")).to_have_text("Embassy of Japan in the United States")
    expect(identity.locator(".identity__role")).to_have_text("Staff")
    assert nav_keys(page) == [
        "workspace",
        "my-organisation",
        "mission-applications",
        "mission-placements",
        "events",
        "schedule",
        "correspondence",
        "promotions",
        "alumni",
        "safety",
        "statistics",
    ]
    expect(nav(page, "organisations")).to_have_count(0)
    expect(nav(page, "audit")).to_have_count(0)
    expect(nav(page, "workspace")).to_have_attribute("aria-current", "page")
    axe_clean(page)

    nav(page, "my-organisation").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(app)}/organisations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Embassy of Japan in the United States"
    )
    staff = page.locator("section", has=page.get_by_role("heading", name="Staff"))
    expect(staff.get_by_role("row", name=re.compile("Emily Carter"))).to_contain_text("Staff")
    # Only its own people: another mission's staff are not listed.
    expect(page.get_by_text("Oliver Hughes")).to_have_count(0)
    axe_clean(page)


def test_participant_sees_only_their_workspace(app, page, sign_in, axe_clean):
    sign_in(page, "participant")

    expect(page).to_have_url(f"{app}/participant/")
    expect(page.get_by_test_id("workspace-title")).to_have_text("Welcome, Sarah O'Connor")
    assert nav_keys(page) == [
        "workspace",
        "my-placement",
        "schedule",
        "my-reappointment",
        "support",
        "subsidy",
        "course",
        "library",
        "alumni-contact",
        "my-safety",
    ]
    axe_clean(page)

    response = page.goto(f"{app}/mofa/mission/")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_test_id("workspace-title")).to_have_count(0)


def test_language_choice_sticks_to_the_person(app, new_page, sign_in):
    page = new_page()
    sign_in(page, "participant")
    english_title = page.get_by_test_id("workspace-title").inner_text()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        page.get_by_role("button", name="日本語").click()

    expect(page).to_have_url(f"{app}/participant/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator('button[name="language"]')).to_have_text("English")
    expect(page.locator('button[name="language"]')).to_have_attribute("value", "en")
    if JA_CATALOGUE.exists():
        expect(page.get_by_test_id("workspace-title")).not_to_have_text(english_title)

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    # Sign out, then sign in from a fresh browser with no cookies: the saved choice holds.
    with page.expect_navigation():
        page.locator('form[action="/accounts/logout/"] button').click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.context.close()

    page = new_page()
    sign_in(page, "participant")
    expect(page).to_have_url(f"{app}/participant/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="日本語")).to_be_visible()
    expect(page.get_by_test_id("workspace-title")).to_have_text("Welcome, Sarah O'Connor")


def test_wrong_password_is_refused(app, page, sign_in):
    sign_in(page, "embassy.us", password="not-the-password")

    expect(page).to_have_url(f"{app}/accounts/login/")
    expect(page.get_by_role("alert")).to_contain_text(
        "Please enter a correct username and password"
    )
    expect(page.get_by_label("Username", exact=True)).to_have_value("embassy.us")
    expect(page.get_by_test_id("identity")).to_have_count(0)
    expect(page.locator("nav.site-nav")).to_have_count(0)
