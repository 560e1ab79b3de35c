"""Issue 19's interview journey in a real browser: embassy.us publishes a day of slots at
once, the applicant's next step says to book, full slots are folded away, the booked
interview is on "My schedule" (the applicant's and the embassy's) and in the calendar
feed, fetched and parsed as a calendar app would."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from apps.core import services as core_services
from apps.core.models import Organisation, ProgrammeYear, User
from apps.recruitment import services as recruitment_services
from apps.recruitment.models import Application, InterviewSlot
from tests.recruitment.conftest import _build_application

pytestmark = pytest.mark.browser

MEET = "https://meet.example.jp/jet-us-interviews"


@pytest.fixture
def invited(app):
    """The demo applicant and one other, both invited to interview by the US embassy."""
    year = ProgrammeYear.objects.get(is_current=True)
    ProgrammeYear.objects.filter(pk=year.pk).update(
        application_deadline=timezone.now() + dt.timedelta(days=30)
    )
    year.refresh_from_db()
    embassy = Organisation.objects.get(name_en="Embassy of Japan in the United States")
    # The session's demo data may still be here (the flush comes after this test).
    InterviewSlot.objects.filter(mission=embassy).delete()
    Application.objects.filter(applicant__username="applicant").update(status="WITHDRAWN")
    staff = User.objects.get(username="embassy.us")
    other = core_services.person_create(
        username="cand.other",
        email="cand.other@example.com",
        password="x-Long-pass-1",
        person_role="APPLICANT",
        first_name="Sam",
        last_name="Other",
    )
    applications = [
        _build_application(User.objects.get(username=name), embassy, "ALT", year, True, {})
        for name in ("applicant", "cand.other")
    ]
    recruitment_services.interviews_invite(by=staff, applications=applications)
    return applications, other, staff


def test_a_day_of_slots_folded_booked_and_on_the_schedule_and_feed(
    app, new_page, sign_in, axe_clean, invited
):
    (_mine, theirs), other, _staff = invited
    day = timezone.localdate() + dt.timedelta(days=20)

    # The embassy publishes a day of 30-minute slots at once.
    staff = new_page()
    sign_in(staff, "embassy.us")
    staff.goto(f"{app}{reverse('mofa:mission-interviews')}")
    form = staff.get_by_test_id("day-form")
    form.get_by_label("Day").fill(day.isoformat())
    form.get_by_label("First slot starts").fill("09:00")
    form.get_by_label("Last slot ends by").fill("10:30")
    form.get_by_label("Length of each slot (minutes)").fill("30")
    form.get_by_label("Online meeting link").fill(MEET)
    form.get_by_role("button", name="Publish the day's slots").click()
    expect(staff.locator("main")).to_contain_text("3 interview slots published.")
    slots = list(InterviewSlot.objects.filter(online_url=MEET).order_by("starts_at"))
    assert len(slots) == 3
    axe_clean(staff)

    # The same day again overlaps: refused whole, with the reason.
    form = staff.get_by_test_id("day-form")
    form.get_by_label("Day").fill(day.isoformat())
    form.get_by_label("First slot starts").fill("10:00")
    form.get_by_label("Last slot ends by").fill("11:00")
    form.get_by_label("Online meeting link").fill(MEET)
    form.get_by_role("button", name="Publish the day's slots").click()
    expect(staff.get_by_test_id("day-form")).to_contain_text("overlap the slot of")
    assert InterviewSlot.objects.filter(online_url=MEET).count() == 3

    # Another applicant takes the first slot: it is full.
    recruitment_services.interview_book(by=other, application=theirs, slot=slots[0])

    # The applicant's home says what to do next: book.
    page = new_page()
    sign_in(page, "applicant")
    banner = page.get_by_test_id("next-step")
    expect(banner).to_have_attribute("data-step", "book")
    banner.get_by_role("link", name="Book your interview").click()

    # The full slot is folded away; the first bookable one comes first.
    rows = page.get_by_test_id("slots").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-testid", f"slot-{slots[1].pk}")
    folded = page.get_by_test_id("full-slots")
    expect(folded.locator(f'[data-testid="slot-{slots[0].pk}"]')).to_be_hidden()
    folded.get_by_text("1 full or past slot hidden — show").click()
    expect(folded.locator(f'[data-testid="slot-{slots[0].pk}"]')).to_be_visible()
    axe_clean(page)

    rows.first.get_by_role("button", name=re.compile("^Book")).click()
    expect(page.locator("main")).to_contain_text("Your interview is booked.")
    # The booked person sees the meeting link.
    expect(page.get_by_test_id("booking").get_by_role("link", name=MEET)).to_be_visible()

    # Home now says: attend, by the interview's time.
    page.goto(f"{app}{reverse('mofa:applicant-workspace')}")
    expect(page.get_by_test_id("next-step")).to_have_attribute("data-step", "attend")
    expect(page.get_by_test_id("next-step-due")).to_be_visible()

    # On My schedule, and in the calendar feed.
    page.goto(f"{app}{reverse('events:schedule')}")
    item = page.get_by_test_id("schedule-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("JET Programme interview at Embassy of Japan")
    expect(item.get_by_role("link", name=MEET)).to_be_visible()
    axe_clean(page)
    feed_url = page.get_by_test_id("calendar-feed-url").input_value()
    response = page.request.get(feed_url)
    assert response.ok
    calendar = Calendar.from_ical(response.body())
    (vevent,) = [c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith("interview-")]
    assert vevent["dtstart"].dt == slots[1].starts_at
    assert vevent["dtend"].dt == slots[1].ends_at
    assert MEET in str(vevent["description"])

    # The embassy's staff have it on their schedule too.
    staff.goto(f"{app}{reverse('events:schedule')}")
    expect(staff.get_by_test_id("schedule-item")).to_have_count(2)
    axe_clean(staff)
