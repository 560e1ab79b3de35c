"""Interviews in depth (issue 19): a day of slots published at once (overlaps refused),
full slots folded away, the meeting link only for the booked person, booked interviews
on "My schedule", in the calendar feed and as an .ics invitation by email, and the next
step banner on the applicant's home."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from apps.core.errors import DomainError
from apps.events import services as events_services
from apps.mofa.next_step import next_step
from apps.recruitment import services
from apps.recruitment.models import Application, InterviewSlot

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
MEET = "https://meet.example.jp/jet-interview"


@pytest.fixture
def no_slots(fresh_round, us_mission):
    """The US embassy starts without interview slots."""
    InterviewSlot.objects.filter(mission=us_mission).delete()
    return us_mission


@pytest.fixture
def day():
    return timezone.localdate() + dt.timedelta(days=20)


def _day(by, day, first, last, length=30, **extra):
    with timezone.override(NEW_YORK):
        return services.interview_slots_create_day(
            by=by,
            programme_year=extra.pop("year"),
            day=day,
            first_start=dt.time(*first),
            last_end=dt.time(*last),
            length_minutes=length,
            **{"online_url": MEET, **extra},
        )


@pytest.fixture
def invited(no_slots, make_applicant, submitted_application, embassy_us):
    """invited(username, language="en") -> an application invited to interview."""

    def _make(username, language="en"):
        applicant = make_applicant(username, language=language)
        applicant.time_zone = "America/New_York"
        applicant.save(update_fields=["time_zone"])
        application = submitted_application(applicant)
        services.interviews_invite(by=embassy_us, applications=[application])
        application.refresh_from_db()
        return application

    return _make


# --- a day of slots at once ------------------------------------------------------------


def test_a_day_of_slots_is_published_at_once_in_the_staff_zone(
    no_slots, embassy_us, open_year, day
):
    slots = _day(embassy_us, day, (9, 0), (12, 10), year=open_year, capacity=2)

    starts = [slot.starts_at.astimezone(NEW_YORK) for slot in slots]
    assert [(s.hour, s.minute) for s in starts] == [
        (9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (11, 30)
    ]  # fmt: skip
    assert all(s.date() == day for s in starts)
    assert {slot.ends_at - slot.starts_at for slot in slots} == {dt.timedelta(minutes=30)}
    assert InterviewSlot.objects.filter(mission=no_slots, capacity=2).count() == 6


def test_a_day_that_overlaps_published_slots_is_refused_whole(no_slots, embassy_us, open_year, day):
    _day(embassy_us, day, (9, 0), (12, 0), year=open_year)

    with pytest.raises(DomainError) as refused:
        _day(embassy_us, day, (11, 30), (14, 0), year=open_year)

    assert refused.value.field == "first_start"
    assert "overlap the slot of" in refused.value.message
    assert "11:30" in refused.value.message or "11:30 a.m." in refused.value.message
    # Nothing of the refused day was kept: the six first slots only.
    assert InterviewSlot.objects.filter(mission=no_slots).count() == 6
    # Back to back is not an overlap.
    assert len(_day(embassy_us, day, (12, 0), (13, 0), year=open_year)) == 2


def test_a_day_with_no_slot_fitting_is_refused(no_slots, embassy_us, open_year, day):
    with pytest.raises(DomainError) as refused:
        _day(embassy_us, day, (9, 0), (9, 20), year=open_year)
    assert refused.value.message == "No slot fits between these times."


def test_the_api_publishes_a_day_and_refuses_an_overlap(no_slots, api_as, open_year, day):
    client = api_as("embassy.us")
    body = {
        "day": day.isoformat(),
        "first_start": "14:00",
        "last_end": "16:00",
        "length": 40,
        "location": "Room 3",
    }
    created = client.post(reverse("api:interview-slot-day"), body, format="json")
    assert created.status_code == 201, created.content
    assert len(created.json()) == 3
    assert InterviewSlot.objects.filter(mission=no_slots, location="Room 3").count() == 3

    again = client.post(reverse("api:interview-slot-day"), body, format="json")
    assert again.status_code == 400
    assert "overlap the slot of" in again.content.decode()


def test_an_applicant_cannot_publish_a_day(api_as, invited, day):
    invited("cand.dayapi")
    client = api_as("applicant")
    response = client.post(
        reverse("api:interview-slot-day"),
        {"day": day.isoformat(), "first_start": "09:00", "last_end": "10:00", "length": 30},
        format="json",
    )
    assert response.status_code == 403


def test_the_mission_page_publishes_a_day(no_slots, client, login, open_year, day):
    login("embassy.us")
    response = client.post(
        reverse("mofa:mission-interviews"),
        {
            "form": "day",
            "day-day": day.isoformat(),
            "day-first_start": "09:00",
            "day-last_end": "11:00",
            "day-length": "30",
            "day-location": "Embassy, room 2",
            "day-capacity": "1",
        },
    )
    assert response.status_code == 302
    assert InterviewSlot.objects.filter(mission=no_slots, location="Embassy, room 2").count() == 4

    overlap = client.post(
        reverse("mofa:mission-interviews"),
        {
            "form": "day",
            "day-day": day.isoformat(),
            "day-first_start": "10:30",
            "day-last_end": "12:00",
            "day-length": "30",
            "day-location": "Embassy, room 2",
            "day-capacity": "1",
        },
    )
    assert overlap.status_code == 200
    assert "overlap the slot of" in overlap.content.decode()
    assert InterviewSlot.objects.filter(mission=no_slots).count() == 4


# --- full slots folded away ------------------------------------------------------------


def test_full_slots_are_folded_away_and_the_first_bookable_comes_first(
    invited, embassy_us, open_year, day, client, login, django_assert_max_num_queries
):
    slots = _day(embassy_us, day, (9, 0), (11, 0), year=open_year)
    takers = [invited(f"cand.fold{i}") for i in range(2)]
    for application, slot in zip(takers, slots[:2], strict=True):
        services.interview_book(by=embassy_us, application=application, slot=slot)

    login("embassy.us")
    with django_assert_max_num_queries(40):
        page = client.get(reverse("mofa:mission-interviews"))
    assert [s.pk for s in page.context["slots"]] == [s.pk for s in slots[2:]]
    assert [s.pk for s in page.context["full_slots"]] == [s.pk for s in slots[:2]]
    html = page.content.decode()
    assert "2 full slots hidden — show" in html
    assert html.index(f'data-testid="slot-{slots[2].pk}"') < html.index('data-testid="full-slots"')

    # The applicant's list folds them too.
    client.logout()
    mine = invited("cand.fold.me")
    client.force_login(mine.applicant)
    page = client.get(reverse("mofa:applicant-interview", args=[mine.pk]))
    assert [s.pk for s in page.context["slots"]] == [s.pk for s in slots[2:]]
    assert "2 full or past slots hidden — show" in page.content.decode()


# --- the meeting link only for the booked person -----------------------------------------


def test_the_meeting_link_shows_only_to_the_person_booked_in_the_slot(
    invited, embassy_us, open_year, day, client, api_client
):
    first, second = _day(
        embassy_us, day, (9, 0), (10, 0), year=open_year, online_url=MEET + "-a", capacity=2
    )
    booked, other = invited("cand.link1"), invited("cand.link2")
    services.interview_book(by=booked.applicant, application=booked, slot=first)

    def links(user):
        api_client.force_authenticate(user)
        rows = api_client.get(reverse("api:interview-slot-list")).json()["results"]
        return {row["id"]: row["online_url"] for row in rows}

    assert links(booked.applicant) == {first.pk: MEET + "-a", second.pk: ""}
    assert links(other.applicant) == {first.pk: "", second.pk: ""}
    assert links(embassy_us)[second.pk] == MEET + "-a"

    client.force_login(booked.applicant)
    assert (
        MEET + "-a"
        in client.get(reverse("mofa:applicant-interview", args=[booked.pk])).content.decode()
    )
    client.force_login(other.applicant)
    assert (
        MEET
        not in client.get(reverse("mofa:applicant-interview", args=[other.pk])).content.decode()
    )


# --- the schedule, the feed and the invitation ---------------------------------------------


def _vevents(ics: bytes, uid_start: str = "interview-") -> list:
    calendar = Calendar.from_ical(ics)
    return [c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith(uid_start)]


def test_a_booked_interview_is_on_the_schedule_and_in_the_feed(
    invited, embassy_us, open_year, day, client
):
    (slot,) = _day(embassy_us, day, (9, 0), (9, 30), year=open_year, location="Room 5")
    application = invited("cand.sched")
    services.interview_book(by=application.applicant, application=application, slot=slot)

    client.force_login(application.applicant)
    page = client.get(reverse("events:schedule"))
    assert page.status_code == 200
    (item,) = page.context["items"]
    assert item.starts_at == slot.starts_at
    assert MEET in page.content.decode()

    feed = events_services.calendar_feed_get(person=application.applicant)
    ics = client.get(reverse("calendar:calendar-feed", kwargs={"token": feed.token})).content
    (vevent,) = _vevents(ics)
    assert vevent["dtstart"].dt == slot.starts_at
    assert vevent["location"] == "Room 5"
    assert MEET in str(vevent["description"])

    # The mission's staff: their booked slot (no panel named: the whole mission's).
    client.force_login(embassy_us)
    page = client.get(reverse("events:schedule"))
    assert page.status_code == 200
    assert [i.starts_at for i in page.context["items"]] == [slot.starts_at]
    # Another applicant has nothing of it.
    other = invited("cand.sched2")
    client.force_login(other.applicant)
    assert client.get(reverse("events:schedule")).context["items"] == []


def test_the_api_gives_the_booked_interview_on_the_schedule(
    invited, embassy_us, open_year, day, api_client, django_assert_max_num_queries
):
    slots = _day(embassy_us, day, (9, 0), (10, 0), year=open_year)
    application = invited("cand.sched.api")
    services.interview_book(by=application.applicant, application=application, slot=slots[1])

    api_client.force_authenticate(application.applicant)
    with django_assert_max_num_queries(12):
        rows = api_client.get(reverse("api:me-schedule-items")).json()
    assert [(row["starts_at"][:16], row["online_url"]) for row in rows] == [
        (slots[1].starts_at.isoformat()[:16], MEET)
    ]
    other = invited("cand.sched.api2")
    api_client.force_authenticate(other.applicant)
    assert api_client.get(reverse("api:me-schedule-items")).json() == []


def _invitation(message):
    parts = [
        part for part in message.message().walk() if part.get_content_type() == "text/calendar"
    ]
    assert len(parts) == 1
    return parts[0]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_booking_sends_an_ics_invitation_in_the_person_language_and_zone(
    invited, embassy_us, open_year, day, language, django_capture_on_commit_callbacks, us_mission
):
    (slot,) = _day(embassy_us, day, (9, 0), (9, 30), year=open_year)
    application = invited(f"cand.ics.{language}", language=language)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_book(by=application.applicant, application=application, slot=slot)

    (message,) = [m for m in mail.outbox if m.to == [application.applicant.email]]
    part = _invitation(message)
    assert part.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert calendar["method"] == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")
    start = vevent["dtstart"].dt
    assert start == slot.starts_at
    assert str(start.tzinfo) == "America/New_York"
    assert (start.hour, start.minute) == (9, 0)
    mission = us_mission.name_ja if language == "ja" else us_mission.name_en
    expected = "JET Programme interview at" if language == "en" else "JETプログラム面接"
    assert mission in str(vevent["summary"])
    assert expected in str(vevent["summary"])
    assert str(vevent["attendee"]) == f"mailto:{application.applicant.email}"


def test_a_changed_time_updates_the_same_calendar_entry(
    invited, embassy_us, open_year, day, django_capture_on_commit_callbacks
):
    first, second = _day(embassy_us, day, (9, 0), (10, 0), year=open_year)
    application = invited("cand.ics.move")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_book(by=application.applicant, application=application, slot=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_book(by=application.applicant, application=application, slot=second)

    events = [
        Calendar.from_ical(_invitation(m).get_payload(decode=True)).walk("VEVENT")[0]
        for m in mail.outbox
        if m.to == [application.applicant.email]
    ]
    assert len({str(e["uid"]) for e in events}) == 1
    assert [int(e["sequence"]) for e in events] == [0, 1]
    assert events[1]["dtstart"].dt == second.starts_at


# --- the next step banner ------------------------------------------------------------------


def test_the_next_step_follows_the_application(
    open_year, make_applicant, draft_application, invited, embassy_us, day, client
):
    assert next_step(application=None, programme_year=open_year).key == "start"
    draft = draft_application(make_applicant("cand.next.draft"))
    step = next_step(application=draft, programme_year=open_year)
    assert (step.key, step.due) == ("finish", open_year.application_deadline)

    application = invited("cand.next")
    assert next_step(application=application, programme_year=open_year).key == "book"
    (slot,) = _day(embassy_us, day, (9, 0), (9, 30), year=open_year)
    services.interview_book(by=application.applicant, application=application, slot=slot)
    application = Application.objects.get(pk=application.pk)
    step = next_step(application=application, programme_year=open_year)
    assert (step.key, step.due) == ("attend", slot.starts_at)

    client.force_login(application.applicant)
    html = client.get(reverse("mofa:applicant-workspace")).content.decode()
    assert 'data-step="attend"' in html
    assert reverse("mofa:applicant-interview", args=[application.pk]) in html

    # The API gives the same step, in the applicant's own time zone.
    api = APIClient()
    api.force_authenticate(application.applicant)
    answer = api.get(reverse("api:me-next-step")).json()
    assert answer["key"] == "attend"
    assert dt.datetime.fromisoformat(answer["due"]) == slot.starts_at
    assert answer["url"] == reverse("mofa:applicant-interview", args=[application.pk])


def test_the_next_step_is_the_reply_form_by_its_date(
    invited, published_numbers, embassy_us, us_manager, open_year
):
    published_numbers(places=1)
    application = invited("cand.next.reply")
    services.applications_decide(
        by=embassy_us, applications=[application], decision=Application.Status.SHORTLISTED
    )
    services.results_release(by=us_manager, programme_year=open_year)
    application = Application.objects.get(pk=application.pk)

    step = next_step(application=application, programme_year=open_year)
    assert step.key == "reply"
    assert step.due == open_year.reply_deadline is not None
    assert step.url == reverse("mofa:applicant-reply", args=[application.pk])
    api = APIClient()
    api.force_authenticate(application.applicant)
    answer = api.get(reverse("api:me-next-step")).json()
    assert answer["key"] == "reply"
    assert answer["due"].startswith(open_year.reply_deadline.isoformat()[:10])
    api.force_authenticate(embassy_us)
    assert api.get(reverse("api:me-next-step")).status_code == 403
