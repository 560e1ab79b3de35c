"""The demo world's events, as `seed_demo` leaves them (seeded once per session by
tests/conftest.py; apps/demo/events.py): every kind of event this programme year,
each by its organiser, MEXT workshops in CLAIR's conferences, the participant's schedule,
a full event with a waitlist, check-ins on a past one, and no notifications."""

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from guardian.models import UserObjectPermission

from apps.core import access
from apps.core.models import Kind, ProgrammeYear, User
from apps.demo.calendar import demo_calendar
from apps.events import selectors
from apps.events.models import (
    Event,
    Registration,
    RegistrationGroupObjectPermission,
    RegistrationUserObjectPermission,
    Session,
)
from apps.events.rules import CONFERENCES, ORGANISER_KINDS
from apps.notifications.models import Notification
from apps.placement.models import Placement

pytestmark = pytest.mark.django_db

EK = Event.Kind
REGISTERED, WAITLISTED = Registration.State.REGISTERED, Registration.State.WAITLISTED


@pytest.fixture
def this_year():
    return ProgrammeYear.objects.get(is_current=True)


@pytest.fixture
def demo_events(this_year):
    return Event.objects.filter(programme_year=this_year).select_related("organiser")


def test_every_kind_of_event_this_year_each_by_its_organiser(demo_events):
    assert set(demo_events.values_list("kind", flat=True)) == set(EK.values)
    for event in demo_events:
        assert event.kind in ORGANISER_KINDS[event.organiser.kind], event
        for name in ("title", "description", "venue", "bring"):
            assert getattr(event, f"{name}_en"), (event, name)
            assert getattr(event, f"{name}_ja"), (event, name)
    zones = {
        e.organiser.name_en: e.time_zone for e in demo_events.filter(kind=EK.INFORMATION_SESSION)
    }
    assert zones == {
        "Embassy of Japan in the United States": "America/New_York",
        "Embassy of Japan in the United Kingdom": "Europe/London",
    }


def test_tokyo_orientation_for_each_arrival_group(demo_events, this_year):
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    orientations = {e.arrival_group: e for e in demo_events.filter(kind=EK.TOKYO_ORIENTATION)}
    assert set(orientations) == {"A", "B"}
    for group, departure in (
        ("A", this_year.departure_group_a),
        ("B", this_year.departure_group_b),
    ):
        event = orientations[group]
        assert event.organiser.kind == Kind.CLAIR
        assert event.audience == Event.Audience.NEW_PARTICIPANTS
        assert event.attendance_required
        assert event.capacity
        assert timezone.localtime(event.starts_at, tokyo).date() == departure + dt.timedelta(2)
        assert {"ALT", "CIR"} <= set(event.sessions.values_list("track", flat=True))
    # Every accepted candidate of the year is registered, automatically, for their group's.
    accepted = Placement.objects.filter(
        application__programme_year=this_year, status=Placement.Status.ACCEPTED
    )
    assert accepted.exists()
    for placement in accepted:
        registration = Registration.objects.get(
            person=placement.application.applicant, event__kind=EK.TOKYO_ORIENTATION
        )
        assert registration.automatic
        assert registration.event.arrival_group == placement.arrival_group


def test_hyogo_holds_its_alt_mid_year_seminar_with_clair(demo_events, co_hyogo):
    seminar = demo_events.get(kind=EK.ALT_MID_YEAR)
    assert seminar.organiser == co_hyogo.organisation
    assert seminar.supported_by.kind == Kind.CLAIR
    assert seminar.audience == Event.Audience.PREFECTURE
    assert seminar.audience_prefecture == co_hyogo.organisation.prefecture


def test_mext_workshops_in_clair_conferences(demo_events):
    mext_sessions = Session.objects.filter(event__in=demo_events, presenter__kind=Kind.MEXT)
    clair_conferences = {s.event_id for s in mext_sessions if s.event.organiser.kind == Kind.CLAIR}
    assert len(clair_conferences) >= 2
    assert all(s.event.kind in CONFERENCES for s in mext_sessions)


def test_participants_schedule_has_a_conference_and_the_mid_year_seminar(participant):
    rows = selectors.schedule(user=participant)
    starts = [row["event"].starts_at for row in rows]
    assert starts == sorted(starts)
    assert all(row["event"].ends_at >= timezone.now() for row in rows)
    kinds = [row["event"].kind for row in rows]
    # A CLAIR conference with parallel sessions, in which she chose hers.
    conference = next(
        i
        for i, row in enumerate(rows)
        if row["event"].organiser.kind == Kind.CLAIR
        and row["event"].kind in CONFERENCES
        and row["chosen"]
    )
    chosen = rows[conference]["sessions"]
    assert len({s.track for s in rows[conference]["event"].sessions.all()} - {""}) >= 2
    for i, first in enumerate(chosen):
        for second in chosen[i + 1 :]:
            assert not (first.starts_at < second.ends_at and second.starts_at < first.ends_at)
    mid_year = kinds.index(EK.ALT_MID_YEAR)
    starts = timezone.localtime(rows[mid_year]["event"].starts_at).date()
    assert demo_calendar().story(starts).month in (1, 2)
    assert conference < mid_year  # soonest first: the January conference, then February
    for row in rows:
        assert not row["registration"].automatic
        assert access.can(participant, "register", row["event"])


def test_applicant_is_registered_for_an_information_session(applicant):
    (row,) = selectors.schedule(user=applicant)
    assert row["event"].kind == EK.INFORMATION_SESSION
    assert row["registration"].state == REGISTERED


def test_one_event_is_full_with_a_waitlist(demo_events):
    full = [
        e
        for e in demo_events.exclude(capacity=None)
        if e.registrations.filter(state=WAITLISTED).exists()
    ]
    assert full
    for event in full:
        assert event.registrations.filter(state=REGISTERED).count() == event.capacity


def test_a_past_event_of_this_programme_year_has_check_ins(demo_events):
    past = demo_events.filter(ends_at__lt=timezone.now())
    attended = Registration.objects.filter(event__in=past, attended_at__isnull=False)
    assert attended.exists()
    for registration in attended.select_related("event", "checked_in_by"):
        assert registration.checked_in_by.organisation == registration.event.organiser
        assert registration.attended_at < registration.event.ends_at
    assert Registration.objects.filter(event__in=past, attended_at__isnull=True).exists()


def test_seeding_events_notifies_nobody(participant):
    assert not Notification.objects.filter(kind__startswith="event_").exists()
    assert not Notification.objects.filter(recipient=participant).exists()  # tests/notifications


def test_a_second_seed_adds_nothing():
    models = (
        Event,
        Session,
        Registration,
        Notification,
        RegistrationUserObjectPermission,
        RegistrationGroupObjectPermission,
        UserObjectPermission,
    )
    counts = {model: model.objects.count() for model in models}
    sessions_chosen = Registration.sessions.through.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert {model: model.objects.count() for model in models} == counts
    assert Registration.sessions.through.objects.count() == sessions_chosen
    assert User.objects.get(username="participant").registrations.count() == 2
