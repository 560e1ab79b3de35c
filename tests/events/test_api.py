"""Events, sessions, registrations and the caller's schedule through /api/v1/: the same
selectors and services as the pages; 404 for what the caller cannot see, 403 for what
they see but may not change."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.models import PersonRole, Prefecture, ProgrammeYear, User
from apps.events import services
from apps.events.models import Event, Registration, Session
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

EK = Event.Kind
AUD = Event.Audience
PASSWORD = "events-api-2027"


def _start(days: int = 30) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


def _event(by: User, *, days: int = 30, hours: int = 8, **fields) -> Event:
    starts = _start(days)
    values = {
        "kind": EK.INFORMATION_SESSION,
        "title_en": "JET information session",
        "title_ja": "JETプログラム説明会",
        "venue_en": "Embassy hall",
        "venue_ja": "大使館ホール",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "audience": AUD.APPLICANTS,
    } | fields
    return services.event_create(
        by=by, programme_year=ProgrammeYear.objects.get(is_current=True), **values
    )


def _seminar(co_hyogo: User, **fields) -> Event:
    """A prefectural ALT seminar in Hyogo: a conference MEXT may add workshops to."""
    values = {
        "kind": EK.ALT_MID_YEAR,
        "title_en": "Hyogo ALT mid-year seminar",
        "title_ja": "兵庫県ALT中間研修",
        "audience": AUD.PREFECTURE,
        "audience_prefecture": Prefecture.objects.get(code="28"),
    } | fields
    return _event(co_hyogo, **values)


def _at(event: Event, hours: float, length: float = 1.0) -> dict:
    starts = event.starts_at + datetime.timedelta(hours=hours)
    return {"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=length)}


def _person(name: str, role: str = PersonRole.APPLICANT, **fields) -> User:
    return User.objects.create_user(f"api.{name}", password=PASSWORD, person_role=role, **fields)


@pytest.fixture
def as_user(db):
    """A fresh API client, signed in with a real token, for a demo account (by username)
    or for a user made in the test; each call its own client, so several stay usable."""

    def _as(user):
        username, password = (
            (user, DEMO_PASSWORD)
            if isinstance(user, str)
            else (
                user.username,
                PASSWORD,
            )
        )
        client = APIClient()
        response = client.post("/api/v1/auth/token/", {"username": username, "password": password})
        assert response.status_code == 200, response.content
        client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return client

    return _as


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- events -----------------------------------------------------------------------------


def test_events_are_listed_to_whom_they_are_meant(as_user, embassy_us, participant):
    info = _event(embassy_us)
    assert info.pk in _ids(as_user("applicant").get("/api/v1/events/"))
    assert info.pk in _ids(as_user("embassy.us").get("/api/v1/events/"))
    assert info.pk in _ids(as_user("mofa").get("/api/v1/events/"))
    # An information session is for applicants, not for a participant or a far-away
    # contracting organisation: absent from their list, and 404 by id.
    for username in ("participant", "co.sapporo"):
        client = as_user(username)
        assert info.pk not in _ids(client.get("/api/v1/events/"))
        assert client.get(f"/api/v1/events/{info.pk}/").status_code == 404


def test_an_event_reads_in_both_languages_and_in_the_callers(as_user, embassy_us):
    event = _event(embassy_us, capacity=10)
    person = _person("reader.ja", language="ja")
    services.registration_create(by=person, event=event)

    row = as_user(person).get(f"/api/v1/events/{event.pk}/").json()
    assert (row["title"], row["title_en"], row["title_ja"]) == (
        "JETプログラム説明会",
        "JET information session",
        "JETプログラム説明会",
    )
    assert row["venue"] == "大使館ホール"
    assert row["seats_taken"] == 1
    assert row["my_registration_state"] == "REGISTERED"
    assert row["my_registration"] == Registration.objects.get(person=person).pk
    assert datetime.datetime.fromisoformat(row["starts_at"]) == event.starts_at

    english = as_user(_person("reader.en")).get(f"/api/v1/events/{event.pk}/").json()
    assert english["title"] == "JET information session"
    assert english["my_registration"] is None


def test_organisers_create_events_others_are_refused(as_user):
    starts = _start(20)
    body = {
        "kind": EK.INFORMATION_SESSION,
        "title_en": "Information evening",
        "title_ja": "説明会",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + datetime.timedelta(hours=2)).isoformat(),
        "audience": AUD.APPLICANTS,
        "capacity": 40,
    }
    created = as_user("embassy.us").post("/api/v1/events/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["organiser_name"] == "Embassy of Japan in the United States"
    assert created.json()["programme_year"] == ProgrammeYear.objects.get(is_current=True).year
    assert created.json()["sequence"] == 0

    assert as_user("applicant").post("/api/v1/events/", body, format="json").status_code == 403
    # A mission runs no Tokyo Orientation: the service refuses, 400 on the field.
    tokyo = body | {"kind": EK.TOKYO_ORIENTATION, "audience": AUD.NEW_PARTICIPANTS}
    refused = as_user("embassy.us").post("/api/v1/events/", tokyo, format="json")
    assert refused.status_code == 400
    assert "kind" in refused.json()
    backwards = body | {"ends_at": (starts - datetime.timedelta(hours=1)).isoformat()}
    assert (
        as_user("embassy.us").post("/api/v1/events/", backwards, format="json").status_code == 400
    )


def test_only_the_organiser_edits_an_event(as_user, embassy_us):
    event = _event(embassy_us)
    patched = as_user("embassy.us").patch(
        f"/api/v1/events/{event.pk}/", {"venue_en": "Consulate hall"}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["venue_en"], patched.json()["sequence"]) == ("Consulate hall", 1)
    # MOFA sees every event but organises none of the embassy's: 403. The UK embassy
    # and a contracting organisation do not see it: 404.
    assert (
        as_user("mofa").patch(f"/api/v1/events/{event.pk}/", {"title_en": "X"}).status_code == 403
    )
    for username in ("embassy.uk", "co.sapporo"):
        response = as_user(username).patch(f"/api/v1/events/{event.pk}/", {"title_en": "X"})
        assert response.status_code == 404
    # CLAIR may change any event.
    assert as_user("clair").patch(f"/api/v1/events/{event.pk}/", {"capacity": 5}).status_code == 200
    event.refresh_from_db()
    # Capacity is the organiser's setting: no registrant is told, calendars stay as they are.
    assert (event.title_en, event.capacity, event.sequence) == ("JET information session", 5, 1)
    assert as_user("embassy.us").put(f"/api/v1/events/{event.pk}/", {}).status_code == 405


# --- sessions ---------------------------------------------------------------------------


def test_mext_adds_a_workshop_and_only_the_presenter_changes_it(as_user, co_hyogo, embassy_us):
    seminar = _seminar(co_hyogo)
    when = _at(seminar, 2)
    body = {
        "event": seminar.pk,
        "title_en": "The new course of study",
        "title_ja": "新学習指導要領",
        "starts_at": when["starts_at"].isoformat(),
        "ends_at": when["ends_at"].isoformat(),
        "room": "Hall A",
    }
    mext = as_user("mext")
    created = mext.post("/api/v1/sessions/", body, format="json")
    assert created.status_code == 201, created.content
    session_id = created.json()["id"]
    assert created.json()["presenter_name"].startswith("Ministry of Education")
    assert created.json()["event"] == seminar.pk

    # The seminar's organiser and MOFA see the workshop but may not change it: 403;
    # an organisation that does not see the seminar gets 404.
    for username in ("co.hyogo", "mofa"):
        client = as_user(username)
        assert client.get(f"/api/v1/sessions/{session_id}/").status_code == 200
        assert client.patch(f"/api/v1/sessions/{session_id}/", {"room": "B"}).status_code == 403
        assert client.delete(f"/api/v1/sessions/{session_id}/").status_code == 403
    for username in ("co.sapporo", "embassy.us"):
        client = as_user(username)
        assert client.patch(f"/api/v1/sessions/{session_id}/", {"room": "B"}).status_code == 404
        assert client.delete(f"/api/v1/sessions/{session_id}/").status_code == 404

    assert mext.patch(f"/api/v1/sessions/{session_id}/", {"room": "Hall C"}).json()["room"] == (
        "Hall C"
    )
    outside = {"ends_at": (seminar.ends_at + datetime.timedelta(hours=1)).isoformat()}
    assert mext.patch(f"/api/v1/sessions/{session_id}/", outside).status_code == 400
    assert mext.delete(f"/api/v1/sessions/{session_id}/").status_code == 204
    assert not Session.objects.filter(pk=session_id).exists()

    # MEXT adds nothing to a mission's information session (not a conference, not
    # even visible to it: a bad event id).
    info = _event(embassy_us)
    refused = mext.post("/api/v1/sessions/", body | {"event": info.pk}, format="json")
    assert refused.status_code == 400
    assert "event" in refused.json()
    # A contracting organisation that sees the seminar may still not add to it if it
    # does not run it.
    other = _seminar(User.objects.get(username="clair"))
    sapporo = as_user("co.sapporo")
    assert sapporo.post("/api/v1/sessions/", body | {"event": other.pk}).status_code == 400
    hyogo = as_user("co.hyogo")
    assert hyogo.post("/api/v1/sessions/", body | {"event": other.pk}).status_code == 403


def test_sessions_list_by_event(as_user, co_hyogo, mext):
    seminar = _seminar(co_hyogo)
    first = services.session_create(by=co_hyogo, event=seminar, title_en="One", **_at(seminar, 1))
    second = services.session_create(by=mext, event=seminar, title_en="Two", **_at(seminar, 3))
    other = _seminar(co_hyogo, days=40)
    services.session_create(by=co_hyogo, event=other, title_en="Elsewhere", **_at(other, 1))
    listed = as_user("co.hyogo").get("/api/v1/sessions/", {"event": seminar.pk})
    assert _ids(listed) == {first.pk, second.pk}
    assert listed.json()["count"] == 2


# --- registrations ----------------------------------------------------------------------


def test_register_choose_sessions_cancel_and_check_in(as_user, embassy_us):
    event = _event(embassy_us, capacity=1)
    one = services.session_create(by=embassy_us, event=event, title_en="One", **_at(event, 1))
    clash = services.session_create(by=embassy_us, event=event, title_en="Clash", **_at(event, 1.5))
    later = services.session_create(by=embassy_us, event=event, title_en="Later", **_at(event, 3))
    first, second = _person("reg.first"), _person("reg.second")

    seated = as_user(first).post("/api/v1/registrations/", {"event": event.pk})
    assert seated.status_code == 201, seated.content
    assert seated.json()["state"] == "REGISTERED"
    registration_id = seated.json()["id"]
    waiting = as_user(second).post("/api/v1/registrations/", {"event": event.pk})
    assert waiting.json()["state"] == "WAITLISTED"
    again = as_user(first).post("/api/v1/registrations/", {"event": event.pk})
    assert again.status_code == 400

    client = as_user(first)
    url = f"/api/v1/registrations/{registration_id}/"
    refused = client.post(f"{url}sessions/", {"sessions": [one.pk, clash.pk]}, format="json")
    assert refused.status_code == 400
    assert "sessions" in refused.json()
    chosen = client.post(f"{url}sessions/", {"sessions": [one.pk, later.pk]}, format="json")
    assert chosen.status_code == 200, chosen.content
    assert chosen.json()["sessions"] == sorted([one.pk, later.pk])
    elsewhere = _event(embassy_us, days=50)
    foreign = services.session_create(
        by=embassy_us, event=elsewhere, title_en="Foreign", **_at(elsewhere, 1)
    )
    assert client.post(
        f"{url}sessions/", {"sessions": [foreign.pk]}, format="json"
    ).status_code == (400)

    # Someone else's registration is not visible to another person; the organiser sees it
    # but chooses no sessions for them.
    assert as_user(second).get(url).status_code == 404
    assert as_user(second).post(f"{url}cancel/").status_code == 404
    organiser = as_user("embassy.us")
    assert organiser.post(f"{url}sessions/", {"sessions": []}, format="json").status_code == 403
    # The organiser's list shows each row's own choice, and none for one who chose none.
    listed = organiser.get("/api/v1/registrations/", {"event": event.pk}).json()["results"]
    assert {row["id"]: row["sessions"] for row in listed} == {
        registration_id: sorted([one.pk, later.pk]),
        waiting.json()["id"]: [],
    }

    # Check-in is the organiser's: 403 for the person, 200 for the embassy.
    assert client.post(f"{url}check-in/").status_code == 403
    checked = organiser.post(f"{url}check-in/")
    assert checked.status_code == 200
    assert checked.json()["attended_at"] is not None

    cancelled = client.post(f"{url}cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "CANCELLED"
    moved = Registration.objects.get(person=second, event=event)
    assert moved.state == Registration.State.REGISTERED
    assert client.post(f"{url}cancel/").status_code == 400


def test_registration_refusals(as_user, embassy_us, embassy_uk):
    event = _event(embassy_us)
    assert as_user("embassy.us").post(
        "/api/v1/registrations/", {"event": event.pk}
    ).status_code == (403)
    hidden = _event(embassy_uk, audience=AUD.SHORTLISTED)
    response = as_user(_person("hidden")).post("/api/v1/registrations/", {"event": hidden.pk})
    assert response.status_code == 400
    assert "event" in response.json()
    assert as_user(_person("bad")).post("/api/v1/registrations/", {"event": "x"}).status_code == 400


def test_the_applicants_mission_reads_their_registration_but_may_not_cancel_it(
    as_user, applicant, embassy_uk
):
    """The demo applicant applied through the US embassy, which sees their registration
    for the British embassy's session but may not cancel it."""
    registration = services.registration_create(by=applicant, event=_event(embassy_uk))
    url = f"/api/v1/registrations/{registration.pk}/"
    mission = as_user("embassy.us")
    assert mission.get(url).status_code == 200
    response = mission.post(f"{url}cancel/")
    assert response.status_code == 403
    assert response.json() == {"detail": "You cannot cancel this registration."}
    assert mission.post(f"{url}check-in/").status_code == 403
    registration.refresh_from_db()
    assert registration.state == Registration.State.REGISTERED


