"""CLAIR's actions on the Japanese language course (issue 7): intakes, monthly materials,
tests and marking. Marking re-checks the completion rule, which issues the certificate."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind, User
from apps.core.uploads import check_upload
from apps.learning.course import certificate_check
from apps.learning.models import CourseIntake, CourseMaterial, CourseTest, Submission
from apps.notifications.services import notifications_record

MAX_MATERIAL_BYTES = 20 * 1024 * 1024
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


def _require_clair(by: User) -> None:
    if by.kind != Kind.CLAIR:
        raise DomainError(_("Only CLAIR runs the Japanese language course."))


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


@transaction.atomic
def intake_create(*, by: User, **fields) -> CourseIntake:
    _require_clair(by)
    intake = CourseIntake(**{k: fields.get(k) for k in INTAKE_FIELDS})
    intake.title_ja = intake.title_ja or ""
    _check_intake(intake)
    intake.save()
    return intake


@transaction.atomic
def intake_update(*, by: User, intake: CourseIntake, **fields) -> CourseIntake:
    _require_clair(by)
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
    _require_clair(by)
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
    _require_clair(by)
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
    _require_clair(by)
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
                "intake": submission.test.intake.title_en,
                "test": submission.test.title_en,
                "score": score,
            },
            key=f"course-marked:{submission.pk}:{submission.marked_at.isoformat()}",
        )
        certificate_check(submission.enrolment)
    return submission
