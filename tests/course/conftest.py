import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.models import PersonRole, User
from apps.demo.documents import pdf_bytes as minimal_pdf
from apps.learning import services_course
from apps.learning.models import CourseIntake, CourseTest, Enrolment

PASSWORD = "course-tests-2027"


def pdf(name="answers.pdf"):
    return SimpleUploadedFile(name, minimal_pdf("answers"), content_type="application/pdf")


@pytest.fixture
def make_intake(clair):
    def _make(**fields):
        now = timezone.now()
        today = timezone.localdate()
        values = {
            "level": CourseIntake.Level.BEGINNER,
            "title_en": "Test beginner intake",
            "title_ja": "テスト初級",
            "enrol_opens": now - dt.timedelta(days=1),
            "enrol_closes": now + dt.timedelta(days=10),
            "capacity": 5,
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=120),
        } | fields
        return services_course.intake_create(by=clair, **values)

    return _make


@pytest.fixture
def make_participant(db):
    counter = {"n": 0}

    def _make(username=None):
        counter["n"] += 1
        return User.objects.create(
            username=username or f"course-person-{counter['n']}",
            password=make_password(PASSWORD),
            person_role=PersonRole.PARTICIPANT,
            first_name="Test",
            last_name=f"Person {counter['n']}",
        )

    return _make


@pytest.fixture
def make_tests(clair):
    def _make(intake, count=5, due_in_days=-1):
        return [
            services_course.test_create(
                by=clair,
                intake=intake,
                number=n,
                title_en=f"Test {n}",
                title_ja="",
                due_at=timezone.now() + dt.timedelta(days=due_in_days + n),
            )
            for n in range(1, count + 1)
        ]

    return _make


def enrolment_of(person, intake) -> Enrolment:
    return Enrolment.objects.get(participant=person, intake=intake, state="ENROLLED")


__all__ = ["CourseTest", "enrolment_of", "pdf"]