def test_organisers_see_only_their_own_events_registrations(as_user, embassy_us, embassy_uk):
    ours = _event(embassy_us)
    theirs = _event(embassy_uk)
    ours_people = [_person(f"ours.{n}") for n in range(3)]
    theirs_people = [_person(f"theirs.{n}") for n in range(2)]
    for person in ours_people:
        services.registration_create(by=person, event=ours)
    for person in theirs_people:
        services.registration_create(by=person, event=theirs)

    us = as_user("embassy.us")
    rows = us.get("/api/v1/registrations/", {"page_size": 200}).json()
    our_events = set(
        Event.objects.filter(organiser=embassy_us.organisation).values_list("pk", flat=True)
    )
    listed_people = {row["person"] for row in rows["results"]}
    assert {p.pk for p in ours_people} <= listed_people
    assert not {p.pk for p in theirs_people} & listed_people
    assert us.get("/api/v1/registrations/", {"event": ours.pk}).json()["count"] == 3
    assert us.get("/api/v1/registrations/", {"event": theirs.pk}).json()["count"] == 0
    # Beyond the demo's own applicants (whom a mission follows), only its events.
    for row in rows["results"]:
        assert row["event"] in our_events or row["person"] not in {
            p.pk for p in ours_people + theirs_people
        }

    uk = as_user("embassy.uk")
    assert uk.get("/api/v1/registrations/", {"event": theirs.pk}).json()["count"] == 2
    assert uk.get("/api/v1/registrations/", {"event": ours.pk}).json()["count"] == 0
    assert (
        as_user("co.sapporo").get("/api/v1/registrations/", {"event": ours.pk}).json()["count"] == 0
    )
    # A person sees their own only.
    mine = as_user(ours_people[0]).get("/api/v1/registrations/").json()
    assert mine["count"] == 1
    assert mine["results"][0]["person"] == ours_people[0].pk
    assert (
        as_user(ours_people[0])
        .get("/api/v1/registrations/", {"state": "WAITLISTED"})
        .json()["count"]
        == 0
    )


