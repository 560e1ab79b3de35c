"""Reads of the Japanese language course (issue 7). Pages and API use these alone; each
starts from the access policy (apps/core/access.py):

- CLAIR sees every intake, enrolment, material, test and submission.
- A participant sees the intakes (the catalogue), their own enrolments and submissions,
  and the materials and tests of intakes they are enrolled in — materials only from
  their release date.
- Nobody else sees anything; an id they may not see answers 404.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.core import access
from apps.core.models import User
from apps.learning.course import PASS_MARK, TESTS_REQUIRED
from apps.learning.models import CourseIntake, CourseMaterial, CourseTest, Enrolment, Submission

ENROLLED = Enrolment.State.ENROLLED


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sees_results(user: User) -> bool:
    """Whether the user reads every participant's enrolments, marks and figures."""
    return access.allowed(user, "results", CourseIntake)


def intake_list(*, user: User) -> QuerySet[CourseIntake]:
    qs = access.restrict(CourseIntake.objects.all(), user, "view").annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__state=ENROLLED), distinct=True)
    )
    if sees_results(user):
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
    qs = access.restrict(Enrolment.objects.all(), user, "view")
    if intake is not None:
        qs = qs.filter(intake=intake)
    return qs.select_related("intake", "participant")


def enrolment_get(*, user: User, pk) -> Enrolment:
    return _get(enrolment_list(user=user), pk)


def enrolment_own(*, user: User, intake: CourseIntake) -> Enrolment | None:
    """The user's own standing enrolment in the intake, if any."""
    return enrolment_list(user=user, intake=intake).filter(participant=user, state=ENROLLED).first()


def material_list(*, user: User, intake: CourseIntake | None = None) -> QuerySet[CourseMaterial]:
    """Materials of the intakes the user may see; from their release date, except for
    those who run the course and prepare them."""
    qs = access.restrict(CourseMaterial.objects.all(), user, "view")
    if not access.allowed(user, "change", CourseIntake):
        qs = qs.filter(release_on__lte=timezone.localdate())
    if intake is not None:
        qs = qs.filter(intake=intake)
    return qs


def material_get(*, user: User, pk) -> CourseMaterial:
    return _get(material_list(user=user), pk)


def coursetest_list(*, user: User, intake: CourseIntake | None = None) -> QuerySet[CourseTest]:
    qs = access.restrict(CourseTest.objects.all(), user, "view")
    if intake is not None:
        qs = qs.filter(intake=intake)
    return qs


def coursetest_get(*, user: User, pk) -> CourseTest:
    return _get(coursetest_list(user=user), pk)


def submission_list(
    *, user: User, intake: CourseIntake | None = None, test: CourseTest | None = None
) -> QuerySet[Submission]:
    qs = access.restrict(Submission.objects.all(), user, "view")
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
    if not sees_results(user):
        return {}
    enrolments = access.restrict(Enrolment.objects.filter(intake=intake), user, "view")
    enrolled = enrolments.filter(state=ENROLLED).count()
    withdrawn = enrolments.filter(state=Enrolment.State.WITHDRAWN).count()
    completed = enrolments.filter(state=ENROLLED, certificate_issued_at__isnull=False).count()
    submissions = access.restrict(Submission.objects.filter(test__intake=intake), user, "view")
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
