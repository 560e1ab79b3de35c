"""A participant's actions on the Japanese language course (issue 7): enrol, withdraw,
hand in a test."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.models import Kind, User
from apps.core.uploads import check_upload
from apps.learning.course import (
    certificate_check,
    eligibility_problem,
    enrolled_count,
    is_on_time,
    window_problem,
)
from apps.learning.models import CourseIntake, CourseTest, Enrolment, Submission

MAX_SUBMISSION_BYTES = 10 * 1024 * 1024


def enrol(*, by: User, intake: CourseIntake, now=None) -> Enrolment:
    """Enrol in an intake: within its window, within its capacity (counted with the
    intake row locked, so two last places cannot both be taken), if eligible."""
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
    if enrolment.participant_id != by.pk:
        raise DomainError(_("You can only withdraw your own enrolment."))
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
    if by.kind != Kind.PARTICIPANT:
        raise DomainError(_("Only participants hand in tests."))
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
