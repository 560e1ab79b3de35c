"""Issue 19's events journey in a real browser: CLAIR raises a full conference's capacity
from 1 to 2 and the waitlisted participant holds a seat at once (and sees it, with their
check-in code); at the door, on a phone 390 px wide, CLAIR finds someone by name, checks
them in and takes it back. Every page on the way passes axe."""

import pytest
from playwright.sync_api import Page, expect

from apps.core.models import PersonRole, ProgrammeYear, User
from apps.events import services as events
from apps.events.models import Event, Registration
from tests.conftest import DEMO_PASSWORD
from tests.events.conftest import soon

pytestmark = pytest.mark.browser


@pytest.fixture
def full_conference(app):
    """CLAIR's conference with one seat, taken by a new participant; the demo participant
    waits for a seat."""
    clair = User.objects.get(username="clair")
    event = events.event_create(
        by=clair,
        programme_year=ProgrammeYear.objects.get(is_current=True),
        kind=Event.Kind.SKILL_DEVELOPMENT,
        title_en="Skill Development Conference (depth)",
        venue_en="Keio Plaza Hotel, Shinjuku",
        time_zone="Asia/Tokyo",
        starts_at=soon(40, 9),
        ends_at=soon(41, 17),
        capacity=1,
        audience=Event.Audience.ALL_PARTICIPANTS,
    )
    first = User.objects.create_user(
        "depth.first",
        password=DEMO_PASSWORD,
        email="rowan.first@example.org",
        first_name="Rowan",
        last_name="First",
        person_role=PersonRole.PARTICIPANT,
    )
    events.registration_create(by=first, event=event)
    waiting = events.registration_create(by=User.objects.get(username="participant"), event=event)
    assert waiting.state == Registration.State.WAITLISTED
    return event


def test_raising_capacity_seats_the_waitlisted_person(
    app, full_conference, new_page, sign_in, axe_clean
):
    event = full_conference
    person = new_page()
    sign_in(person, "participant")
    person.goto(f"{app}/programme/events/{event.pk}/")
    expect(person.get_by_test_id(f"registration-state-{event.pk}")).to_contain_text(
        "On the waitlist: number 1"
    )
    expect(person.get_by_test_id("seats-left")).to_have_text("full")

    organiser = new_page()
    sign_in(organiser, "clair")
    organiser.goto(f"{app}/programme/events/{event.pk}/")
    expect(organiser.get_by_test_id("count-waitlisted")).to_have_text("1")
    organiser.get_by_test_id("event-edit").click()
    organiser.get_by_label("Capacity").fill("2")
    organiser.get_by_test_id("event-save").click()
    # A capacity is the organiser's setting: nobody is told "the event changed".
    expect(organiser.get_by_text("The event is changed.", exact=True)).to_be_visible()
    expect(organiser.get_by_test_id("count-registered")).to_have_text("2")
    expect(organiser.get_by_test_id("count-waitlisted")).to_have_text("0")
    axe_clean(organiser)

    person.reload()
    expect(person.get_by_test_id(f"registration-state-{event.pk}")).to_contain_text("Registered")
    expect(person.get_by_test_id("registration-qr").locator("svg")).to_be_visible()
    axe_clean(person)
    person.goto(f"{app}/inbox/")
    expect(person.get_by_text("Skill Development Conference (depth)").first).to_be_visible()


def test_check_in_on_a_phone_with_search_and_undo(
    app, full_conference, new_page, sign_in, axe_clean
):
    event = full_conference
    registration = Registration.objects.get(event=event, person__username="depth.first")
    phone: Page = new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    sign_in(phone, "clair")
    phone.goto(f"{app}/programme/events/{event.pk}/check-in/")
    expect(phone.get_by_test_id("count-checked-in")).to_have_text("0")
    axe_clean(phone)

    phone.get_by_test_id("check-in-search").fill("rowan first")
    phone.get_by_test_id("check-in-find").click()
    row = phone.get_by_test_id(f"check-in-row-{registration.pk}")
    expect(row).to_be_visible()
    expect(phone.get_by_test_id("check-in-list").locator("li")).to_have_count(1)
    # Nothing runs off the side of a phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    row.get_by_test_id(f"check-in-{registration.pk}").click()
    expect(phone.get_by_text("Rowan First is checked in.")).to_be_visible()
    expect(phone.get_by_test_id(f"checked-in-{registration.pk}")).to_be_visible()
    expect(phone.get_by_test_id("count-checked-in")).to_have_text("1")
    # The search is kept, so the next person is one tap away.
    expect(phone.get_by_test_id("check-in-search")).to_have_value("rowan first")

    phone.get_by_test_id(f"check-in-undo-{registration.pk}").click()
    expect(phone.get_by_text("Rowan First is no longer checked in.")).to_be_visible()
    expect(phone.get_by_test_id(f"check-in-{registration.pk}")).to_be_visible()
    expect(phone.get_by_test_id("count-checked-in")).to_have_text("0")
    registration.refresh_from_db()
    assert registration.attended_at is None
    axe_clean(phone)

    # By number, as the code on the person's registration says.
    phone.get_by_test_id("check-in-search").fill(f"#{registration.pk}")
    phone.get_by_test_id("check-in-find").click()
    expect(phone.get_by_test_id(f"check-in-row-{registration.pk}")).to_be_visible()
