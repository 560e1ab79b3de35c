"""The course's rules: the enrolment window and capacity, the translation course's
eligibility, late submissions and the certificate rule at its boundaries."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.core.errors import DomainError
from apps.learning import selectors_course, services_course
from apps.learning.models import CourseIntake, Enrolment
from apps.notifications.models import Notification
from apps.placement.models import Placement
from tests.course.conftest import enrolment_of, pdf

pytestmark = pytest.mark.django_db


# --- window and capacity ------------------------------------------------------------------


def test_enrolment_before_the_window_opens_is_refused(make_intake, make_participant):
    intake = make_intake(enrol_opens=timezone.now() + dt.timedelta(hours=1))
    with pytest.raises(DomainError, match="not opened"):
        services_course.enrol(by=make_participant(), intake=intake)


def test_enrolment_after_the_window_closes_is_refused(make_intake, make_participant):
    intake = make_intake()
    person = make_participant()
    closes = intake.enrol_closes
    with pytest.raises(DomainError, match="closed"):
        services_course.enrol(by=person, intake=intake, now=closes)
    enrolment = services_course.enrol(
        by=person, intake=intake, now=closes - dt.timedelta(seconds=1)
    )
    assert enrolment.state == Enrolment.State.ENROLLED


def test_capacity_is_the_limit_and_a_withdrawal_frees_a_place(make_intake, make_participant):
    intake = make_intake(capacity=2)
    first, second, third = make_participant(), make_participant(), make_participant()
    e1 = services_course.enrol(by=first, intake=intake)
    services_course.enrol(by=second, intake=intake)
    with pytest.raises(DomainError, match="full"):
        services_course.enrol(by=third, intake=intake)
    services_course.withdraw(by=first, enrolment=e1)
    services_course.enrol(by=third, intake=intake)
    assert intake.enrolments.filter(state="ENROLLED").count() == 2


def test_enrolling_twice_is_refused(make_intake, make_participant):
    intake = make_intake()
    person = make_participant()
    services_course.enrol(by=person, intake=intake)
    with pytest.raises(DomainError, match="already enrolled"):
        services_course.enrol(by=person, intake=intake)


def test_only_participants_enrol(make_intake, co_hyogo, applicant, clair):
    intake = make_intake()
    for user in (co_hyogo, applicant, clair):
        with pytest.raises(PermissionDenied, match="Only participants enrol"):
            services_course.enrol(by=user, intake=intake)


def test_clair_alone_creates_intakes(make_intake, co_hyogo):
    intake = make_intake()
    with pytest.raises(PermissionDenied, match="Only CLAIR runs"):
        services_course.intake_create(
            by=co_hyogo,
            level="BEGINNER",
            title_en="x",
            title_ja="",
            enrol_opens=intake.enrol_opens,
            enrol_closes=intake.enrol_closes,
            capacity=1,
            starts_on=intake.starts_on,
            ends_on=intake.ends_on,
        )


# --- eligibility of the translation course --------------------------------------------------


def _set_placement(person, *, position_type: str, level: str) -> None:
    placement = Placement.objects.filter(
        application__applicant=person, status__in=Placement.ACTIVE
    ).first()
    position = placement.position
    position.type = position_type
    if position_type != "ALT":
        position.school_level = ""
    position.save()
    application = placement.application
    application.japanese_level = level
    application.save()


@pytest.mark.parametrize(
    ("position_type", "level", "allowed"),
    [
        ("ALT", "N1", False),
        ("CIR", "N3", False),
        ("CIR", "", False),
        ("CIR", "N2", True),
        ("CIR", "N1", True),
    ],
)
def test_translation_course_is_for_cirs_with_n2_or_above(
    make_intake, participant, position_type, level, allowed
):
    intake = make_intake(level=CourseIntake.Level.TRANSLATION)
    _set_placement(participant, position_type=position_type, level=level)
    if allowed:
        assert services_course.enrol(by=participant, intake=intake).pk
    else:
        with pytest.raises(DomainError, match=r"CIRs|N2"):
            services_course.enrol(by=participant, intake=intake)


def test_translation_course_refuses_a_participant_without_placement(make_intake, make_participant):
    intake = make_intake(level=CourseIntake.Level.TRANSLATION)
    with pytest.raises(DomainError, match="CIRs"):
        services_course.enrol(by=make_participant(), intake=intake)


# --- submissions -----------------------------------------------------------------------------


def test_a_submission_by_the_due_time_is_on_time_after_it_late(
    make_intake, make_participant, make_tests
):
    intake = make_intake()
    person = make_participant()
    services_course.enrol(by=person, intake=intake)
    t1, t2 = make_tests(intake, count=2)
    on_time = services_course.submit(by=person, test=t1, uploaded=pdf(), now=t1.due_at)
    late = services_course.submit(
        by=person, test=t2, uploaded=pdf(), now=t2.due_at + dt.timedelta(seconds=1)
    )
    assert on_time.on_time is True
    assert late.on_time is False
    assert late.pk  # kept, flagged late


def test_a_submission_is_checked_by_content(make_intake, make_participant, make_tests):
    from django.core.files.uploadedfile import SimpleUploadedFile

    intake = make_intake()
    person = make_participant()
    services_course.enrol(by=person, intake=intake)
    (test,) = make_tests(intake, count=1, due_in_days=5)
    fake = SimpleUploadedFile("answers.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(DomainError, match="not a PDF"):
        services_course.submit(by=person, test=test, uploaded=fake)


def test_a_submission_needs_an_enrolment_and_is_handed_in_once(
    make_intake, make_participant, make_tests
):
    intake = make_intake()
    person, stranger = make_participant(), make_participant()
    services_course.enrol(by=person, intake=intake)
    (test,) = make_tests(intake, count=1, due_in_days=5)
    with pytest.raises(DomainError, match="not enrolled"):
        services_course.submit(by=stranger, test=test, uploaded=pdf())
    services_course.submit(by=person, test=test, uploaded=pdf())
    with pytest.raises(DomainError, match="already handed in"):
        services_course.submit(by=person, test=test, uploaded=pdf())


def test_marks_are_percentages(make_intake, make_participant, make_tests, clair):
    intake = make_intake()
    person = make_participant()
    services_course.enrol(by=person, intake=intake)
    (test,) = make_tests(intake, count=1, due_in_days=5)
    submission = services_course.submit(by=person, test=test, uploaded=pdf())
    for bad in (-1, 101, "abc"):
        with pytest.raises(DomainError):
            services_course.submission_mark(by=clair, submission=submission, score=bad)
    with pytest.raises(PermissionDenied, match="Only CLAIR runs"):
        services_course.submission_mark(by=person, submission=submission, score=80)


# --- the certificate rule --------------------------------------------------------------------


def _run(make_intake, make_participant, make_tests, clair, plan):
    """`plan`: (late?, score) per test. Returns the enrolment after marking."""
    intake = make_intake()
    person = make_participant()
    services_course.enrol(by=person, intake=intake)
    tests = make_tests(intake, count=max(len(plan), 1))
    for test, (late, score) in zip(tests, plan, strict=False):
        when = test.due_at + (dt.timedelta(minutes=1) if late else -dt.timedelta(minutes=1))
        submission = services_course.submit(by=person, test=test, uploaded=pdf(), now=when)
        services_course.submission_mark(by=clair, submission=submission, score=score)
    return enrolment_of(person, intake)


def test_four_on_time_at_seventy_issue_the_certificate(
    make_intake, make_participant, make_tests, clair
):
    enrolment = _run(make_intake, make_participant, make_tests, clair, [(False, 70)] * 4)
    assert enrolment.certificate_issued_at is not None
    assert enrolment.certificate_number
    assert (
        Notification.objects.filter(
            recipient=enrolment.participant, kind="course_certificate_issued"
        ).count()
        == 1
    )


def test_three_tests_issue_no_certificate(make_intake, make_participant, make_tests, clair):
    enrolment = _run(make_intake, make_participant, make_tests, clair, [(False, 100)] * 3)
    assert enrolment.certificate_issued_at is None


def test_one_test_at_sixty_nine_issues_no_certificate(
    make_intake, make_participant, make_tests, clair
):
    plan = [(False, 70), (False, 70), (False, 69), (False, 70)]
    enrolment = _run(make_intake, make_participant, make_tests, clair, plan)
    assert enrolment.certificate_issued_at is None


def test_a_late_fourth_issues_no_certificate(make_intake, make_participant, make_tests, clair):
    plan = [(False, 90), (False, 90), (False, 90), (True, 90)]
    enrolment = _run(make_intake, make_participant, make_tests, clair, plan)
    assert enrolment.certificate_issued_at is None


def test_a_fifth_on_time_makes_up_for_a_failed_one(
    make_intake, make_participant, make_tests, clair
):
    plan = [(False, 90), (False, 60), (False, 90), (True, 90), (False, 75), (False, 80)]
    enrolment = _run(make_intake, make_participant, make_tests, clair, plan)
    assert enrolment.certificate_issued_at is not None


def test_a_remark_to_seventy_issues_the_certificate(
    make_intake, make_participant, make_tests, clair
):
    plan = [(False, 80), (False, 80), (False, 80), (False, 69)]
    enrolment = _run(make_intake, make_participant, make_tests, clair, plan)
    assert enrolment.certificate_issued_at is None
    low = enrolment.submissions.get(score=69)
    services_course.submission_mark(by=clair, submission=low, score=70)
    enrolment.refresh_from_db()
    assert enrolment.certificate_issued_at is not None


# --- materials: from the release date, to the enrolled only -------------------------------


def test_material_is_visible_from_its_release_date_to_the_enrolled_only(
    make_intake, make_participant, clair, co_hyogo
):
    intake = make_intake()
    enrolled, other = make_participant(), make_participant()
    services_course.enrol(by=enrolled, intake=intake)
    today = timezone.localdate()
    released = services_course.material_create(
        by=clair, intake=intake, title_en="Now", title_ja="今", release_on=today, uploaded=pdf()
    )
    tomorrow = services_course.material_create(
        by=clair,
        intake=intake,
        title_en="Tomorrow",
        title_ja="明日",
        release_on=today + dt.timedelta(days=1),
        uploaded=pdf(),
    )
    assert list(selectors_course.material_list(user=enrolled, intake=intake)) == [released]
    assert not selectors_course.material_list(user=other, intake=intake).exists()
    assert not selectors_course.material_list(user=co_hyogo).exists()
    assert set(selectors_course.material_list(user=clair, intake=intake)) == {released, tomorrow}


def test_a_withdrawn_participant_no_longer_sees_materials(make_intake, make_participant, clair):
    intake = make_intake()
    person = make_participant()
    enrolment = services_course.enrol(by=person, intake=intake)
    services_course.material_create(
        by=clair,
        intake=intake,
        title_en="Now",
        title_ja="",
        release_on=timezone.localdate(),
        uploaded=pdf(),
    )
    assert selectors_course.material_list(user=person, intake=intake).count() == 1
    services_course.withdraw(by=person, enrolment=enrolment)
    assert selectors_course.material_list(user=person, intake=intake).count() == 0
