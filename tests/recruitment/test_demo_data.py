"""The demo world's recruitment round, as `seed_demo` leaves it (seeded once per session
by tests/conftest.py): enough applications in every state for each demo account to have
real work, visible only to those entitled to see them, and a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.core.models import Kind, Membership, Organisation, ProgrammeYear, User
from apps.demo.calendar import HAWAII, demo_calendar
from apps.demo.documents import pdf_bytes
from apps.recruitment import selectors
from apps.recruitment.models import (
    AcceptanceNumber,
    Application,
    ApplicationDocument,
    InterviewBooking,
    InterviewSlot,
    Referee,
    ReplyForm,
    ResultRelease,
    RubricCriterion,
    Score,
)

pytestmark = pytest.mark.django_db

Status = Application.Status
DEMO_COUNTRIES = ("US", "GB", "CA", "AU", "NZ", "IE", "PH", "CN")
US_EMBASSY = "Embassy of Japan in the United States"


@pytest.fixture
def year():
    return ProgrammeYear.objects.get(is_current=True)


@pytest.fixture
def applications(year):
    return Application.objects.filter(programme_year=year)


def test_about_three_hundred_applications_in_every_state(applications):
    assert applications.count() >= 280
    present = set(applications.values_list("status", flat=True))
    assert present == set(Status.values)


def test_applications_spread_over_the_demo_missions_mostly_us(applications):
    missions = set(applications.values_list("mission", flat=True))
    assert len(missions) >= 8
    countries = set(applications.values_list("country", flat=True))
    assert countries == set(DEMO_COUNTRIES)
    us = applications.filter(country="US").count()
    assert 0.4 <= us / applications.count() <= 0.6


def test_every_mission_has_a_manager_and_the_us_embassy_a_second_reviewer():
    for mission in Organisation.objects.filter(kind=Kind.MISSION):
        assert Membership.objects.filter(organisation=mission, role="MANAGER").exists(), mission
    us = Organisation.objects.get(name_en=US_EMBASSY)
    assert Membership.objects.filter(organisation=us, role="STAFF").count() >= 2
    assert User.objects.get(username="embassy.us.manager").organisation == us


def test_embassy_us_sees_only_its_own_applications(embassy_us, year):
    visible = selectors.application_list(user=embassy_us, programme_year=year)
    assert visible.count() > 50
    assert set(visible.values_list("country", flat=True)) == {"US"}
    assert set(visible.values_list("mission__name_en", flat=True)) == {US_EMBASSY}
    # Drafts stay the applicant's own until submitted.
    assert not visible.filter(status=Status.DRAFT).exists()


def test_embassy_uk_never_sees_a_us_application(embassy_uk, year):
    visible = selectors.application_list(user=embassy_uk, programme_year=year)
    assert visible.exists()
    assert not visible.exclude(country="GB").exists()


def test_clair_sees_exactly_the_forwarded_candidates(clair, applications, year):
    visible = selectors.application_list(user=clair, programme_year=year)
    # Forwarded ones, including a candidate who withdrew after being placed.
    forwarded = applications.filter(forwarded_at__isnull=False)
    assert forwarded.exists()
    assert set(visible.values_list("pk", flat=True)) == set(forwarded.values_list("pk", flat=True))


def test_applicant_is_invited_to_interview_at_the_us_embassy(applicant, year):
    own = selectors.application_own(user=applicant, programme_year=year)
    assert own is not None
    assert own.status == Status.INTERVIEW
    assert own.mission.name_en == US_EMBASSY
    assert own.eligibility == Application.Eligibility.ELIGIBLE
    # Open interview times are left for them to book.
    free = [
        slot
        for slot in InterviewSlot.objects.filter(mission=own.mission, programme_year=year)
        if slot.bookings.count() < slot.capacity
    ]
    assert free


def test_acceptance_numbers_published_for_each_demo_country(year):
    numbers = AcceptanceNumber.objects.filter(programme_year=year)
    for code in DEMO_COUNTRIES:
        published = numbers.filter(country=code, state=AcceptanceNumber.State.PUBLISHED)
        assert {"ALT", "CIR"} <= set(published.values_list("position", flat=True)), code
    us_alt = numbers.get(country="US", position="ALT")
    assert us_alt.places >= 900
    assert us_alt.guideline_en
    assert us_alt.guideline_ja
    cir = numbers.get(country="GB", position="CIR")
    assert "N2" in cir.guideline_en
    assert "N2" in cir.guideline_ja


def test_the_round_has_scores_interviews_and_outcomes(year, applications):
    assert (
        RubricCriterion.objects.filter(programme_year=year).values("mission").distinct().count()
        >= 9
    )
    screening = Score.objects.filter(application__programme_year=year, stage="SCREENING")
    interview = Score.objects.filter(application__programme_year=year, stage="INTERVIEW")
    assert screening.count() >= 200
    assert interview.count() >= 100
    assert InterviewBooking.objects.filter(application__programme_year=year).count() >= 100
    ineligible = applications.filter(eligibility=Application.Eligibility.INELIGIBLE)
    assert ineligible.exists()
    assert all(a.eligibility_reasons for a in ineligible)
    ranks = list(
        applications.filter(status=Status.ALTERNATE, mission__name_en=US_EMBASSY).values_list(
            "alternate_rank", flat=True
        )
    )
    assert ranks
    assert None not in ranks
    assert applications.filter(upgraded_at__isnull=False).exists()
    assert ResultRelease.objects.filter(programme_year=year, mission__country="US").exists()
    for forwarded in applications.filter(status=Status.FORWARDED):
        assert forwarded.reply.answer == ReplyForm.Answer.ACCEPT
        assert forwarded.reply.passport_expiry > forwarded.forwarded_at.date()


def test_applications_are_complete_and_realistic(year, applications):
    submitted = applications.exclude(status__in=(Status.DRAFT,)).exclude(submitted_at=None)
    for application in submitted[:40]:
        kinds = set(
            application.documents.exclude(verification="REPLACED").values_list("kind", flat=True)
        )
        assert set(ApplicationDocument.REQUIRED) <= kinds
        assert application.referees.count() == 2
        degrees = application.education.exclude(degree="OTHER")
        assert degrees.exists()
    documents = ApplicationDocument.objects.filter(application__programme_year=year)
    assert set(documents.values_list("content_type", flat=True)) == {"application/pdf"}
    assert not documents.filter(size=0).exists()
    assert Referee.objects.filter(application__programme_year=year, letter__isnull=False).exists()
    assert applications.exclude(name_japanese="").count() >= 10
    assert applications.filter(family_name__regex=r"[^\x00-\x7f]").exists()
    assert applications.exclude(partner=None).exists()


def test_demo_documents_are_real_pdfs():
    content = pdf_bytes("Official transcript", ["Applicant: Zoë Nguyễn", "GPA (3.8)"])
    assert content.startswith(b"%PDF-1.4")
    assert content.endswith(b"%%EOF\n")
    # The cross-reference table points at each object's real offset.
    xref = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert content[xref:].startswith(b"xref\n0 6\n")
    offsets = [int(line[:10]) for line in content[xref:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert content[offset:].startswith(b"%d 0 obj" % number)
    assert b"(Applicant: Zoe Nguyen) Tj" in content
    assert b"(GPA \\(3.8\\)) Tj" in content


def test_the_real_deadline_is_kept(year):
    """The seed opens the round for a moment to submit its applications, then puts the
    calendar's deadline back: mid-November of the story, 23:59 in Hawaii."""
    cal = demo_calendar()
    assert year.application_deadline == cal.at(cal.year - 1, 11, 15, "23:59", HAWAII)


def test_seeding_again_adds_nothing(year):
    counts = {
        model: model.objects.count()
        for model in (
            Application,
            AcceptanceNumber,
            User,
            Score,
            InterviewSlot,
            RubricCriterion,
            ApplicationDocument,
        )
    }
    call_command("seed_demo", stdout=StringIO())
    assert {model: model.objects.count() for model in counts} == counts
    year.refresh_from_db()
    cal = demo_calendar()
    assert year.application_deadline == cal.at(cal.year - 1, 11, 15, "23:59", HAWAII)


def test_clair_workspace_counts_exactly_the_forwarded_candidates(login):
    from apps.recruitment.models import Application

    forwarded = Application.objects.filter(
        programme_year__is_current=True, forwarded_at__isnull=False
    ).count()
    assert forwarded > 0
    html = login("clair").get("/clair/").content.decode()
    assert f'data-testid="count-forwarded">{forwarded}<' in html
