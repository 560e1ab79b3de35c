"""The event services: capacity and the waitlist (also under concurrent registrations),
automatic registration by arrival group, session choice, reminders, and who may change
what."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import Kind, Organisation, PersonRole, Prefecture, ProgrammeYear, User
from apps.events import selectors, services
from apps.events.models import Event, Registration
from apps.notifications.models import Notification
from apps.placement import services as placement_services
from apps.recruitment.models import Application

EK = Event.Kind
AUD = Event.Audience
REGISTERED = Registration.State.REGISTERED
WAITLISTED = Registration.State.WAITLISTED
CANCELLED = Registration.State.CANCELLED


def _year() -> ProgrammeYear:
    return ProgrammeYear.objects.get(is_current=True)


def _start(days: int = 30) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


def _event(by: User, *, days: int = 30, hours: int = 3, **fields) -> Event:
    starts = _start(days)
    values = {
        "kind": EK.INFORMATION_SESSION,
        "title_en": "JET information session",
        "title_ja": "JETプログラム説明会",
        "venue_en": "Embassy hall",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "audience": AUD.APPLICANTS,
    } | fields
    return services.event_create(by=by, programme_year=_year(), **values)


def _person(name: str, role: str = PersonRole.APPLICANT, **fields) -> User:
    return User.objects.create_user(f"ev.{name}", person_role=role, **fields)


def _key_count(key: str) -> int:
    return Notification.objects.filter(key=key).count()


# --- capacity and the waitlist ----------------------------------------------------------


@pytest.mark.django_db
def test_seats_then_waitlist_and_a_cancellation_moves_the_first_waiting_up(embassy_us):
    event = _event(embassy_us, capacity=2)
    people = [_person(f"cap.{n}") for n in range(4)]
    states = [services.registration_create(by=p, event=event).state for p in people]
    assert states == [REGISTERED, REGISTERED, WAITLISTED, WAITLISTED]

    first = Registration.objects.get(event=event, person=people[0])
    services.registration_cancel(by=people[0], registration=first)
    now = {r.person_id: r.state for r in Registration.objects.filter(event=event)}
    assert now == {
        people[0].pk: CANCELLED,
        people[1].pk: REGISTERED,
        people[2].pk: REGISTERED,
        people[3].pk: WAITLISTED,
    }
    moved = Registration.objects.get(event=event, person=people[2])
    assert _key_count(f"event_waitlist_moved_up:{moved.pk}:{people[2].pk}") == 1
    assert not Notification.objects.filter(
        kind="event_waitlist_moved_up", recipient=people[3]
    ).exists()

    # A waitlisted person leaving frees no seat: nobody moves.
    last = Registration.objects.get(event=event, person=people[3])
    services.registration_cancel(by=people[3], registration=last)
    assert event.registrations.filter(state=REGISTERED).count() == 2
    # Registering again after cancelling is allowed (one *live* registration each).
    again = services.registration_create(by=people[0], event=event)
    assert again.state == WAITLISTED


@pytest.mark.django_db
def test_registration_refusals(embassy_us, participant):
    event = _event(embassy_us)
    person = _person("twice")
    services.registration_create(by=person, event=event)
    with pytest.raises(DomainError, match="already registered"):
        services.registration_create(by=person, event=event)
    # An event for applicants is not open to a participant.
    with pytest.raises(DomainError, match="not open to you"):
        services.registration_create(by=participant, event=event)
    closed = _event(embassy_us, registration_closes=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(DomainError, match="closed"):
        services.registration_create(by=person, event=closed)
    later = _event(embassy_us, registration_opens=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="not opened"):
        services.registration_create(by=person, event=later)


@pytest.mark.django_db
def test_registrations_are_granted_to_the_person_and_the_organiser_only(
    embassy_us, embassy_uk, co_sapporo
):
    event = _event(embassy_us)
    person = _person("grants")
    registration = services.registration_create(by=person, event=event)
    assert access.can(person, "view", registration)
    assert access.can(embassy_us, "change", registration)
    assert not access.can(embassy_uk, "view", registration)
    assert not access.can(co_sapporo, "view", registration)


def _race(event_id: int, person_ids: list[int]) -> list[str]:
    """Register every person for the event at the same moment, each in their own thread
    and database connection."""
    barrier = threading.Barrier(len(person_ids))
    states, errors = [], []

    def attempt(person_id):
        try:
            person = User.objects.get(pk=person_id)
            event = Event.objects.get(pk=event_id)
            barrier.wait()
            states.append(services.registration_create(by=person, event=event).state)
        except Exception as exc:  # reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(pk,)) for pk in person_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return states


@pytest.mark.django_db(transaction=True)
def test_the_last_seat_raced_by_several_people_goes_to_exactly_one(committed_world):
    embassy = User.objects.get(username="embassy.us")
    event = _event(embassy, capacity=3)
    for n in range(2):
        services.registration_create(by=_person(f"race.early.{n}"), event=event)
    racers = [_person(f"race.{n}").pk for n in range(6)]

    states = _race(event.pk, racers)

    assert sorted(states) == [REGISTERED] + [WAITLISTED] * 5
    live = Registration.objects.filter(event=event)
    assert live.filter(state=REGISTERED).count() == 3
    assert live.filter(state=WAITLISTED, person_id__in=racers).count() == 5


# --- automatic registration by arrival group --------------------------------------------

POSITION = {
    "type": "ALT",
    "school_level": "SENIOR_HIGH",
    "municipality": "Kobe",
    "location": "URBAN",
    "housing": "ASSISTED",
}


def _candidate(n: int) -> Application:
    mission = Organisation.objects.get(name_en="Embassy of Japan in the United States")
    person = User.objects.create_user(
        f"ev.candidate.{n}",
        email=f"ev.candidate.{n}@example.com",
        first_name="Ren",
        last_name=f"Event{n}",
        person_role=PersonRole.APPLICANT,
    )
    application = Application.objects.create(
        number=f"EVT-{n}",
        programme_year=_year(),
        applicant=person,
        mission=mission,
        country=mission.country,
        position="ALT",
        status=Application.Status.FORWARDED,
        given_names="Ren",
        family_name=f"Event{n}",
        japanese_level="N3",
        driving_licence="MANUAL",
        preference_1="28",
        location_preference="URBAN",
    )
    access.grant_user("view", application, person)
    access.grant("view", application, mission)
    access.grant("view", application, Organisation.objects.get(kind=Kind.CLAIR))
    return application


def _accepted(n: int, arrival_group: str):
    """CLAIR places the candidate, the organisation accepts, the candidate accepts (the
    service that registers them automatically)."""
    clair = User.objects.get(username="clair")
    co_hyogo = User.objects.get(username="co.hyogo")
    [position] = placement_services.position_request_create(
        by=co_hyogo, base=f"Hyogo Prefectural Events High School No. {n}", **POSITION
    )
    placement_services.positions_review(
        by=User.objects.get(username="mic"), positions=[position], approve=True
    )
    position.refresh_from_db()
    placement = placement_services.placement_confirm(
        by=clair, application=_candidate(n), position=position, arrival_group=arrival_group
    )
    placement_services.placement_accept(by=co_hyogo, placement=placement)
    person = placement.application.applicant
    placement_services.placement_candidate_accept(by=person, placement=placement)
    return person


def _tokyo(clair: User, group: str, **fields) -> Event:
    values = {
        "kind": EK.TOKYO_ORIENTATION,
        "title_en": f"Tokyo Orientation {group}",
        "title_ja": f"東京オリエンテーション{group}",
        "audience": AUD.NEW_PARTICIPANTS,
        "arrival_group": group,
        "attendance_required": True,
        "days": 60,
        "hours": 48,
    }
    return _event(clair, **(values | fields))


@pytest.mark.django_db
def test_accepting_a_placement_registers_for_tokyo_orientation_of_the_arrival_group(clair):
    orientation_a = _tokyo(clair, "A")
    orientation_b = _tokyo(clair, "B")
    optional_a = _tokyo(clair, "A", attendance_required=False, title_en="Optional A evening")

    person = _accepted(1, arrival_group="A")

    registrations = Registration.objects.filter(person=person)
    events = {r.event_id for r in registrations}
    assert orientation_a.pk in events
    assert orientation_b.pk not in events
    assert optional_a.pk not in events
    mine = registrations.get(event=orientation_a)
    assert mine.state == REGISTERED
    assert mine.automatic
    # Any other registration made is also a required Tokyo Orientation of group A.
    assert all(
        r.event.kind == EK.TOKYO_ORIENTATION
        and r.event.arrival_group == "A"
        and r.event.attendance_required
        for r in registrations
    )
    # The participant sees it in their schedule, the organiser in its registrations.
    assert orientation_a.pk in [entry["event"].pk for entry in selectors.schedule(user=person)]
    assert selectors.registration_list(user=clair, event=orientation_a).filter(pk=mine.pk).exists()

    other = _accepted(2, arrival_group="B")
    assert set(Registration.objects.filter(person=other).values_list("event_id", flat=True)) >= {
        orientation_b.pk
    }
    assert not Registration.objects.filter(person=other, event=orientation_a).exists()


# --- sessions ---------------------------------------------------------------------------


def _at(event: Event, hours: float, length: float = 1.0) -> dict:
    starts = event.starts_at + datetime.timedelta(hours=hours)
    return {"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=length)}


@pytest.mark.django_db
def test_two_sessions_at_the_same_time_are_refused(clair, mext):
    event = _tokyo(clair, "A", audience=AUD.ALL_PARTICIPANTS, attendance_required=False)
    first = services.session_create(
        by=clair, event=event, title_en="Team teaching", **_at(event, 1)
    )
    clash = services.session_create(
        by=mext, event=event, title_en="Curriculum", track="MEXT", **_at(event, 1.5)
    )
    after = services.session_create(by=clair, event=event, title_en="Housing", **_at(event, 2))
    other_event = _tokyo(clair, "B", audience=AUD.ALL_PARTICIPANTS, attendance_required=False)
    elsewhere = services.session_create(
        by=clair, event=other_event, title_en="Elsewhere", **_at(other_event, 1)
    )
    person = _person("sessions", role=PersonRole.PARTICIPANT)
    registration = services.registration_create(by=person, event=event)

    with pytest.raises(DomainError, match="same time") as refused:
        services.registration_sessions_choose(
            by=person, registration=registration, sessions=[first, clash]
        )
    assert refused.value.field == "sessions"
    with pytest.raises(DomainError, match="another event"):
        services.registration_sessions_choose(
            by=person, registration=registration, sessions=[elsewhere]
        )
    # Back to back is no clash.
    services.registration_sessions_choose(
        by=person, registration=registration, sessions=[first, after]
    )
    assert set(registration.sessions.all()) == {first, after}
    with pytest.raises(PermissionDenied, match="for yourself"):
        services.registration_sessions_choose(
            by=_person("someone.else"), registration=registration, sessions=[first]
        )


@pytest.mark.django_db
def test_sessions_wait_for_a_seat(embassy_us):
    event = _event(embassy_us, capacity=1)
    session = services.session_create(by=embassy_us, event=event, title_en="Q&A", **_at(event, 1))
    services.registration_create(by=_person("seated"), event=event)
    waiting_person = _person("waiting")
    waiting = services.registration_create(by=waiting_person, event=event)
    with pytest.raises(DomainError, match="hold a seat"):
        services.registration_sessions_choose(
            by=waiting_person, registration=waiting, sessions=[session]
        )


# --- reminders --------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_are_sent_once_a_week_and_once_a_day_before(embassy_us):
    event = _event(embassy_us, days=5, capacity=1)
    seated = _person("remind.seated")
    waiting = _person("remind.waiting")
    services.registration_create(by=seated, event=event)
    services.registration_create(by=waiting, event=event)
    week_key = f"event_reminder:{event.pk}:week:{seated.pk}"
    day_key = f"event_reminder:{event.pk}:day:{seated.pk}"

    now = event.starts_at - datetime.timedelta(days=3)
    services.reminders_send(now=now)
    services.reminders_send(now=now)
    assert _key_count(week_key) == 1
    assert _key_count(day_key) == 0
    notice = Notification.objects.get(key=week_key)
    assert notice.kind == "event_reminder_week"
    assert notice.context["event"] == event.pk

    later = event.starts_at - datetime.timedelta(hours=12)
    services.reminders_send(now=later)
    services.reminders_send(now=later)
    services.reminders_send(now=later + datetime.timedelta(hours=1))
    assert _key_count(week_key) == 1
    assert _key_count(day_key) == 1
    # Only people holding a seat are reminded.
    assert not Notification.objects.filter(recipient=waiting, kind__startswith="event_reminder")


# --- who may change what ----------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_organiser_or_clair_changes_an_event(embassy_us, embassy_uk, co_sapporo, clair):
    event = _event(embassy_us)
    for outsider in (embassy_uk, co_sapporo):
        with pytest.raises(PermissionDenied, match="Only the organiser"):
            services.event_update(by=outsider, event=event, title_en="Taken over")
    event.refresh_from_db()
    assert event.title_en == "JET information session"
    assert event.sequence == 0

    services.event_update(by=embassy_us, event=event, venue_en="Consulate hall")
    services.event_update(by=clair, event=event, title_en="JET info evening")
    event.refresh_from_db()
    assert (event.venue_en, event.title_en, event.sequence) == (
        "Consulate hall",
        "JET info evening",
        2,
    )


@pytest.mark.django_db
def test_an_organisation_runs_only_its_kinds_of_event(embassy_us, co_hyogo, mext):
    with pytest.raises(DomainError, match="does not run this kind"):
        _event(embassy_us, kind=EK.TOKYO_ORIENTATION, audience=AUD.NEW_PARTICIPANTS)
    # MEXT runs no events of its own: it presents in the conferences.
    with pytest.raises(PermissionDenied, match="Only organisations that run events"):
        _event(mext, kind=EK.SKILL_DEVELOPMENT, audience=AUD.ALL_PARTICIPANTS)
    seminar = _event(
        co_hyogo,
        kind=EK.ALT_MID_YEAR,
        audience=AUD.PREFECTURE,
        audience_prefecture=Prefecture.objects.get(code="28"),
    )
    # A prefectural seminar is supported by CLAIR.
    assert seminar.supported_by.kind == Kind.CLAIR


@pytest.mark.django_db
def test_an_edit_tells_everyone_registered_once(embassy_us):
    event = _event(embassy_us, capacity=1)
    seated, waiting, cancelled = (_person(f"told.{n}") for n in range(3))
    services.registration_create(by=seated, event=event)
    services.registration_create(by=waiting, event=event)
    gone = services.registration_create(by=cancelled, event=event)
    services.registration_cancel(by=cancelled, registration=gone)

    services.event_update(by=embassy_us, event=event, venue_en="New hall")
    told = set(
        Notification.objects.filter(kind="event_changed", context__event=event.pk).values_list(
            "recipient_id", flat=True
        )
    )
    # The cancelled person's seat went to the waiting one, who is told like the seated.
    assert told == {seated.pk, waiting.pk}
    assert _key_count(f"event_changed:{event.pk}:1:{seated.pk}") == 1


@pytest.mark.django_db
def test_an_edit_that_changes_nothing_a_registrant_reads_tells_nobody(embassy_us):
    event = _event(embassy_us)
    services.registration_create(by=_person("not.told"), event=event)
    sequence = event.sequence

    services.event_update(by=embassy_us, event=event, venue_en=event.venue_en, capacity=None)
    services.event_update(by=embassy_us, event=event, capacity=500)  # the organiser's setting

    event.refresh_from_db()
    assert event.capacity == 500
    assert event.sequence == sequence  # calendar entries unchanged too
    assert not Notification.objects.filter(kind="event_changed", context__event=event.pk).exists()


@pytest.mark.django_db
def test_mext_adds_workshops_to_conferences_and_only_the_presenter_edits_them(
    clair, mext, co_hyogo, embassy_us
):
    seminar = _event(
        co_hyogo,
        kind=EK.ALT_MID_YEAR,
        audience=AUD.PREFECTURE,
        audience_prefecture=Prefecture.objects.get(code="28"),
        hours=8,
    )
    workshop = services.session_create(
        by=mext, event=seminar, title_en="New course of study", **_at(seminar, 1)
    )
    assert workshop.presenter == mext.organisation
    # Not in an information session, which is no conference.
    info = _event(embassy_us)
    with pytest.raises(PermissionDenied, match="cannot add sessions"):
        services.session_create(by=mext, event=info, title_en="Workshop", **_at(info, 1))
    # The seminar's organiser does not edit MEXT's workshop; MEXT and CLAIR do.
    with pytest.raises(PermissionDenied, match="presenting organisation"):
        services.session_update(by=co_hyogo, session=workshop, room="Hall B")
    with pytest.raises(PermissionDenied, match="presenting organisation"):
        services.session_delete(by=co_hyogo, session=workshop)
    services.session_update(by=mext, session=workshop, room="Hall B")
    services.session_update(by=clair, session=workshop, track="Teaching")
    workshop.refresh_from_db()
    assert (workshop.room, workshop.track, workshop.sequence) == ("Hall B", "Teaching", 2)
    # A session stays within its event.
    with pytest.raises(DomainError, match="within its event"):
        services.session_update(
            by=mext, session=workshop, ends_at=seminar.ends_at + datetime.timedelta(hours=1)
        )


@pytest.mark.django_db
def test_only_the_organiser_checks_people_in(embassy_us, embassy_uk):
    event = _event(embassy_us, capacity=1)
    seated, waiting = _person("checkin.1"), _person("checkin.2")
    registration = services.registration_create(by=seated, event=event)
    waitlisted = services.registration_create(by=waiting, event=event)
    for outsider in (embassy_uk, seated):
        with pytest.raises(PermissionDenied, match="takes attendance"):
            services.registration_check_in(by=outsider, registration=registration)
    with pytest.raises(DomainError, match="holding a seat"):
        services.registration_check_in(by=embassy_us, registration=waitlisted)
    checked = services.registration_check_in(by=embassy_us, registration=registration)
    assert checked.attended_at is not None
    assert checked.checked_in_by == embassy_us


@pytest.mark.django_db
def test_someone_else_cannot_cancel_a_registration(embassy_us, embassy_uk):
    event = _event(embassy_us)
    person = _person("cancel.own")
    registration = services.registration_create(by=person, event=event)
    for outsider in (_person("cancel.other"), embassy_uk):
        with pytest.raises(PermissionDenied, match="cannot cancel"):
            services.registration_cancel(by=outsider, registration=registration)
    services.registration_cancel(by=embassy_us, registration=registration)
    registration.refresh_from_db()
    assert registration.state == CANCELLED


@pytest.mark.django_db
def test_calendar_feed_reset_gives_a_new_token(applicant):
    feed = services.calendar_feed_get(person=applicant)
    assert services.calendar_feed_get(person=applicant).token == feed.token
    reset = services.calendar_feed_reset(by=applicant)
    assert reset.token != feed.token
    assert selectors.schedule_for_feed(token=reset.token)[0] == applicant
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.schedule_for_feed(token=feed.token)
