"""Events as deep as pretix and Indico (issue 19): the waitlist moves up into any freed or
added seat (and an organiser moves someone up by hand), seats left everywhere, check-in
with search, undo and a QR code, a cancellation clearing its check-in, room clashes
warned, session capacities, a timetable grid, an .ics per event and the feed's webcal and
copy links, notices only for what registrants see, and defaults per kind of event."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from apps.core.errors import DomainError
from apps.core.models import PersonRole, ProgrammeYear, User
from apps.events import rules, selectors, services
from apps.events.forms import DATETIME_LOCAL, EventForm
from apps.events.models import Event, Registration
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db

EK = Event.Kind
AUD = Event.Audience
REGISTERED = Registration.State.REGISTERED
WAITLISTED = Registration.State.WAITLISTED
CANCELLED = Registration.State.CANCELLED


def _start(days: int = 30) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(
        minute=0, second=0, microsecond=0
    )


def _event(by: User, **fields) -> Event:
    starts = _start()
    values = {
        "kind": EK.INFORMATION_SESSION,
        "title_en": "JET information session",
        "venue_en": "Embassy hall",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=8),
        "audience": AUD.APPLICANTS,
    } | fields
    return services.event_create(
        by=by, programme_year=ProgrammeYear.objects.get(is_current=True), **values
    )


def _person(name: str, **fields) -> User:
    return User.objects.create_user(
        f"depth.{name}",
        email=f"{name}@example.org",
        first_name=name.title(),
        last_name="Tester",
        person_role=PersonRole.APPLICANT,
        **fields,
    )


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _notices(kind: str, person: User) -> int:
    return Notification.objects.filter(kind=kind, recipient=person).count()


def _at(event: Event, hours: float, length: float = 1.0) -> dict:
    starts = event.starts_at + datetime.timedelta(hours=hours)
    return {"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=length)}


# --- the waitlist moves up into any freed or added seat ----------------------------------


def test_raising_the_capacity_seats_the_waitlist_at_once_and_tells_them(embassy_us):
    event = _event(embassy_us, capacity=1)
    first, second, third = (_person(n) for n in ("ann", "ben", "cat"))
    for person in (first, second, third):
        services.registration_create(by=person, event=event)

    services.event_update(by=embassy_us, event=event, capacity=2)

    states = dict(Registration.objects.filter(event=event).values_list("person", "state"))
    assert states == {first.pk: REGISTERED, second.pk: REGISTERED, third.pk: WAITLISTED}
    assert _notices("event_waitlist_moved_up", second) == 1
    assert _notices("event_waitlist_moved_up", third) == 0


def test_lifting_the_capacity_seats_everyone_waiting(embassy_us):
    event = _event(embassy_us, capacity=1)
    people = [_person(f"lift{n}") for n in range(3)]
    for person in people:
        services.registration_create(by=person, event=event)
    services.event_update(by=embassy_us, event=event, capacity=None)
    assert set(Registration.objects.filter(event=event).values_list("state", flat=True)) == {
        REGISTERED
    }


def test_lowering_the_capacity_moves_nobody(embassy_us):
    event = _event(embassy_us, capacity=2)
    people = [_person(f"low{n}") for n in range(3)]
    for person in people:
        services.registration_create(by=person, event=event)
    services.event_update(by=embassy_us, event=event, capacity=1)
    states = [r.state for r in Registration.objects.filter(event=event).order_by("pk")]
    assert states == [REGISTERED, REGISTERED, WAITLISTED]


def test_the_organiser_moves_someone_up_by_hand_even_when_full(embassy_us):
    event = _event(embassy_us, capacity=1)
    first, second, third = (_person(n) for n in ("dan", "eve", "fay"))
    for person in (first, second, third):
        services.registration_create(by=person, event=event)
    last = Registration.objects.get(event=event, person=third)

    services.registration_promote(by=embassy_us, registration=last)

    last.refresh_from_db()
    assert last.state == REGISTERED
    assert _notices("event_waitlist_moved_up", third) == 1
    # Second in the queue still waits: the organiser chose whom to seat.
    assert Registration.objects.get(event=event, person=second).state == WAITLISTED
    with pytest.raises(DomainError, match="Only someone on the waitlist can be moved up"):
        services.registration_promote(by=embassy_us, registration=last)


def test_a_person_cannot_move_themselves_up(embassy_us):
    event = _event(embassy_us, capacity=1)
    services.registration_create(by=_person("gus"), event=event)
    waiting = services.registration_create(by=_person("hal"), event=event)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.registration_promote(by=waiting.person, registration=waiting)


def test_promote_api_is_the_organisers(embassy_us):
    event = _event(embassy_us, capacity=1)
    services.registration_create(by=_person("ida"), event=event)
    waiting = services.registration_create(by=_person("jon"), event=event)
    url = f"/api/v1/registrations/{waiting.pk}/promote/"

    refused = _api(waiting.person).post(url)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only the organiser moves people up."}

    done = _api(embassy_us).post(url)
    assert done.status_code == 200
    assert done.json()["state"] == REGISTERED
    again = _api(embassy_us).post(url)
    assert again.status_code == 400
    assert again.json() == {"detail": "Only someone on the waitlist can be moved up."}


def test_seats_left_in_the_api_list_and_detail(embassy_us):
    event = _event(embassy_us, capacity=3)
    services.registration_create(by=_person("kim"), event=event)
    unlimited = _event(embassy_us, title_en="Open house")
    client = _api(embassy_us)

    detail = client.get(f"/api/v1/events/{event.pk}/").json()
    assert (detail["capacity"], detail["seats_taken"], detail["seats_left"]) == (3, 1, 2)
    rows = {row["id"]: row for row in client.get("/api/v1/events/").json()["results"]}
    assert rows[event.pk]["seats_left"] == 2
    assert rows[unlimited.pk]["seats_left"] is None


def test_seats_left_on_the_event_page_and_list(embassy_us, applicant, client):
    event = _event(embassy_us, capacity=2)
    services.registration_create(by=_person("lea"), event=event)
    client.force_login(embassy_us)
    page = client.get(f"/programme/events/{event.pk}/").content.decode()
    assert 'data-testid="seats-left">1 seat left<' in page
    listing = client.get("/programme/events/").content.decode()
    assert f'data-testid="seats-left-{event.pk}">1 seat left<' in listing
    services.registration_create(by=_person("max"), event=event)
    client.force_login(applicant)
    page = client.get(f"/programme/events/{event.pk}/").content.decode()
    assert 'data-testid="seats-left">full<' in page


# --- check-in: search, undo, cancellation, QR -------------------------------------------


def test_cancelling_clears_the_check_in(embassy_us):
    event = _event(embassy_us)
    registration = services.registration_create(by=_person("ned"), event=event)
    services.registration_check_in(by=embassy_us, registration=registration)
    services.registration_cancel(by=embassy_us, registration=registration)
    registration.refresh_from_db()
    assert registration.state == CANCELLED
    assert registration.attended_at is None
    assert registration.checked_in_by is None


def test_undo_check_in_service_and_api(embassy_us):
    event = _event(embassy_us)
    registration = services.registration_create(by=_person("oli"), event=event)
    services.registration_check_in(by=embassy_us, registration=registration)
    url = f"/api/v1/registrations/{registration.pk}/check-in/undo/"

    assert _api(registration.person).post(url).status_code == 403
    done = _api(embassy_us).post(url)
    assert done.status_code == 200
    assert done.json()["attended_at"] is None
    assert done.json()["checked_in_by"] is None
    registration.refresh_from_db()
    assert registration.attended_at is None
    refused = _api(embassy_us).post(url)
    assert refused.status_code == 400
    assert refused.json() == {"detail": "This person is not checked in."}


def test_undo_check_in_page(embassy_us, client):
    event = _event(embassy_us)
    registration = services.registration_create(by=_person("pam"), event=event)
    services.registration_check_in(by=embassy_us, registration=registration)
    client.force_login(embassy_us)
    response = client.post(
        f"/programme/registrations/{registration.pk}/check-in/undo/", follow=True
    )
    assert "Pam Tester is no longer checked in." in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_search_by_name_email_and_number(embassy_us):
    event = _event(embassy_us)
    quinn = services.registration_create(by=_person("quinn"), event=event)
    rosa = services.registration_create(by=_person("rosa"), event=event)
    everyone = selectors.registration_list(user=embassy_us, event=event)

    assert list(selectors.registration_search(everyone, "quinn tester")) == [quinn]
    assert list(selectors.registration_search(everyone, "ROSA@example")) == [rosa]
    assert list(selectors.registration_search(everyone, f"#{rosa.pk}")) == [rosa]
    assert list(selectors.registration_search(everyone, str(quinn.pk))) == [quinn]
    assert list(selectors.registration_search(everyone, "nobody")) == []


def test_the_check_in_page_finds_and_the_api_searches(embassy_us, client):
    event = _event(embassy_us)
    sam = services.registration_create(by=_person("sam"), event=event)
    tia = services.registration_create(by=_person("tia"), event=event)
    client.force_login(embassy_us)
    page = client.get(f"/programme/events/{event.pk}/check-in/", {"q": "tia"}).content.decode()
    assert f'data-testid="check-in-row-{tia.pk}"' in page
    assert f'data-testid="check-in-row-{sam.pk}"' not in page
    assert "js/check-in-scan.js" in page

    found = _api(embassy_us).get("/api/v1/registrations/", {"event": event.pk, "q": "sam"})
    assert [row["id"] for row in found.json()["results"]] == [sam.pk]


def test_the_check_in_page_is_the_organisers(embassy_us, applicant, client):
    event = _event(embassy_us)
    client.force_login(applicant)
    assert client.get(f"/programme/events/{event.pk}/check-in/").status_code == 403


def test_the_registered_person_sees_their_qr_code(embassy_us, client):
    event = _event(embassy_us)
    person = _person("uma")
    registration = services.registration_create(by=person, event=event)
    client.force_login(person)
    page = client.get(f"/programme/events/{event.pk}/").content.decode()
    assert 'data-testid="registration-qr"' in page
    assert "<svg" in page
    assert f"#{registration.pk}" in page


# --- room clashes and session capacities -------------------------------------------------


def test_a_room_booked_twice_is_refused_unless_confirmed(clair, conference):
    services.session_create(
        by=clair, event=conference, title_en="Opening", room="Main hall", **_at(conference, 1)
    )
    clash = {"title_en": "Second talk", "room": " main  HALL ", **_at(conference, 1.5)}
    with pytest.raises(DomainError, match="Main hall is already booked then") as refused:
        services.session_create(by=clair, event=conference, **clash)
    assert refused.value.field == "room"
    assert "“Opening”" in refused.value.message

    services.session_create(by=clair, event=conference, confirm_clash=True, **clash)
    # Another room, or the same room later, is no clash.
    services.session_create(
        by=clair, event=conference, title_en="Aside", room="Room B", **_at(conference, 1)
    )
    services.session_create(
        by=clair, event=conference, title_en="Later", room="Main hall", **_at(conference, 3)
    )


def test_a_clash_with_another_event_at_the_same_venue(clair, conference, year):
    other = services.event_create(
        by=clair,
        programme_year=year,
        kind=EK.CIR_MID_YEAR,
        title_en="CIR meeting",
        venue_en=conference.venue_en,
        starts_at=conference.starts_at,
        ends_at=conference.ends_at,
        audience=AUD.CIR,
    )
    services.session_create(
        by=clair, event=conference, title_en="Opening", room="Room A", **_at(conference, 1)
    )
    with pytest.raises(DomainError, match="Room A is already booked then"):
        services.session_create(
            by=clair, event=other, title_en="CIR talk", room="Room A", **_at(other, 1)
        )


def test_the_api_refuses_a_clash_with_400_unless_confirmed(clair, conference):
    services.session_create(
        by=clair, event=conference, title_en="Opening", room="Main hall", **_at(conference, 1)
    )
    times = _at(conference, 1)
    body = {
        "event": conference.pk,
        "title_en": "Clashing",
        "room": "Main hall",
        "starts_at": times["starts_at"].isoformat(),
        "ends_at": times["ends_at"].isoformat(),
    }
    refused = _api(clair).post("/api/v1/sessions/", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["room"][0].startswith("Main hall is already booked then")
    done = _api(clair).post("/api/v1/sessions/", body | {"confirm_clash": True}, format="json")
    assert done.status_code == 201


def test_the_session_form_asks_to_confirm_a_clash(clair, conference, client):
    services.session_create(
        by=clair, event=conference, title_en="Opening", room="Main hall", **_at(conference, 1)
    )
    times = _at(conference, 1)
    data = {
        "title_en": "Clashing",
        "room": "Main hall",
        "starts_at": timezone.localtime(times["starts_at"], conference_zone(conference)).strftime(
            DATETIME_LOCAL
        ),
        "ends_at": timezone.localtime(times["ends_at"], conference_zone(conference)).strftime(
            DATETIME_LOCAL
        ),
    }
    client.force_login(clair)
    url = f"/programme/events/{conference.pk}/sessions/new/"
    page = client.post(url, data).content.decode()
    assert "Main hall is already booked then" in page
    assert 'data-testid="clash-confirm"' in page
    assert conference.sessions.count() == 1
    assert client.post(url, data | {"confirm_clash": "on"}).status_code == 302
    assert conference.sessions.count() == 2


def conference_zone(event):
    import zoneinfo

    return zoneinfo.ZoneInfo(event.time_zone)


def test_a_full_session_is_refused_with_a_clear_message(clair, conference, make_person):
    small = services.session_create(
        by=clair,
        event=conference,
        title_en="Small workshop",
        room="Room S",
        capacity=1,
        **_at(conference, 1),
    )
    first, second = make_person("depth.s1"), make_person("depth.s2")
    mine = services.registration_create(by=first, event=conference)
    theirs = services.registration_create(by=second, event=conference)
    services.registration_sessions_choose(by=first, registration=mine, sessions=[small])
    with pytest.raises(DomainError, match=r"“Small workshop” is full \(1 places\)"):
        services.registration_sessions_choose(by=second, registration=theirs, sessions=[small])
    # The one holding the place keeps it when saving again.
    services.registration_sessions_choose(by=first, registration=mine, sessions=[small])
    # A cancellation frees the place.
    services.registration_cancel(by=first, registration=mine)
    services.registration_sessions_choose(by=second, registration=theirs, sessions=[small])
    assert list(theirs.sessions.all()) == [small]


def test_session_capacity_in_the_api(clair, conference):
    times = _at(conference, 2)
    body = {
        "event": conference.pk,
        "title_en": "Limited",
        "capacity": 12,
        "starts_at": times["starts_at"].isoformat(),
        "ends_at": times["ends_at"].isoformat(),
    }
    made = _api(clair).post("/api/v1/sessions/", body, format="json")
    assert made.status_code == 201
    assert made.json()["capacity"] == 12


# --- timetable, .ics, webcal -------------------------------------------------------------


def test_the_timetable_is_a_grid_of_days_and_rooms(clair, conference, client):
    a = services.session_create(
        by=clair, event=conference, title_en="In A", room="Room A", **_at(conference, 1)
    )
    b = services.session_create(
        by=clair, event=conference, title_en="In B", room="Room B", **_at(conference, 1)
    )
    next_day = services.session_create(
        by=clair, event=conference, title_en="Day two", room="Room A", **_at(conference, 25)
    )
    grid = selectors.timetable(sessions=selectors.session_list(user=clair, event=conference))
    assert [day["rooms"] for day in grid["days"]] == [["Room A", "Room B"], ["Room A"]]
    assert grid["days"][0]["rows"][0]["cells"] == [[a], [b]]
    assert grid["days"][1]["rows"][0]["cells"] == [[next_day]]
    client.force_login(clair)
    page = client.get(f"/programme/events/{conference.pk}/timetable/").content.decode()
    assert f'data-testid="timetable-session-{a.pk}"' in page
    assert 'data-testid="timetable-day-2"' in page


def test_the_event_ics_parses_with_the_event_and_its_sessions(clair, conference, client):
    session = services.session_create(
        by=clair, event=conference, title_en="Opening", room="Main hall", **_at(conference, 1)
    )
    client.force_login(clair)
    response = client.get(f"/programme/events/{conference.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    uids = sorted(str(c["uid"]) for c in calendar.walk("VEVENT"))
    assert uids == sorted([f"event-{conference.pk}@jetadmin", f"session-{session.pk}@jetadmin"])
    event = next(c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith("event-"))
    assert event["summary"] == "Skill Development Conference"
    assert event.decoded("dtstart") == conference.starts_at


def test_the_event_ics_of_an_invisible_event_is_404(embassy_us, participant, client):
    event = _event(embassy_us)
    client.force_login(participant)
    assert client.get(f"/programme/events/{event.pk}/calendar.ics").status_code == 404


def test_the_schedule_offers_webcal_and_copy(participant, client):
    client.force_login(participant)
    page = client.get("/programme/schedule/").content.decode()
    assert 'href="webcal://testserver/calendar/' in page
    assert 'data-copy="feed-url"' in page
    assert "js/copy.js" in page


# --- notices only for what registrants see -----------------------------------------------


def test_a_capacity_only_edit_tells_nobody(embassy_us):
    event = _event(embassy_us, capacity=5)
    person = _person("val")
    services.registration_create(by=person, event=event)
    services.event_update(by=embassy_us, event=event, capacity=6)
    assert _notices("event_changed", person) == 0
    services.event_update(by=embassy_us, event=event, title_en="JET information evening")
    assert _notices("event_changed", person) == 1


def test_a_capacity_only_edit_on_the_page_tells_nobody(embassy_us, client):
    event = _event(embassy_us, capacity=5, description_en="Line one\nLine two")
    person = _person("wes")
    services.registration_create(by=person, event=event)
    initial = EventForm.initial_from(event)
    data = {}
    for name, value in initial.items():
        if value is None or value is False:
            continue
        if isinstance(value, datetime.datetime):
            value = value.strftime(DATETIME_LOCAL)
        elif value is True:
            value = "on"
        data[name] = value
    # A browser sends a textarea's new lines as CRLF.
    data["description_en"] = "Line one\r\nLine two"
    data["capacity"] = 6
    client.force_login(embassy_us)
    response = client.post(f"/programme/events/{event.pk}/edit/", data, follow=True)
    assert "The event is changed." in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 6
    assert _notices("event_changed", person) == 0
    data["venue_en"] = "Embassy garden"
    client.post(f"/programme/events/{event.pk}/edit/", data)
    assert _notices("event_changed", person) == 1


def test_a_session_capacity_edit_tells_nobody(clair, conference, make_person):
    session = services.session_create(
        by=clair, event=conference, title_en="Opening", room="Main hall", **_at(conference, 1)
    )
    person = make_person("depth.notice")
    services.registration_create(by=person, event=conference)
    services.session_update(by=clair, session=session, capacity=30)
    assert _notices("event_changed", person) == 0
    services.session_update(by=clair, session=session, room="Room C")
    assert _notices("event_changed", person) == 1


# --- defaults per kind of event ----------------------------------------------------------


def test_the_tokyo_orientation_is_for_new_participants_by_default(clair, client):
    client.force_login(clair)
    form = client.get("/programme/events/new/", {"kind": EK.TOKYO_ORIENTATION}).context["form"]
    assert form.initial["audience"] == AUD.NEW_PARTICIPANTS
    assert form.initial["attendance_required"] is True
    assert rules.default_audience(EK.INFORMATION_SESSION) == AUD.APPLICANTS
    event = services.event_create(
        by=clair,
        programme_year=ProgrammeYear.objects.get(is_current=True),
        kind=EK.TOKYO_ORIENTATION,
        title_en="Tokyo Orientation A",
        starts_at=_start(60),
        ends_at=_start(60) + datetime.timedelta(days=2),
    )
    assert event.audience == AUD.NEW_PARTICIPANTS


def test_a_prefectural_seminar_defaults_to_the_organisers_prefecture(co_hyogo):
    defaults = rules.defaults_for(EK.ALT_MID_YEAR, co_hyogo.organisation)
    assert defaults["audience"] == AUD.PREFECTURE
    assert defaults["audience_prefecture"] == co_hyogo.organisation.prefecture_id