# --- the caller's schedule and calendar feed -------------------------------------------


def test_my_schedule_in_my_language_and_time_zone(as_user, clair, mext):
    starts = _start(25)
    conference = _event(
        clair,
        kind=EK.SKILL_DEVELOPMENT,
        title_en="Skill Development Conference",
        title_ja="スキルアップ研修",
        audience=AUD.ALL_PARTICIPANTS,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=1),
    )
    workshop = services.session_create(
        by=mext,
        event=conference,
        title_en="Team teaching",
        title_ja="ティーム・ティーチング",
        **_at(conference, 2),
    )
    services.session_create(by=clair, event=conference, title_en="Other", **_at(conference, 2))
    person = _person("schedule.ja", role=PersonRole.PARTICIPANT, language="ja")
    registration = services.registration_create(by=person, event=conference)
    services.registration_sessions_choose(by=person, registration=registration, sessions=[workshop])

    rows = as_user(person).get("/api/v1/me/schedule/")
    assert rows.status_code == 200, rows.content
    [entry] = rows.json()
    assert entry["registration"] == registration.pk
    assert entry["state"] == "REGISTERED"
    assert entry["chosen"] is True
    assert entry["event"]["title"] == "スキルアップ研修"
    assert entry["event"]["title_en"] == "Skill Development Conference"
    assert entry["event"]["starts_at"].endswith("+09:00")
    assert datetime.datetime.fromisoformat(entry["event"]["starts_at"]) == conference.starts_at
    [session] = entry["sessions"]
    assert (session["id"], session["title"]) == (workshop.pk, "ティーム・ティーチング")
    assert datetime.datetime.fromisoformat(session["ends_at"]) == workshop.ends_at

    # An applicant abroad reads the same times with their own offset.
    abroad = _person("schedule.ny", role=PersonRole.PARTICIPANT, time_zone="America/New_York")
    services.registration_create(by=abroad, event=conference)
    [entry] = as_user(abroad).get("/api/v1/me/schedule/").json()
    assert entry["event"]["title"] == "Skill Development Conference"
    assert entry["chosen"] is False
    assert len(entry["sessions"]) == 2
    assert entry["event"]["starts_at"][-6:] in ("-04:00", "-05:00")
    assert datetime.datetime.fromisoformat(entry["event"]["starts_at"]) == conference.starts_at

    assert as_user("co.sapporo").get("/api/v1/me/schedule/").json() == []
    assert APIClient().get("/api/v1/me/schedule/").status_code == 401


def test_calendar_feed_address_and_reset(as_user, client):
    person = _person("feed")
    api = as_user(person)
    first = api.get("/api/v1/me/calendar-feed/")
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-store"
    url = first.json()["url"]
    assert url.startswith("http://testserver/calendar/")
    assert url.endswith(".ics")
    assert api.get("/api/v1/me/calendar-feed/").json()["url"] == url
    path = url.removeprefix("http://testserver")
    assert client.get(path).status_code == 200

    reset = api.post("/api/v1/me/calendar-feed/")
    new_path = reset.json()["url"].removeprefix("http://testserver")
    assert new_path != path
    assert client.get(path).status_code == 404
    assert client.get(new_path).status_code == 200
    assert APIClient().get("/api/v1/me/calendar-feed/").status_code == 401


def test_schema_lists_the_event_endpoints(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    for path in (
        "/api/v1/events/",
        "/api/v1/sessions/{id}/",
        "/api/v1/registrations/{id}/check-in/",
        "/api/v1/registrations/{id}/sessions/",
        "/api/v1/me/schedule/",
        "/api/v1/me/calendar-feed/",
    ):
        assert path in body
