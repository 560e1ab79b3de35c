"""Writes of the Japanese language course, each asking the access rule who may make it
(pages and API call these alike): CLAIR runs the intakes, adds the monthly materials and
the tests, and marks; a participant enrols, withdraws and hands in tests. Marking and
handing in both re-check the completion rule (`course.certificate_check`), so the
certificate follows whichever change comes last."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import access
from apps.core.errors import DomainError
from apps.core.models import User
from apps.core.uploads import check_upload
from apps.learning.course import (
    certificate_check,
    eligibility_problem,
    enrolled_count,
    is_on_time,
    window_problem,
)
from apps.learning.models import CourseIntake, CourseMaterial, CourseTest, Enrolment, Submission
from apps.notifications.services import notifications_record

MAX_MATERIAL_BYTES = 20 * 1024 * 1024
MAX_SUBMISSION_BYTES = 10 * 1024 * 1024
INTAKE_FIELDS = (
    "level",
    "title_en",
    "title_ja",
    "enrol_opens",
    "enrol_closes",
    "capacity",
    "starts_on",
    "ends_on",
)


def _runs_course() -> str:
    return _("Only CLAIR runs the Japanese language course.")


def _check_intake(intake: CourseIntake) -> None:
    if intake.level not in CourseIntake.Level.values:
        raise DomainError(_("Choose a level."), field="level")
    if not (intake.title_en or "").strip():
        raise DomainError(_("Give the intake an English title."), field="title_en")
    if intake.enrol_closes <= intake.enrol_opens:
        raise DomainError(_("Enrolment must close after it opens."), field="enrol_closes")
    if intake.ends_on < intake.starts_on:
        raise DomainError(_("The course must end after it starts."), field="ends_on")
    if intake.capacity < 1:
        raise DomainError(_("The capacity must be at least one."), field="capacity")


# --- CLAIR: intakes, materials, tests, marks ---------------------------------------------


@transaction.atomic
def intake_create(*, by: User, **fields) -> CourseIntake:
    access.require_allowed(by, "add", CourseIntake, _runs_course())
    intake = CourseIntake(**{k: fields.get(k) for k in INTAKE_FIELDS})
    intake.title_ja = intake.title_ja or ""
    _check_intake(intake)
    intake.save()
    return intake


@transaction.atomic
def intake_update(*, by: User, intake: CourseIntake, **fields) -> CourseIntake:
    access.require(by, "change", intake, _runs_course())
    intake = CourseIntake.objects.select_for_update().get(pk=intake.pk)
    for name in INTAKE_FIELDS:
        if name in fields:
            setattr(intake, name, fields[name] if fields[name] is not None else "")
    _check_intake(intake)
    enrolled = intake.enrolments.filter(state="ENROLLED").count()
    if intake.capacity < enrolled:
        raise DomainError(
            _("%(count)s participants are already enrolled; the capacity cannot be lower.")
            % {"count": enrolled},
            field="capacity",
        )
    intake.save()
    return intake


@transaction.atomic
def material_create(
    *, by: User, intake: CourseIntake, title_en: str, title_ja: str, release_on, uploaded
) -> CourseMaterial:
    """A month's material of the intake, which its participants see from `release_on`."""
    access.require(by, "change", intake, _runs_course())
    if not (title_en or "").strip():
        raise DomainError(_("Give the material an English title."), field="title_en")
    if release_on is None:
        raise DomainError(_("Choose the release date."), field="release_on")
    check_upload(uploaded, max_bytes=MAX_MATERIAL_BYTES)
    material = CourseMaterial(
        intake=intake,
        title_en=title_en.strip(),
        title_ja=(title_ja or "").strip(),
        release_on=release_on,
        filename=(uploaded.name or "material.pdf")[-200:],
    )
    material.file.save(uploaded.name or "material", uploaded, save=False)
    material.save()
    return material


