"""Shared fixtures for recruitment and selection tests.

Everything is built through the real services (apps.core, apps.recruitment), so a
test that uses these fixtures also exercises the flow that produced its data:

- open_year: the current programme year, its application window open (deadline 30
  days ahead, whatever today's date).
- make_applicant(username, country="US", language="en"): a new applicant account. The
  country is the citizenship `submitted_application` puts on their application.
- draft_application / submitted_application(applicant, mission=..., position="ALT",
  **overrides): an application complete in every required part (fields, a bachelor's
  degree before the degree deadline, every required document, two referees), left as a
  draft or submitted. `overrides` are fields for `application_update`.
- published_numbers(places=2): MIC sets and publishes the US and GB numbers for ALT and
  CIR.
- us_mission / uk_mission: the two demo embassies (Organisation).
- us_manager: a new manager of the US embassy (embassy_us, from tests/conftest.py, is
  staff only).
- rubric: the US embassy's rubric for the year, exactly two criteria set by us_manager.
- fresh_round: the current year's recruitment round in the US and GB starts empty
  inside the test: demo applications there are set aside (withdrawn, in the test's
  own transaction) and no results are released yet. Use it where exact counts, ranks,
  quotas or a release depend on no one else's applications.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core import services as core_services
from apps.core.models import Country, Organisation, ProgrammeYear, Role
from apps.recruitment import services
from apps.recruitment.models import (
    Application,
    ApplicationDocument,
    Education,
    ResultRelease,
    RubricCriterion,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
US_EMBASSY = "Embassy of Japan in the United States"
UK_EMBASSY = "Embassy of Japan in the United Kingdom"

# What `complete_fields` fills in; all that `missing_parts` asks for.
COMPLETE_FIELDS = {
    "family_name": "Miller",
    "given_names": "Jordan",
    "date_of_birth": dt.date(1999, 4, 2),
    "phone": "+1 202 555 0143",
    "address": "1600 Example Avenue NW, Washington, DC 20500",
    "japanese_level": "N3",
    "driving_licence": "AUTOMATIC",
    "preference_1": "28",
    "location_preference": "RURAL",
    "statement_of_purpose": "I want to teach English and learn from my community.",
}


def pdf(name: str = "x.pdf") -> SimpleUploadedFile:
    """A small file that really is a PDF."""
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded documents go to a temporary folder, never the working tree."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def programme_year(db) -> ProgrammeYear:
    return ProgrammeYear.objects.get(is_current=True)


@pytest.fixture
def open_year(programme_year) -> ProgrammeYear:
    """The current programme year, taking applications: deadline 30 days ahead."""
    now = timezone.now()
    programme_year.applications_open = now - dt.timedelta(days=60)
    programme_year.application_deadline = now + dt.timedelta(days=30)
    programme_year.save(update_fields=["applications_open", "application_deadline"])
    return programme_year


@pytest.fixture
def fresh_round(programme_year):
    """No application of the current year holds a place, waits for a decision or ranks as
    an alternate in the US or GB, and no mission there has released its results."""
    countries = ("US", "GB")
    Application.objects.filter(programme_year=programme_year, country_id__in=countries).update(
        status=Application.Status.WITHDRAWN, alternate_rank=None
    )
    ResultRelease.objects.filter(
        programme_year=programme_year, mission__country_id__in=countries
    ).delete()
    return programme_year


@pytest.fixture
def us_mission(db) -> Organisation:
    return Organisation.objects.get(name_en=US_EMBASSY)


@pytest.fixture
def uk_mission(db) -> Organisation:
    return Organisation.objects.get(name_en=UK_EMBASSY)


@pytest.fixture
def us_manager(us_mission):
    """A manager of the US embassy: may also release results and open health reports."""
    user = core_services.person_create(
        username="us.manager",
        email="us.manager@example.jp",
        password="not-used-1",
        first_name="Grace",
        last_name="Lee",
    )
    core_services.membership_add(by=None, user=user, organisation=us_mission, role=Role.MANAGER)
    return user


@pytest.fixture
def make_applicant(db):
    """make_applicant(username, country="US", language="en") -> a new applicant."""

    def _make(
        username: str,
        country: str = "US",
        *,
        language: str = "en",
        first_name: str = "Jordan",
        last_name: str = "Miller",
    ):
        user = core_services.person_create(
            username=username,
            email=f"{username}@example.com",
            password="not-used-1",
            person_role="APPLICANT",
            first_name=first_name,
            last_name=last_name,
            language=language,
        )
        user.citizenship_code = country
        return user

    return _make


def _build_application(applicant, mission, position, programme_year, submit, overrides):
    graduation_date = overrides.pop(
        "graduation_date", programme_year.degree_deadline - dt.timedelta(days=365)
    )
    citizenship = overrides.pop(
        "citizenship", getattr(applicant, "citizenship_code", None) or mission.country_id
    )
    if isinstance(citizenship, str):
        citizenship = Country.objects.get(code=citizenship)
    application = services.application_start(
        by=applicant, programme_year=programme_year, mission=mission, position=position
    )
    fields = {**COMPLETE_FIELDS, "email": applicant.email, "citizenship": citizenship}
    application = services.application_update(
        by=applicant, application=application, **{**fields, **overrides}
    )
    services.education_add(
        by=applicant,
        application=application,
        institution="Georgetown University",
        degree=Education.Degree.BACHELOR,
        field_of_study="Linguistics",
        graduation_date=graduation_date,
    )
    for kind in ApplicationDocument.REQUIRED:
        services.document_upload(by=applicant, application=application, kind=kind, uploaded=pdf())
    for n in (1, 2):
        services.referee_add(
            by=applicant,
            application=application,
            name=f"Referee {n}",
            email=f"referee{n}.{applicant.username}@example.edu",
            relationship="Professor",
        )
    if submit:
        application = services.application_submit(by=applicant, application=application)
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def draft_application(open_year, us_mission):
    """draft_application(applicant, mission=us_mission, position="ALT", **overrides):
    complete in every part, not yet submitted."""

    def _draft(applicant, mission=None, position="ALT", **overrides):
        return _build_application(
            applicant, mission or us_mission, position, open_year, False, overrides
        )

    return _draft


@pytest.fixture
def submitted_application(open_year, us_mission):
    """submitted_application(applicant, mission=us_mission, position="ALT", **overrides)"""

    def _submitted(applicant, mission=None, position="ALT", **overrides):
        return _build_application(
            applicant, mission or us_mission, position, open_year, True, overrides
        )

    return _submitted


@pytest.fixture
def published_numbers(mic, programme_year):
    """published_numbers(places=2) -> {(country, position): AcceptanceNumber}, published
    by MIC for the US and GB, ALT and CIR."""

    def _publish(places: int = 2, countries=("US", "GB"), positions=("ALT", "CIR")):
        numbers = {}
        for code in countries:
            for position in positions:
                numbers[(code, position)] = services.acceptance_number_set(
                    by=mic,
                    programme_year=programme_year,
                    country=Country.objects.get(code=code),
                    position=position,
                    places=places,
                    guideline_en=f"{position} places for {code}.",
                )
        services.acceptance_numbers_publish(by=mic, numbers=list(numbers.values()))
        return numbers

    return _publish


@pytest.fixture
def rubric(us_manager, us_mission, programme_year):
    """The US embassy's rubric for the year is exactly these two criteria (any the demo
    data set are dropped): motivation (weight 2) and communication (weight 1), each
    scored 0 to 5."""
    RubricCriterion.objects.filter(mission=us_mission, programme_year=programme_year).delete()
    return [
        services.rubric_criterion_add(
            by=us_manager,
            mission=us_mission,
            programme_year=programme_year,
            name_en="Motivation",
            name_ja="志望動機",
            weight=2,
            max_score=5,
        ),
        services.rubric_criterion_add(
            by=us_manager,
            mission=us_mission,
            programme_year=programme_year,
            name_en="Communication",
            name_ja="コミュニケーション",
            weight=1,
            max_score=5,
        ),
    ]
