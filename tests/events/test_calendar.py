"""The calendar feed: a secret address, no sign-in, one VEVENT per registered event and
per chosen session, in the person's language, and stable UIDs whose SEQUENCE follows
every change."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from apps.core.models import PersonRole, ProgrammeYear, User
from apps.events import services
from apps.events.calendar import feed_path
from apps.events.models import Event, Registration, Session

pytestmark = pytest.mark.django_db

EK = Event.Kind
AUD = Event.Audience


def _start(days: int) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


def _event(by: User, *, days: int = 20, **fields) -> Event:
    starts = _start(days)
    values = {
        "kind": EK.TOKYO_ORIENTATION,
        "title_en": "Tokyo Orientation A",
        "title_ja": "東京オリエンテーションA",
        "description_en": "Three days of workshops for new participants.",
        "description_ja": "新規参加者のための3日間の研修。",
        "venue_en": "Keio Plaza Hotel, Shinjuku",
        "venue_ja": "京王プラザホテル(新宿)",
        "bring_en": "Passport",
        "bring_ja": "パスポート",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(days=2),
        "audience": AUD.ALL_PARTICIPANTS,
    } | fields
    return services.event_create(
        by=by, programme_year=ProgrammeYear.objects.get(is_current=True), **values
    )


def _session(by: User, event: Event, hours: float, **fields) -> Session:
    starts = event.starts_at + datetime.timedelta(hours=hours)
    values = {
        "title_en": f"Workshop at {hours}",
        "title_ja": f"ワークショップ{hours}",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=1),
        "room": "Room 3",
    } | fields
    return services.session_create(by=by, event=event, **values)


def _participant(name: str, language: str = "en") -> User:
    return User.objects.create_user(
        f"cal.{name}", person_role=PersonRole.PARTICIPANT, language=language
    )


def _feed(token: str, client: Client | None = None):
    return (client or Client()).get(feed_path(token))


def _vevents(response) -> dict[str, object]:
    assert response.status_code == 200, response.content[:300]
    calendar = Calendar.from_ical(response.content)
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _trigger(component) -> datetime.timedelta:
    [alarm] = component.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    return alarm["TRIGGER"].dt


@pytest.fixture
def world(clair, mext):
    """A Japanese-speaking participant registered for two events: in the first they
    chose one of two sessions; in the second they chose none."""
    person = _participant("ja", language="ja")
    first = _event(clair)
    chosen = _session(clair, first, 2)
    not_chosen = _session(mext, first, 4, title_ja="")
    second = _event(
        clair,
        days=40,
        kind=EK.SKILL_DEVELOPMENT,
        title_en="Skill Development Conference",
        title_ja="スキルアップ研修",
    )
    _session(clair, second, 1)
    registration = services.registration_create(by=person, event=first)
    services.registration_sessions_choose(by=person, registration=registration, sessions=[chosen])
    services.registration_create(by=person, event=second)
    feed = services.calendar_feed_get(person=person)
    return {
        "person": person,
        "first": first,
        "second": second,
        "chosen": chosen,
        "not_chosen": not_chosen,
        "token": feed.token,
    }


def test_the_feed_parses_back_into_the_same_events_and_times(world):
    response = _feed(world["token"])
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    vevents = _vevents(response)

    first, second, chosen = world["first"], world["second"], world["chosen"]
    assert set(vevents) == {
        f"event-{first.pk}@jetadmin",
        f"event-{second.pk}@jetadmin",
        f"session-{chosen.pk}@jetadmin",
    }
    for obj, uid in (
        (first, f"event-{first.pk}@jetadmin"),
        (second, f"event-{second.pk}@jetadmin"),
        (chosen, f"session-{chosen.pk}@jetadmin"),
    ):
        obj.refresh_from_db()
        component = vevents[uid]
        start, end = component["DTSTART"].dt, component["DTEND"].dt
        assert start.utcoffset() == datetime.timedelta(0)
        assert (start, end) == (_utc(obj.starts_at), _utc(obj.ends_at))
        assert int(component["SEQUENCE"]) == obj.sequence
        assert component["LAST-MODIFIED"].dt == _utc(obj.updated_at).replace(microsecond=0)

    # In the person's language (Japanese), with the event's texts.
    event_entry = vevents[f"event-{first.pk}@jetadmin"]
    assert str(event_entry["SUMMARY"]) == "東京オリエンテーションA"
    assert str(event_entry["LOCATION"]) == "京王プラザホテル(新宿)"
    assert "新規参加者のための3日間の研修。" in str(event_entry["DESCRIPTION"])
    assert "パスポート" in str(event_entry["DESCRIPTION"])
    assert str(event_entry["STATUS"]) == "CONFIRMED"
    session_entry = vevents[f"session-{chosen.pk}@jetadmin"]
    assert str(session_entry["SUMMARY"]) == "ワークショップ2"
    assert str(session_entry["LOCATION"]) == "Room 3, 京王プラザホテル(新宿)"
    assert str(vevents[f"event-{second.pk}@jetadmin"]["SUMMARY"]) == "スキルアップ研修"

    # A reminder: a day before an event, an hour before a session.
    assert _trigger(event_entry) == -datetime.timedelta(days=1)
    assert _trigger(session_entry) == -datetime.timedelta(hours=1)


def test_an_edit_bumps_the_sequence_and_moves_the_entry(world, clair):
    first = world["first"]
    uid = f"event-{first.pk}@jetadmin"
    before = int(_vevents(_feed(world["token"]))[uid]["SEQUENCE"])
    later = first.starts_at + datetime.timedelta(hours=2)
    services.event_update(
        by=clair, event=first, starts_at=later, ends_at=later + datetime.timedelta(days=2)
    )

    after = _vevents(_feed(world["token"]))[uid]
    first.refresh_from_db()
    assert int(after["SEQUENCE"]) == before + 1 == first.sequence
    assert after["DTSTART"].dt == _utc(later)
    # The same UID: calendar apps replace the entry rather than add another.
    assert len([u for u in _vevents(_feed(world["token"])) if u == uid]) == 1

    chosen = world["chosen"]
    session_uid = f"session-{chosen.pk}@jetadmin"
    services.session_update(by=clair, session=chosen, room="Main hall")
    entry = _vevents(_feed(world["token"]))[session_uid]
    assert int(entry["SEQUENCE"]) == 1
    assert str(entry["LOCATION"]).startswith("Main hall")


def test_english_speakers_get_english_and_only_their_own_events(world, clair):
    person = _participant("en")
    services.registration_create(by=person, event=world["second"])
    vevents = _vevents(_feed(services.calendar_feed_get(person=person).token))
    assert set(vevents) == {f"event-{world['second'].pk}@jetadmin"}
    assert str(next(iter(vevents.values()))["SUMMARY"]) == "Skill Development Conference"


def test_waitlisted_is_tentative_and_cancelled_is_gone(clair):
    event = _event(clair, capacity=1)
    seated, waiting = _participant("seated"), _participant("waiting")
    taken = services.registration_create(by=seated, event=event)
    waitlisted = services.registration_create(by=waiting, event=event)
    assert waitlisted.state == Registration.State.WAITLISTED
    uid = f"event-{event.pk}@jetadmin"
    waiting_token = services.calendar_feed_get(person=waiting).token

    assert str(_vevents(_feed(waiting_token))[uid]["STATUS"]) == "TENTATIVE"
    seated_token = services.calendar_feed_get(person=seated).token
    services.registration_cancel(by=seated, registration=taken)
    assert uid not in _vevents(_feed(seated_token))
    # The waiting person moved up into the freed seat.
    assert str(_vevents(_feed(waiting_token))[uid]["STATUS"]) == "CONFIRMED"


def test_no_sign_in_needed_and_an_unknown_token_is_404(world):
    client = Client()
    assert _feed(world["token"], client).status_code == 200
    assert _feed("not-a-real-token", client).status_code == 404
    assert client.post(feed_path(world["token"])).status_code == 405


def test_a_reset_retires_the_old_address(world, api_as):
    person = world["person"]
    old = world["token"]
    person.set_password("cal-pass-2027")
    person.save()
    from rest_framework.test import APIClient

    api = APIClient()
    token = api.post(
        "/api/v1/auth/token/", {"username": person.username, "password": "cal-pass-2027"}
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    current = api.get("/api/v1/me/calendar-feed/").json()["url"]
    assert current.endswith(feed_path(old))

    reset = api.post("/api/v1/me/calendar-feed/")
    assert reset.status_code == 200
    new_url = reset.json()["url"]
    assert new_url != current
    assert reset.json()["webcal_url"].startswith("webcal://")
    new_path = new_url.split("testserver", 1)[1]
    assert Client().get(new_path).status_code == 200
    assert _feed(old).status_code == 404
