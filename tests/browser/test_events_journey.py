# ruff: noqa: RUF001  (Japanese text uses full-width brackets and colons, as Japanese does)
"""Issue 5's journey in a real browser: the participant reads their schedule in Japanese
and in English, MEXT adds a workshop to CLAIR's conference, and the workshop is on the
participant's schedule. Every page on the way passes axe (no serious or critical
violation)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.core.models import User
from apps.events import services as events
from apps.events.models import Event, Session
from tests.events.conftest import soon

pytestmark = pytest.mark.browser


def nav(page: Page, key: str):
    return page.locator(f'nav.site-nav a[data-nav="{key}"]')


@pytest.fixture
def conference(app):
    """CLAIR's Skill Development Conference a month ahead, with one plenary, and the
    demo participant registered (the committed world has organisations and accounts
    only, so it is made here through the services)."""
    from apps.core.models import ProgrammeYear

    clair = User.objects.get(username="clair")
    event = events.event_create(
        by=clair,
        programme_year=ProgrammeYear.objects.get(is_current=True),
        kind=Event.Kind.SKILL_DEVELOPMENT,
        title_en="Skill Development Conference",
        title_ja="スキルデベロップメント・カンファレンス",
        venue_en="Keio Plaza Hotel, Shinjuku",
        venue_ja="京王プラザホテル（新宿）",
        bring_en="Your name badge",
        bring_ja="名札",
        time_zone="Asia/Tokyo",
        starts_at=soon(30, 9),
        ends_at=soon(31, 17),
        audience=Event.Audience.ALL_PARTICIPANTS,
    )
    events.session_create(
        by=clair,
        event=event,
        title_en="Plenary: the year ahead",
        title_ja="全体会：これからの一年",
        starts_at=soon(30, 9, 30),
        ends_at=soon(30, 10, 30),
        room="Main hall",
    )
    events.registration_create(by=User.objects.get(username="participant"), event=event)
    return event


def test_the_schedule_in_both_languages_and_a_mext_workshop_on_it(
    app, conference, new_page, sign_in, axe_clean
):
    # The participant opens their schedule: English first.
    person = new_page()
    sign_in(person, "participant")
    nav(person, "schedule").click()
    expect(person).to_have_url(f"{app}/programme/schedule/")
    entry = person.get_by_test_id(f"schedule-event-{conference.pk}")
    expect(entry.get_by_role("heading", level=2)).to_have_text("Skill Development Conference")
    expect(entry).to_contain_text("Keio Plaza Hotel, Shinjuku")
    expect(entry).to_contain_text("Plenary: the year ahead")
    expect(person.get_by_test_id("calendar-feed-url")).to_have_value(
        re.compile(rf"^{re.escape(app)}/calendar/[\w-]+\.ics$")
    )
    axe_clean(person)

    # Then in Japanese, with the header's language button.
    with person.expect_navigation():
        person.get_by_role("button", name="日本語").click()
    expect(person.locator("html")).to_have_attribute("lang", "ja")
    entry = person.get_by_test_id(f"schedule-event-{conference.pk}")
    expect(entry.get_by_role("heading", level=2)).to_have_text(
        "スキルデベロップメント・カンファレンス"
    )
    expect(entry).to_contain_text("京王プラザホテル（新宿）")
    expect(entry).to_contain_text("名札")
    expect(entry).to_contain_text("全体会：これからの一年")
    start = timezone.localtime(conference.starts_at)
    expect(entry.get_by_test_id(f"schedule-when-{conference.pk}")).to_contain_text(
        f"{start.year}年{start.month}月{start.day}日 09:00"
    )
    axe_clean(person)
    assert User.objects.get(username="participant").language == "ja"

    # MEXT adds a workshop to CLAIR's conference.
    mext = new_page()
    sign_in(mext, "mext")
    nav(mext, "events").click()
    axe_clean(mext)
    mext.get_by_test_id(f"event-{conference.pk}").get_by_role("link").click()
    expect(mext.get_by_test_id("event-title")).to_have_text("Skill Development Conference")
    expect(mext.get_by_test_id("event-edit")).to_have_count(0)
    axe_clean(mext)
    mext.get_by_role("link", name="Add a workshop").click()
    axe_clean(mext)
    mext.get_by_label("Title (English)").fill("Teaching with the new Course of Study")
    mext.get_by_label("Title (Japanese)").fill("新学習指導要領と授業")
    mext.get_by_label("Starts").fill(soon(31, 10).strftime("%Y-%m-%dT%H:%M"))
    mext.get_by_label("Ends").fill(soon(31, 11, 30).strftime("%Y-%m-%dT%H:%M"))
    mext.get_by_label("Room", exact=True).fill("Room C")
    mext.get_by_test_id("session-save").click()
    expect(mext.get_by_text("The session is added.")).to_be_visible()
    workshop = Session.objects.get(title_en="Teaching with the new Course of Study")
    expect(mext.get_by_test_id(f"session-edit-{workshop.pk}")).to_be_visible()
    axe_clean(mext)

    # The workshop is on the participant's schedule, in Japanese.
    person.reload()
    entry = person.get_by_test_id(f"schedule-event-{conference.pk}")
    expect(entry.get_by_test_id(f"schedule-session-{workshop.pk}")).to_contain_text(
        "新学習指導要領と授業"
    )
    expect(entry.get_by_test_id(f"schedule-session-{workshop.pk}")).to_contain_text("10:00")

    # And in English again.
    with person.expect_navigation():
        person.get_by_role("button", name="English").click()
    expect(person.locator("html")).to_have_attribute("lang", "en")
    entry = person.get_by_test_id(f"schedule-event-{conference.pk}")
    expect(entry.get_by_test_id(f"schedule-session-{workshop.pk}")).to_contain_text(
        "Teaching with the new Course of Study"
    )
    axe_clean(person)


def test_the_organisers_pages_pass_axe(app, conference, new_page, sign_in, axe_clean):
    clair = new_page()
    sign_in(clair, "clair")
    clair.goto(f"{app}/programme/events/{conference.pk}/")
    expect(clair.get_by_test_id("registrations-table")).to_contain_text("O'Connor")
    axe_clean(clair)
    clair.get_by_test_id("event-edit").click()
    expect(clair.get_by_role("group", name="日本語")).to_be_visible()
    axe_clean(clair)
    clair.goto(f"{app}/programme/events/")
    clair.get_by_test_id("event-new").click()
    axe_clean(clair)

    person = new_page()
    sign_in(person, "participant")
    person.goto(f"{app}/programme/events/")
    expect(person.get_by_test_id(f"registration-state-{conference.pk}")).to_contain_text(
        "Registered"
    )
    axe_clean(person)
    person.get_by_role("link", name="Skill Development Conference").click()
    axe_clean(person)