@transaction.atomic
def test_create(
    *, by: User, intake: CourseIntake, number: int, title_en: str, title_ja: str, due_at
) -> CourseTest:
    access.require(by, "change", intake, _runs_course())
    if not (title_en or "").strip():
        raise DomainError(_("Give the test an English title."), field="title_en")
    if due_at is None:
        raise DomainError(_("Choose the due date."), field="due_at")
    if number is None or number < 1:
        raise DomainError(_("Give the test a number from 1."), field="number")
    if CourseTest.objects.filter(intake=intake, number=number).exists():
        raise DomainError(_("This intake already has a test with that number."), field="number")
    return CourseTest.objects.create(
        intake=intake,
        number=number,
        title_en=title_en.strip(),
        title_ja=(title_ja or "").strip(),
        due_at=due_at,
    )


def submission_mark(*, by: User, submission: Submission, score) -> Submission:
    """Record the mark (0 to 100 %), tell the participant, and re-check the certificate."""
    access.require(by, "mark", submission, _runs_course())
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise DomainError(_("Give the score as a whole percentage."), field="score") from None
    if not 0 <= score <= 100:
        raise DomainError(_("The score is a percentage from 0 to 100."), field="score")
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        submission.score = score
        submission.marked_by = by
        submission.marked_at = timezone.now()
        submission.save(update_fields=["score", "marked_by", "marked_at"])
        notifications_record(
            recipients=[submission.enrolment.participant],
            kind="course_submission_marked",
            context={
                "intake_id": submission.test.intake_id,
                "intake": submission.test.intake.title_en,
                "test": submission.test.title_en,
                "score": score,
            },
            key=f"course-marked:{submission.pk}:{submission.marked_at.isoformat()}",
        )
        certificate_check(submission.enrolment)
    return submission


# --- participants: enrol, withdraw, hand in --------------------------------------------------


def enrol(*, by: User, intake: CourseIntake, now=None) -> Enrolment:
    """Enrol in an intake: within its window, within its capacity (counted with the
    intake row locked, so two last places cannot both be taken), if eligible."""
    access.require(
        by, "enrol", intake, _("Only participants enrol in the Japanese language course.")
    )
    problem = eligibility_problem(user=by, intake=intake)
    if problem:
        raise DomainError(problem)
    with transaction.atomic():
        intake = CourseIntake.objects.select_for_update().get(pk=intake.pk)
        problem = window_problem(intake, now)
        if problem:
            raise DomainError(problem)
        if Enrolment.objects.filter(
            intake=intake, participant=by, state=Enrolment.State.ENROLLED
        ).exists():
            raise DomainError(_("You are already enrolled in this intake."))
        if enrolled_count(intake) >= intake.capacity:
            raise DomainError(_("This intake is full."))
        return Enrolment.objects.create(intake=intake, participant=by)


@transaction.atomic
def withdraw(*, by: User, enrolment: Enrolment) -> Enrolment:
    access.require(by, "withdraw", enrolment, _("You can only withdraw your own enrolment."))
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.state != Enrolment.State.ENROLLED:
        raise DomainError(_("This enrolment is already withdrawn."))
    if enrolment.certificate_issued_at:
        raise DomainError(_("You have completed this course; the enrolment stays."))
    enrolment.state = Enrolment.State.WITHDRAWN
    enrolment.save(update_fields=["state"])
    return enrolment


def submit(*, by: User, test: CourseTest, uploaded, now=None) -> Submission:
    """Hand in a test (a PDF, JPEG or PNG, checked by its content). After the due time it
    is still kept, flagged late; a test is handed in once."""
    access.require_allowed(by, "add", Submission, _("Only participants hand in tests."))
    check_upload(uploaded, max_bytes=MAX_SUBMISSION_BYTES)
    now = now or timezone.now()
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(intake=test.intake_id, participant=by, state=Enrolment.State.ENROLLED)
            .first()
        )
        if enrolment is None:
            raise DomainError(_("You are not enrolled in this intake."))
        if Submission.objects.filter(test=test, enrolment=enrolment).exists():
            raise DomainError(_("You have already handed in this test."))
        submission = Submission(
            test=test,
            enrolment=enrolment,
            filename=(uploaded.name or "test.pdf")[-200:],
            submitted_at=now,
            on_time=is_on_time(test, now),
        )
        submission.file.save(uploaded.name or "test", uploaded, save=False)
        submission.save()
        certificate_check(enrolment)
    return submission
