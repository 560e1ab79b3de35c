"""The README's story of the demo holds on whatever day the world was built.

`.ci/run` runs these again with the clock moved by months (JETADMIN_CLOCK), so a date
written into the demo that only works in December fails here.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from apps.core.models import ProgrammeYear, User
from apps.demo.calendar import ARRIVAL, STORY_DAY, demo_calendar
from apps.events.models import Registration
from apps.placement.models import Contract
from apps.reappointment.models import ReappointmentCase, ReappointmentRound
from apps.recruitment.models import Application, InterviewSlot, ResultRelease
from apps.safety.models import SafetyAnswer, SafetyCheck

WASHINGTON = "Embassy of Japan in the United States"
NEW_YORK = "Consulate-General of Japan in New York"


def test_the_current_programme_year_is_todays(db):
    cal = demo_calendar()
    year = ProgrammeYear.objects.get(is_current=True)
    assert year.year == cal.year
    assert year.departure_group_a.year == year.year
    # Applications closed a little over two weeks ago; arrivals are months ahead.
    now = timezone.now()
    assert year.applications_open < year.application_deadline < now
    assert now - year.application_deadline < dt.timedelta(days=30)
    assert timezone.localdate() < year.results_release < year.departure_group_a


def test_washington_is_mid_round_and_the_applicant_is_invited_to_interview(db):
    year = ProgrammeYear.objects.get(is_current=True)
    applicant = User.objects.get(username="applicant")
    application = Application.objects.get(applicant=applicant, programme_year=year)
    assert application.mission.name_en == WASHINGTON
    assert application.status == Application.Status.INTERVIEW
    released = set(
        ResultRelease.objects.filter(programme_year=year).values_list("mission__name_en", flat=True)
    )
    assert WASHINGTON not in released
    assert NEW_YORK in released
    free = InterviewSlot.objects.filter(
        mission=application.mission, programme_year=year, starts_at__gt=timezone.now()
    )
    assert free.exists()


def test_the_participant_is_in_contract_year_2_with_a_contract_in_force(db):
    participant = User.objects.get(username="participant")
    today = timezone.localdate()
    in_force = Contract.objects.get(
        placement__application__applicant=participant,
        status=Contract.Status.IN_FORCE,
        start_date__lte=today,
        end_date__gte=today,
    )
    assert in_force.contract_year == 2
    assert in_force.placement.position.organisation.name_en == (
        "Hyogo Prefectural Board of Education"
    )


def test_the_reappointment_round_is_open_and_asks_the_participant(db):
    year = ProgrammeYear.objects.get(is_current=True)
    round_ = ReappointmentRound.objects.get(programme_year=year)
    now = timezone.now()
    assert round_.state == ReappointmentRound.State.OPEN
    assert now < round_.organisation_deadline < round_.participant_deadline
    assert round_.participant_deadline < round_.confirmation_deadline
    case = ReappointmentCase.objects.get(round=round_, participant__username="participant")
    assert case.organisation_answer == ""
    assert case.participant_answer == ""


def test_an_open_safety_check_waits_for_the_participant(db):
    check = SafetyCheck.objects.get(state=SafetyCheck.State.OPEN)
    assert check.started_at <= timezone.now()
    answer = SafetyAnswer.objects.get(safety_check=check, participant__username="participant")
    assert answer.answered_at is None


def test_upcoming_events_are_on_the_schedules(db):
    now = timezone.now()
    for username in ("participant", "applicant"):
        upcoming = Registration.objects.filter(
            person__username=username, event__starts_at__gt=now
        ).exclude(state=Registration.State.CANCELLED)
        assert upcoming.exists(), username


def test_no_demo_module_writes_a_calendar_year():
    """Demo dates come from the demo calendar, never from a literal year."""
    root = Path(__file__).resolve().parent.parent / "apps"
    pattern = re.compile(r"(date|datetime)\(\s*(19|20)\d\d\b|\byear\s*=\s*(19|20)\d\d\b")
    offenders = [
        f"{path.relative_to(root.parent)}:{number}: {line.strip()}"
        for path in (root / "demo").rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line.split("#", 1)[0])
    ]
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("start", ["2026-01-01", "2027-06-01", "2028-02-01", "2031-12-20"])
def test_the_calendar_fits_every_day(start):
    """Every day of a year (leap years included): a programme year is found, its arrival
    and every earlier one falls in its own year, and the story day is today."""
    day = dt.date.fromisoformat(start)
    for offset in range(366):
        today = day + dt.timedelta(days=offset)
        cal = demo_calendar(today)
        assert abs((cal.date(cal.year - 1, *STORY_DAY) - today).days) <= 1, today
        for back in range(4):
            assert cal.date(cal.year - back, *ARRIVAL).year == cal.year - back, today
        dates = cal.programme_year_dates(cal.year)
        assert dates["applications_open"] < dates["application_deadline"]
        assert dates["application_deadline"].date() < dates["results_release"]
