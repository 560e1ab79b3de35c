"""Reads of the Japanese language course (issue 7). Pages and API use these alone.

- CLAIR sees every intake, enrolment, material, test and submission.
- A participant sees the intakes (the catalogue), their own enrolments and submissions,
  and the materials and tests of intakes they are enrolled in — materials only from
  their release date.
- Nobody else sees anything; an id they may not see answers 404.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.core.models import Kind, User
from apps.learning.course import PASS_MARK, TESTS_REQUIRED
from apps.learning.models import CourseIntake, CourseMaterial, CourseTest, Enrolment, Submission

ENROLLED = Enrolment.State.ENROLLED


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _is_clair(user) -> bool:
    return user.is_authenticated and user.kind == Kind.CLAIR


def _is_participant(user) -> bool:
    return user.is_authenticated and user.kind == Kind.PARTICIPANT


def intake_list(*, user: User) -> QuerySet[CourseIntake]:
    if not (_is_clair(user) or _is_participant(user)):
        return CourseIntake.objects.none()
    qs = CourseIntake.objects.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__state=ENROLLED), distinct=True)
    )
    if _is_clair(user):
        # Completion per intake, for CLAIR's list; nobody else is shown others' results.
        qs = qs.annotate(
            completed=Count(
                "enrolments",
                filter=Q(
                    enrolments__state=ENROLLED, enrolments__certificate_issued_at__isnull=False
                ),
                distinct=True,
            )
        )
    return qs


def intake_get(*, user: User, pk) -> CourseIntake:
    return _get(intake_list(user=user), pk)


def enrolment_list(*, user: User, intake: CourseIntake | None = None) -> QuerySet[Enrolment]:
    if _is_clair(user):
        qs = Enrolment.objects.all()
    elif _is_participant(user):
        qs = Enrolment.objects.filter(participant=user)
    else:
        return Enrolment.objects.none()
    if intake is not None:
        qs = qs.filter(intake=intake)
    return qs.select_related("intake", "participant")


def enrolment_get(*, user: User, pk) -> Enrolment:
    return _get(enrolment_list(user=user), pk)


def enrolment_own(*, user: User, intake: CourseIntake) -> Enrolment | None:
    if not _is_participant(user):
        return None
    return Enrolment.objects.filter(participant=user, intake=intake, state=ENROLLED).first()


def material_list(*, user: User, intake: CourseIntake | None = None) -> QuerySet[CourseMaterial]:
    if _is_clair(user):
        qs = CourseMaterial.objects.all()
    elif _is_participant(user):
        qs = CourseMaterial.objects.filter(
            intake__enrolments__participant=user,
            intake__enrolments__state=ENROLLED,
            release_on__lte=timezone.localdate(),
        ).distinct()
    else:
        return CourseMaterial.objects.none()
    if intake is not None:
        qs = qs.filter(intake=intake)
    return qs


def material_get(*, user: User, pk) -> CourseMaterial:
    return _get(material_list(user=user), pk)


def coursetest_list(*, user: User, intake: CourseIntake | None = None) -> QuerySet[CourseTest]:
    if _is_clair(user):
        qs = CourseTest.objects.all()
    elif _is_participant(user):
        qs = CourseTest.objects.filter(
            intake__enrolments__participant=user, intake__enrolments__state=ENROLLED
        ).distinct()
    else:
        return CourseTest.objects.none()
    if intake is not None:
        qs = qs.filter(intake=intake)
    return qs


def coursetest_get(*, user: User, pk) -> CourseTest:
    return _get(coursetest_list(user=user), pk)


def submission_list(
    *, user: User, intake: CourseIntake | None = None, test: CourseTest | None = None
) -> QuerySet[Submission]:
    if _is_clair(user):
        qs = Submission.objects.all()
    elif _is_participant(user):
        qs = Submission.objects.filter(enrolment__participant=user)
    else:
        return Submission.objects.none()
    if intake is not None:
        qs = qs.filter(test__intake=intake)
    if test is not None:
        qs = qs.filter(test=test)
    return qs.select_related("test", "enrolment__participant")


def submission_get(*, user: User, pk) -> Submission:
    return _get(submission_list(user=user), pk)


def certificate_enrolment_get(*, user: User, pk) -> Enrolment:
    """An enrolment with an issued certificate: its participant's or CLAIR's; else 404."""
    return _get(enrolment_list(user=user).filter(certificate_issued_at__isnull=False), pk)


def intake_stats(*, user: User, intake: CourseIntake) -> dict:
    """Enrolments, submissions and the completion rate of one intake, for CLAIR."""
    if not _is_clair(user):
        return {}
    enrolments = Enrolment.objects.filter(intake=intake)
    enrolled = enrolments.filter(state=ENROLLED).count()
    withdrawn = enrolments.filter(state=Enrolment.State.WITHDRAWN).count()
    completed = enrolments.filter(state=ENROLLED, certificate_issued_at__isnull=False).count()
    submissions = Submission.objects.filter(test__intake=intake)
    return {
        "enrolled": enrolled,
        "withdrawn": withdrawn,
        "capacity": intake.capacity,
        "submissions": submissions.count(),
        "late": submissions.filter(on_time=False).count(),
        "unmarked": submissions.filter(score__isnull=True).count(),
        "completed": completed,
        "completion_rate": round(100 * completed / enrolled) if enrolled else 0,
        "tests_required": TESTS_REQUIRED,
        "pass_mark": PASS_MARK,
    }
