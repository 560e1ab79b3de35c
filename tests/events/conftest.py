# ruff: noqa: RUF001  (Japanese text uses full-width brackets and colons, as Japanese does)
"""Events built through the real services, on top of the demo world (tests/conftest.py).

- soon(days, hour, minute): an aware time that many days ahead, at that hour in Tokyo.
- conference: CLAIR's Skill Development Conference a month ahead (Tokyo, two days, for
  all participants, bilingual). Sessions, all by CLAIR: two that run in parallel on day
  one at 10:00-11:30 (`parallel_a`, track A; `parallel_b`, track B) and a plenary at
  13:00 (`plenary`). MEXT may add workshops to it; only CLAIR edits CLAIR's sessions.
- info_session: the US embassy's information session for applicants, held in
  Washington (America/New_York) three weeks ahead; capacity 2.
- make_person(username, kind="PARTICIPANT", language="en"): a new applicant or
  participant with no placement. Every participant is in the conference's audience.
- placed_participant: a participant with an ACCEPTED placement in an approved Hyogo
  position (group A), the grants made as placing and accepting make them.
- as_user(user): a Django client signed in as `user`.
"""

import datetime as dt
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from apps.core import access
from apps.core.models import Kind, Organisation, Prefecture, ProgrammeYear, User
from apps.events import services as events
from apps.events.models import Event
from apps.placement.models import Placement, PositionRequest
from apps.recruitment.models import Application

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
US_EMBASSY = "Embassy of Japan in the United States"


def soon(days: int, hour: int = 9, minute: int = 0, tz=TOKYO) -> dt.datetime:
    day = timezone.localdate(timezone.now(), tz) + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


@pytest.fixture
def year(db):
    return ProgrammeYear.objects.get(is_current=True)


@pytest.fixture
def as_user():
    def _as(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _as


@pytest.fixture
def conference(clair, year):
    event = events.event_create(
        by=clair,
        programme_year=year,
        kind=Event.Kind.SKILL_DEVELOPMENT,
        title_en="Skill Development Conference",
        title_ja="スキルデベロップメント・カンファレンス",
        description_en="Two days of workshops for ALTs and CIRs.",
        description_ja="ALT・CIRのための二日間の研修。",
        venue_en="Keio Plaza Hotel, Shinjuku",
        venue_ja="京王プラザホテル（新宿）",
        bring_en="Your name badge and a notebook.",
        bring_ja="名札とノート",
        time_zone="Asia/Tokyo",
        starts_at=soon(30, 9),
        ends_at=soon(31, 17),
        audience=Event.Audience.ALL_PARTICIPANTS,
    )
    return event


def _session(by, event, title_en, title_ja, start, end, **fields):
    return events.session_create(
        by=by,
        event=event,
        title_en=title_en,
        title_ja=title_ja,
        starts_at=start,
        ends_at=end,
        **fields,
    )


@pytest.fixture
def parallel_a(clair, conference):
    return _session(
        clair,
        conference,
        "Team teaching that works",
        "効果的なティーム・ティーチング",
        soon(30, 10),
        soon(30, 11, 30),
        room="Room A",
        track="A",
    )


@pytest.fixture
def parallel_b(clair, conference):
    return _session(
        clair,
        conference,
        "Japanese for the staff room",
        "職員室の日本語",
        soon(30, 10),
        soon(30, 11, 30),
        room="Room B",
        track="B",
    )


@pytest.fixture
def plenary(clair, conference):
    return _session(
        clair,
        conference,
        "Plenary: the year ahead",
        "全体会：これからの一年",
        soon(30, 13),
        soon(30, 14),
        room="Main hall",
    )


@pytest.fixture
def info_session(embassy_us, year):
    return events.event_create(
        by=embassy_us,
        programme_year=year,
        kind=Event.Kind.INFORMATION_SESSION,
        title_en="JET Programme information session",
        title_ja="JETプログラム説明会",
        venue_en="Embassy of Japan, 2520 Massachusetts Avenue NW",
        time_zone="America/New_York",
        starts_at=soon(21, 18, tz=NEW_YORK),
        ends_at=soon(21, 20, tz=NEW_YORK),
        capacity=2,
        audience=Event.Audience.APPLICANTS,
    )


@pytest.fixture
def make_person(db):
    def _make(username: str, kind: str = Kind.PARTICIPANT, language: str = "en") -> User:
        return User.objects.create_user(
            username,
            email=f"{username}@example.com",
            first_name=username.split(".")[-1].title(),
            last_name="Tester",
            person_role=kind,
            language=language,
        )

    return _make


@pytest.fixture
def placed_participant(make_person, clair, year):
    """A forwarded candidate placed with Hyogo and accepted, as the flow leaves them."""
    person = make_person("events.placed")
    mission = Organisation.objects.get(name_en=US_EMBASSY)
    hyogo = Organisation.objects.get(name_en="Hyogo Prefectural Board of Education")
    clair_org = Organisation.objects.get(kind=Kind.CLAIR)
    application = Application.objects.create(
        number="EVENTS-1",
        programme_year=year,
        applicant=person,
        mission=mission,
        country=mission.country,
        citizenship=mission.country,
        position="ALT",
        status=Application.Status.FORWARDED,
        given_names=person.first_name,
        family_name=person.last_name,
        japanese_level="N3",
        driving_licence="AUTOMATIC",
        preference_1="28",
        location_preference="URBAN",
    )
    access.grant_user("view", application, person)
    access.grant("view", application, clair_org)
    access.grant("view", application, mission)
    position = PositionRequest.objects.create(
        programme_year=year,
        organisation=hyogo,
        type="ALT",
        school_level="SENIOR_HIGH",
        base="Kobe Events High School",
        prefecture=Prefecture.objects.get(code="28"),
        municipality="Kobe",
        location="URBAN",
        housing="ASSISTED",
        state=PositionRequest.State.APPROVED,
    )
    access.grant("view", position, hyogo)
    access.grant("view", position, clair_org)
    placement = Placement.objects.create(
        application=application,
        position=position,
        status=Placement.Status.ACCEPTED,
        arrival_group=Placement.ArrivalGroup.A,
        confirmed_by=clair,
    )
    for organisation in (hyogo, mission, clair_org):
        access.grant("view", placement, organisation)
    access.grant_user("view", placement, person)
    return person
