# ruff: noqa: RUF001  (Japanese text uses full-width brackets and colons, as Japanese does)
"""The event pages with the Django client: organisers create and change events in both
languages, MEXT adds workshops to CLAIR's conferences, organisers see and export only
their own events' registrations and check people in; a person registers, waits, cancels,
chooses sessions and reads their schedule in their own language and time zone. And who
gets 404 (cannot see the event) or 403 (sees it, may not change it) on each page."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.test import TestCase
from django.utils import timezone

from apps.core.models import Job, Kind
from apps.events import services as events
from apps.events.models import CalendarFeed, Event, Registration, Session
from apps.notifications.models import Notification
from tests.events.conftest import NEW_YORK, TOKYO, soon

pytestmark = pytest.mark.django_db

EVENTS = "/programme/events/"


def _event_form(**overrides) -> dict:
    data = {
        "kind": "SKILL_DEV",
        "title_en": "CIR Mid-Year Conference",
        "title_ja": "CIR中間研修",
        "description_en": "Translation and interpreting workshops.",
        "description_ja": "翻訳・通訳の研修。",
        "venue_en": "Hotel Grand Palace, Tokyo",
        "venue_ja": "ホテルグランドパレス（東京）",
        "bring_en": "A laptop.",
        "bring_ja": "ノートパソコン",
        "online_url": "",
        "time_zone": "Asia/Tokyo",
        "starts_at": soon(40, 9).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": soon(41, 17).strftime("%Y-%m-%dT%H:%M"),
        "registration_opens": "",
        "registration_closes": "",
        "capacity": "",
        "audience": "CIR",
        "audience_prefecture": "",
        "arrival_group": "",
    }
    return data | overrides


def _form_initial(event: Event) -> dict:
    from apps.events.forms import EventForm

    initial = EventForm.initial_from(event)
    data = {}
    for name, value in initial.items():
        if value is None or value is False:
            data[name] = ""
        elif isinstance(value, dt.datetime):
            data[name] = value.strftime("%Y-%m-%dT%H:%M")
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = value
    return data


# --- organisers: create and change ---------------------------------------------------------


def test_clair_creates_an_event_in_both_languages_timed_in_its_zone(as_user, clair):
    client = as_user(clair)
    page = client.get(f"{EVENTS}new/?kind=SKILL_DEV").content.decode()
    assert "<legend>English</legend>" in page
    assert "<legend>日本語</legend>" in page
    response = client.post(f"{EVENTS}new/", _event_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title_en="CIR Mid-Year Conference")
    assert response["Location"] == f"{EVENTS}{event.pk}/"
    assert event.title_ja == "CIR中間研修"
    assert event.venue_ja == "ホテルグランドパレス（東京）"
    assert event.bring_en == "A laptop."
    assert event.organiser == clair.organisation
    assert event.starts_at == soon(40, 9)
    assert timezone.localtime(event.starts_at, TOKYO).hour == 9


def test_a_mission_times_its_event_in_its_own_zone(as_user, embassy_us):
    form = _event_form(
        kind="INFO",
        title_en="Information session in Washington",
        time_zone="America/New_York",
        starts_at=soon(20, 18, tz=NEW_YORK).strftime("%Y-%m-%dT%H:%M"),
        ends_at=soon(20, 20, tz=NEW_YORK).strftime("%Y-%m-%dT%H:%M"),
        audience="APPLICANTS",
    )
    response = as_user(embassy_us).post(f"{EVENTS}new/", form)
    assert response.status_code == 302
    event = Event.objects.get(title_en="Information session in Washington")
    assert event.starts_at == soon(20, 18, tz=NEW_YORK)
    assert event.starts_at.astimezone(zoneinfo.ZoneInfo("UTC")).hour in (23, 22)


def test_new_event_offers_only_the_kinds_the_organisation_runs(as_user, embassy_us, clair):
    page = as_user(embassy_us).get(EVENTS).content.decode()
    new_kinds = page[page.index('id="new-kind"') :].split("</select>")[0]
    assert 'value="INFO"' in new_kinds
    assert 'value="PRE_DEPARTURE"' in new_kinds
    assert 'value="TOKYO"' not in new_kinds
    page = as_user(clair).get(EVENTS).content.decode()
    new_kinds = page[page.index('id="new-kind"') :].split("</select>")[0]
    assert 'value="TOKYO"' in new_kinds
    assert 'value="INFO"' not in new_kinds
    response = as_user(embassy_us).post(f"{EVENTS}new/", _event_form(kind="TOKYO"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Event.objects.filter(title_en="CIR Mid-Year Conference").exists()


@pytest.mark.parametrize("username", ["mext", "mofa", "participant", "applicant"])
def test_only_organisers_open_the_new_event_form(as_user, username, django_user_model):
    user = django_user_model.objects.get(username=username)
    assert as_user(user).get(f"{EVENTS}new/").status_code == 403


def test_a_service_refusal_is_shown_on_the_form(as_user, clair):
    form = _event_form(ends_at=soon(39, 9).strftime("%Y-%m-%dT%H:%M"))
    response = as_user(clair).post(f"{EVENTS}new/", form)
    assert response.status_code == 200
    assert "The end must come after the start." in response.content.decode()


def test_the_edit_form_shows_times_in_the_events_zone(as_user, embassy_us, info_session):
    page = as_user(embassy_us).get(f"{EVENTS}{info_session.pk}/edit/").content.decode()
    expected = soon(21, 18, tz=NEW_YORK).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{expected}"' in page
    assert '<option value="America/New_York" selected>' in page


def test_a_change_is_saved_and_everyone_registered_is_told(as_user, clair, conference, make_person):
    person = make_person("events.told")
    events.registration_create(by=person, event=conference)
    data = _form_initial(conference) | {
        "title_ja": "スキル研修（改）",
        "venue_en": "Tokyo International Forum",
        "starts_at": soon(30, 10).strftime("%Y-%m-%dT%H:%M"),
    }
    response = as_user(clair).post(f"{EVENTS}{conference.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    conference.refresh_from_db()
    assert conference.title_ja == "スキル研修（改）"
    assert conference.venue_en == "Tokyo International Forum"
    assert conference.starts_at == soon(30, 10)
    notice = Notification.objects.get(recipient=person, kind="event_changed")
    assert notice.context["event"] == conference.pk


def test_an_unchanged_form_tells_no_one(as_user, clair, conference, make_person):
    person = make_person("events.quiet")
    events.registration_create(by=person, event=conference)
    sequence = conference.sequence
    response = as_user(clair).post(f"{EVENTS}{conference.pk}/edit/", _form_initial(conference))
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.sequence == sequence
    assert not Notification.objects.filter(recipient=person, kind="event_changed").exists()


# --- who may open what -----------------------------------------------------------------------


def test_mext_adds_a_workshop_to_a_clair_conference(as_user, mext, conference, parallel_a):
    client = as_user(mext)
    page = client.get(f"{EVENTS}{conference.pk}/").content.decode()
    assert "Add a workshop" in page
    assert 'data-testid="event-edit"' not in page
    assert f'data-testid="session-edit-{parallel_a.pk}"' not in page
    response = client.post(
        f"{EVENTS}{conference.pk}/sessions/new/",
        {
            "title_en": "Teaching with the new Course of Study",
            "title_ja": "新学習指導要領と授業",
            "starts_at": soon(31, 10).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": soon(31, 11).strftime("%Y-%m-%dT%H:%M"),
            "room": "Room C",
            "track": "MEXT",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop = Session.objects.get(title_en="Teaching with the new Course of Study")
    assert workshop.presenter == mext.organisation
    assert workshop.starts_at == soon(31, 10)
    page = client.get(f"{EVENTS}{conference.pk}/").content.decode()
    assert f'data-testid="session-edit-{workshop.pk}"' in page
    assert f'data-testid="session-edit-{parallel_a.pk}"' not in page
    # Its own workshop it may change; CLAIR's session it may not.
    assert client.get(f"/programme/sessions/{workshop.pk}/edit/").status_code == 200
    assert client.get(f"/programme/sessions/{parallel_a.pk}/edit/").status_code == 403
    assert client.post(f"/programme/sessions/{parallel_a.pk}/delete/").status_code == 403
    assert Session.objects.filter(pk=parallel_a.pk).exists()
    # Nor the event itself.
    assert client.get(f"{EVENTS}{conference.pk}/edit/").status_code == 403
    assert (
        client.post(f"{EVENTS}{conference.pk}/edit/", _form_initial(conference)).status_code == 403
    )


def test_mext_cannot_open_an_event_outside_the_conferences(as_user, mext, info_session):
    client = as_user(mext)
    assert client.get(f"{EVENTS}{info_session.pk}/").status_code == 404
    assert client.get(f"{EVENTS}{info_session.pk}/edit/").status_code == 404
    assert client.get(f"{EVENTS}{info_session.pk}/sessions/new/").status_code == 404


def test_clair_changes_and_removes_its_own_sessions(as_user, clair, conference, parallel_a):
    client = as_user(clair)
    data = {
        "title_en": "Team teaching, revisited",
        "title_ja": parallel_a.title_ja,
        "starts_at": soon(30, 10).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": soon(30, 11, 30).strftime("%Y-%m-%dT%H:%M"),
        "room": "Room A",
        "track": "A",
    }
    assert client.post(f"/programme/sessions/{parallel_a.pk}/edit/", data).status_code == 302
    parallel_a.refresh_from_db()
    assert parallel_a.title_en == "Team teaching, revisited"
    assert client.post(f"/programme/sessions/{parallel_a.pk}/delete/").status_code == 302
    assert not Session.objects.filter(pk=parallel_a.pk).exists()


def test_a_contracting_organisation_cannot_open_another_organisations_event(
    as_user, co_sapporo, conference, info_session
):
    client = as_user(co_sapporo)
    for event in (conference, info_session):
        assert client.get(f"{EVENTS}{event.pk}/").status_code == 404
        assert client.get(f"{EVENTS}{event.pk}/edit/").status_code == 404
        assert client.post(f"{EVENTS}{event.pk}/registrations/export/").status_code == 404
    page = client.get(f"{EVENTS}?past=1").content.decode()
    assert f'data-testid="event-{conference.pk}"' not in page
    assert f'data-testid="event-{info_session.pk}"' not in page


def test_a_prefectural_seminar_is_its_hosts_alone_to_change(as_user, co_hyogo, co_sapporo, year):
    seminar = events.event_create(
        by=co_hyogo,
        programme_year=year,
        kind=Event.Kind.ALT_MID_YEAR,
        title_en="Hyogo ALT mid-year seminar",
        starts_at=soon(50, 9),
        ends_at=soon(50, 17),
        audience=Event.Audience.PREFECTURE,
        audience_prefecture=co_hyogo.organisation.prefecture,
    )
    assert as_user(co_hyogo).get(f"{EVENTS}{seminar.pk}/edit/").status_code == 200
    assert as_user(co_sapporo).get(f"{EVENTS}{seminar.pk}/edit/").status_code == 404


def test_a_person_who_sees_the_event_may_not_change_it(
    as_user, participant, applicant, conference, info_session
):
    assert as_user(participant).get(f"{EVENTS}{conference.pk}/").status_code == 200
    assert as_user(participant).get(f"{EVENTS}{conference.pk}/edit/").status_code == 403
    # An applicant is not the conference's audience: it is not there for them.
    assert as_user(applicant).get(f"{EVENTS}{conference.pk}/").status_code == 404
    assert as_user(applicant).get(f"{EVENTS}{conference.pk}/edit/").status_code == 404
    assert as_user(applicant).get(f"{EVENTS}{info_session.pk}/edit/").status_code == 403


def test_mic_has_no_event_pages(as_user, mic, conference):
    assert as_user(mic).get(EVENTS).status_code == 403
    assert as_user(mic).get(f"{EVENTS}{conference.pk}/").status_code == 404


def test_the_navigation_leads_to_events_and_the_schedule(as_user, clair, participant, mext):
    assert 'data-nav="events"' in as_user(clair).get("/clair/").content.decode()
    assert 'data-nav="events"' in as_user(mext).get("/mext/").content.decode()
    page = as_user(participant).get("/participant/").content.decode()
    assert 'data-nav="schedule"' in page
    assert 'data-nav="events"' not in page


# --- registrations, as organisers see them ----------------------------------------------------


def _export_rows(client, event) -> list[list[str]]:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"{EVENTS}{event.pk}/registrations/export/", {"format": "csv"})
    assert response.status_code == 302, response.content[:400]
    job = Job.objects.latest("pk")
    assert response["Location"] == job.get_absolute_url()
    assert job.state == Job.State.DONE, job.error
    text = job.result_file.open("rb").read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_organisers_see_and_export_only_their_own_events_registrations(
    as_user, clair, embassy_us, conference, info_session, make_person
):
    at_conference = make_person("events.conference")
    at_info = make_person("events.info", kind=Kind.APPLICANT)
    at_info.last_name = "=HYPERLINK(1)"
    at_info.save()
    events.registration_create(by=at_conference, event=conference)
    events.registration_create(by=at_info, event=info_session)

    embassy = as_user(embassy_us)
    page = embassy.get(f"{EVENTS}{info_session.pk}/").content.decode()
    assert "Info =HYPERLINK(1)" in page
    assert "Conference Tester" not in page
    rows = _export_rows(embassy, info_session)
    assert [row[:3] for row in rows[1:]] == [["'=HYPERLINK(1)", "Info", "events.info@example.com"]]

    clair_client = as_user(clair)
    page = clair_client.get(f"{EVENTS}{conference.pk}/").content.decode()
    assert "Conference Tester" in page
    assert "HYPERLINK" not in page
    rows = _export_rows(clair_client, conference)
    assert [row[2] for row in rows[1:]] == ["events.conference@example.com"]
    # The embassy cannot see CLAIR's conference at all.
    assert embassy.post(f"{EVENTS}{conference.pk}/registrations/export/").status_code == 404


def test_mext_sees_no_registrations_and_cannot_export(as_user, mext, conference, make_person):
    events.registration_create(by=make_person("events.private"), event=conference)
    client = as_user(mext)
    page = client.get(f"{EVENTS}{conference.pk}/").content.decode()
    assert "Private Tester" not in page
    assert 'data-testid="registrations-table"' not in page
    response = client.post(f"{EVENTS}{conference.pk}/registrations/export/", {"format": "csv"})
    assert response.status_code == 403


def test_the_organiser_sees_the_counts(as_user, embassy_us, info_session, make_person):
    for name in ("one", "two", "three"):
        events.registration_create(
            by=make_person(f"events.{name}", kind=Kind.APPLICANT), event=info_session
        )
    page = as_user(embassy_us).get(f"{EVENTS}{info_session.pk}/").content.decode()
    assert '<dd data-testid="count-registered">2</dd>' in page
    assert '<dd data-testid="count-waitlisted">1</dd>' in page
    assert '<dd data-testid="count-capacity">2</dd>' in page


def test_the_organiser_checks_people_in(
    as_user, clair, co_sapporo, conference, make_person, embassy_us
):
    person = make_person("events.arrives")
    registration = events.registration_create(by=person, event=conference)
    url = f"/programme/registrations/{registration.pk}/check-in/"
    # The person sees their registration but does not check themselves in.
    assert as_user(person).post(url).status_code == 403
    assert as_user(co_sapporo).post(url).status_code == 404
    assert as_user(embassy_us).post(url).status_code == 404
    response = as_user(clair).post(url, {"next": f"{EVENTS}{conference.pk}/?page=1"})
    assert response.status_code == 302
    assert response["Location"] == f"{EVENTS}{conference.pk}/?page=1"
    registration.refresh_from_db()
    assert registration.attended_at is not None
    assert registration.checked_in_by == clair
    page = as_user(clair).get(f"{EVENTS}{conference.pk}/").content.decode()
    assert f'data-testid="checked-in-{registration.pk}"' in page
    assert f'data-testid="check-in-{registration.pk}"' not in page


def test_the_registrations_table_costs_the_same_queries_for_one_row_or_many(
    as_user, embassy_us, info_session, make_person
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(embassy_us)
    url = f"{EVENTS}{info_session.pk}/"
    events.registration_create(by=make_person("events.q1", kind=Kind.APPLICANT), event=info_session)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    Event.objects.filter(pk=info_session.pk).update(capacity=None)
    for n in range(2, 8):
        events.registration_create(
            by=make_person(f"events.q{n}", kind=Kind.APPLICANT), event=info_session
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one), "\n".join(q["sql"] for q in many.captured_queries)


# --- the person: register, wait, cancel ------------------------------------------------------


def test_a_person_registers_waits_when_full_and_moves_up(as_user, info_session, make_person):
    first, second, third = (
        make_person(f"events.{n}", kind=Kind.APPLICANT) for n in ("first", "second", "third")
    )
    Event.objects.filter(pk=info_session.pk).update(capacity=1)
    register = f"{EVENTS}{info_session.pk}/register/"
    assert as_user(first).post(register).status_code == 302
    response = as_user(second).post(register, follow=True)
    assert "The event is full: you are on the waitlist" in response.content.decode()
    as_user(third).post(register)
    assert Registration.objects.get(person=first).state == "REGISTERED"
    assert Registration.objects.get(person=second).state == "WAITLISTED"

    page = as_user(third).get(EVENTS).content.decode()
    assert "On the waitlist: number 2" in page
    assert "On the waitlist: number 1" in as_user(second).get(EVENTS).content.decode()

    mine = Registration.objects.get(person=first)
    # Nobody cancels someone else's registration (it is not theirs to see).
    assert as_user(third).post(f"/programme/registrations/{mine.pk}/cancel/").status_code == 404
    response = as_user(first).post(
        f"/programme/registrations/{mine.pk}/cancel/", {"confirm": "yes"}
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=mine.pk).state == "CANCELLED"
    assert Registration.objects.get(person=second).state == "REGISTERED"
    assert Notification.objects.filter(recipient=second, kind="event_waitlist_moved_up").exists()
    assert "On the waitlist: number 1" in as_user(third).get(EVENTS).content.decode()
    assert 'data-testid="register-' in as_user(first).get(EVENTS).content.decode()


def test_the_applicants_mission_sees_their_registration_but_does_not_cancel_it(
    as_user, applicant, embassy_us, embassy_uk, year
):
    """The demo applicant applied through the US embassy, which sees their registration
    for the British embassy's session: visible, not the mission's to cancel (403)."""
    event = events.event_create(
        by=embassy_uk,
        programme_year=year,
        kind=Event.Kind.INFORMATION_SESSION,
        title_en="JET information evening, London",
        starts_at=soon(21, 18),
        ends_at=soon(21, 20),
        audience=Event.Audience.APPLICANTS,
    )
    registration = events.registration_create(by=applicant, event=event)
    cancel = f"/programme/registrations/{registration.pk}/cancel/"
    assert as_user(embassy_us).post(cancel).status_code == 403
    registration.refresh_from_db()
    assert registration.state == "REGISTERED"
    assert as_user(embassy_uk).post(cancel, {"confirm": "yes"}).status_code == 302
    registration.refresh_from_db()
    assert registration.state == "CANCELLED"


def test_a_person_lists_only_the_events_meant_for_them(
    as_user, applicant, participant, conference, info_session
):
    page = as_user(applicant).get(EVENTS).content.decode()
    assert f'data-testid="event-{info_session.pk}"' in page
    assert f'data-testid="event-{conference.pk}"' not in page
    page = as_user(participant).get(EVENTS).content.decode()
    assert f'data-testid="event-{conference.pk}"' in page
    assert f'data-testid="event-{info_session.pk}"' not in page
    response = as_user(participant).post(f"{EVENTS}{info_session.pk}/register/")
    assert response.status_code == 404


def test_a_session_clash_is_refused_in_the_persons_language(
    as_user, make_person, conference, parallel_a, parallel_b, plenary
):
    person = make_person("events.clash", language="ja")
    registration = events.registration_create(by=person, event=conference)
    client = as_user(person)
    url = f"{EVENTS}{conference.pk}/"
    page = client.get(url).content.decode()
    assert "効果的なティーム・ティーチング" in page  # the choices, in Japanese
    response = client.post(url, {"sessions": [parallel_a.pk, parallel_b.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    error = page.split('data-testid="session-choice-error">')[1].split("</p>")[0]
    # The sessions are named as the person reads them.
    assert "効果的なティーム・ティーチング" in error
    assert "職員室の日本語" in error
    assert list(registration.sessions.all()) == []

    response = client.post(url, {"sessions": [parallel_b.pk, plenary.pk]})
    assert response.status_code == 302
    assert set(registration.sessions.all()) == {parallel_b, plenary}
    page = client.get(url).content.decode()
    checked = {
        int(tag.split('value="')[1].split('"')[0])
        for tag in page.split("<input")[1:]
        if 'name="sessions"' in tag and "checked" in tag.split(">")[0]
    }
    assert checked == {parallel_b.pk, plenary.pk}


def test_sessions_of_another_event_are_not_a_choice(
    as_user, make_person, conference, parallel_a, info_session, embassy_us
):
    other = events.session_create(
        by=embassy_us,
        event=info_session,
        title_en="Questions and answers",
        starts_at=soon(21, 19, tz=NEW_YORK),
        ends_at=soon(21, 20, tz=NEW_YORK),
    )
    person = make_person("events.other")
    registration = events.registration_create(by=person, event=conference)
    response = as_user(person).post(f"{EVENTS}{conference.pk}/", {"sessions": [other.pk]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert list(registration.sessions.all()) == []


# --- the schedule ----------------------------------------------------------------------------


def _tokyo_orientation(clair, year, days: int) -> Event:
    return events.event_create(
        by=clair,
        programme_year=year,
        kind=Event.Kind.TOKYO_ORIENTATION,
        title_en=f"Tokyo Orientation in {days} days",
        title_ja=f"東京オリエンテーション（{days}日後）",
        venue_en="Keio Plaza Hotel",
        venue_ja="京王プラザホテル",
        bring_en="Your passport",
        bring_ja="パスポート",
        starts_at=soon(days, 9),
        ends_at=soon(days, 17),
        audience=Event.Audience.ALL_PARTICIPANTS,
    )


def test_the_schedule_is_soonest_first_in_the_persons_language(
    as_user, clair, year, make_person, conference, parallel_b, plenary
):
    person = make_person("events.schedule", language="ja")
    later = events.registration_create(by=person, event=conference)
    sooner = _tokyo_orientation(clair, year, 10)
    events.registration_create(by=person, event=sooner)
    events.registration_sessions_choose(by=person, registration=later, sessions=[parallel_b])

    page = as_user(person).get("/programme/schedule/").content.decode()
    assert page.index(f'data-testid="schedule-event-{sooner.pk}"') < page.index(
        f'data-testid="schedule-event-{conference.pk}"'
    )
    assert "東京オリエンテーション（10日後）" in page
    assert "スキルデベロップメント・カンファレンス" in page
    assert "京王プラザホテル（新宿）" in page
    assert "名札とノート" in page
    assert "職員室の日本語" in page  # the chosen session
    assert f'data-testid="schedule-session-{plenary.pk}"' not in page  # not chosen
    day = soon(10, 9)
    assert f"{day.year}年{day.month}月{day.day}日 09:00" in page
    assert "Skill Development Conference" not in page

    person.language = "en"
    person.save()
    page = as_user(person).get("/programme/schedule/").content.decode()
    assert "Skill Development Conference" in page
    assert "Japanese for the staff room" in page
    assert "Your name badge and a notebook." in page


def test_the_schedule_shows_times_in_the_persons_time_zone(as_user, make_person, conference):
    person = make_person("events.abroad")
    person.time_zone = "America/New_York"
    person.save()
    events.registration_create(by=person, event=conference)
    page = as_user(person).get("/programme/schedule/").content.decode()
    start = timezone.localtime(conference.starts_at, NEW_YORK)
    # 09:00 in Tokyo is 19:00 the evening before in New York, 20:00 in summer time.
    assert start.strftime("%H:%M") == ("20:00" if start.dst() else "19:00")
    assert f'<time datetime="{start.isoformat()}">' in page
    assert "America/New_York" in page


def test_the_placed_participant_sees_the_orientation_on_the_schedule(
    as_user, placed_participant, clair, year
):
    orientation = _tokyo_orientation(clair, year, 12)
    client = as_user(placed_participant)
    assert client.post(f"{EVENTS}{orientation.pk}/register/").status_code == 302
    page = client.get("/programme/schedule/").content.decode()
    assert f'data-testid="schedule-event-{orientation.pk}"' in page
    assert "Your passport" in page


def test_the_calendar_address_is_shown_and_reset(as_user, participant):
    client = as_user(participant)
    page = client.get("/programme/schedule/").content.decode()
    token = CalendarFeed.objects.get(person=participant).token
    assert f"http://testserver/calendar/{token}.ics" in page
    assert client.post("/programme/schedule/calendar/reset/").status_code == 302
    new_token = CalendarFeed.objects.get(person=participant).token
    assert new_token != token
    page = client.get("/programme/schedule/").content.decode()
    assert f"/calendar/{new_token}.ics" in page
    assert token not in page


@pytest.mark.parametrize("username", ["clair", "mext", "co.hyogo"])
def test_staff_have_no_schedule(as_user, username, django_user_model):
    user = django_user_model.objects.get(username=username)
    assert as_user(user).get("/programme/schedule/").status_code == 403
    assert as_user(user).post("/programme/schedule/calendar/reset/").status_code == 403
