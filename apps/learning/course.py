"""The Japanese language course's rules (issue 7): who may enrol in an intake, when a
submission is on time, the completion rule and its certificate, and CLAIR's export.

Both marking and submitting (apps/learning/services_course.py) call `certificate_check`,
so the certificate follows the rule whichever change comes last.
"""

import zoneinfo

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from apps.core import access, exports
from apps.core import jobs as core_jobs
from apps.core.errors import DomainError
from apps.core.jobs import job_attach, job_progress
from apps.core.models import Job, User
from apps.learning.models import CourseIntake, Enrolment
from apps.placement.models import Placement
from apps.recruitment.choices import JapaneseLevel, Position

# The completion rule: at least this many tests handed in on time, each marked at least
# PASS_MARK per cent.
TESTS_REQUIRED = 4
PASS_MARK = 70
TRANSLATION_LEVELS = (JapaneseLevel.N2, JapaneseLevel.N1)


def active_placement(user: User) -> Placement | None:
    return (
        Placement.objects.filter(application__applicant=user, status__in=Placement.ACTIVE)
        .select_related("application", "position")
        .first()
    )


def eligibility_problem(*, user: User, intake: CourseIntake) -> str | None:
    """Why the person may not enrol in this intake (None when they may)."""
    if not access.allowed(user, "enrol", CourseIntake):
        return _("Only participants enrol in the Japanese language course.")
    if intake.level == CourseIntake.Level.TRANSLATION:
        placement = active_placement(user)
        if placement is None or placement.position.type != Position.CIR:
            return _("The translation and interpreting course is for CIRs only.")
        if placement.application.japanese_level not in TRANSLATION_LEVELS:
            return _("The translation and interpreting course needs Japanese at JLPT N2 or above.")
    return None


def window_problem(intake: CourseIntake, now=None) -> str | None:
    now = now or timezone.now()
    if now < intake.enrol_opens:
        return _("Enrolment for this intake has not opened yet.")
    if now >= intake.enrol_closes:
        return _("Enrolment for this intake has closed.")
    return None


def enrolled_count(intake: CourseIntake) -> int:
    return intake.enrolments.filter(state=Enrolment.State.ENROLLED).count()


def is_on_time(test, submitted_at) -> bool:
    return submitted_at <= test.due_at


def qualifying_submissions(enrolment: Enrolment):
    return enrolment.submissions.filter(on_time=True, score__gte=PASS_MARK)


def completes(enrolment: Enrolment) -> bool:
    """At least four tests handed in on time, each with 70 % or more."""
    return (
        enrolment.state == Enrolment.State.ENROLLED
        and qualifying_submissions(enrolment).count() >= TESTS_REQUIRED
    )


def certificate_check(enrolment: Enrolment) -> bool:
    """Issue the certificate if the rule is now met (once); True when newly issued."""
    from apps.notifications.services import notifications_record

    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.certificate_issued_at or not completes(enrolment):
            return False
        now = timezone.now()
        enrolment.certificate_issued_at = now
        enrolment.certificate_number = f"JLC-{enrolment.intake_id:04d}-{enrolment.pk:06d}"
        enrolment.save(update_fields=["certificate_issued_at", "certificate_number"])
        notifications_record(
            recipients=[enrolment.participant],
            kind="course_certificate_issued",
            context={
                "intake_id": enrolment.intake_id,
                "intake": enrolment.intake.title_en,
                "number": enrolment.certificate_number,
            },
            key=f"course-certificate:{enrolment.pk}",
        )
    return True


# --- the certificate -------------------------------------------------------------------------


def certificate_pdf(enrolment: Enrolment) -> bytes:
    from weasyprint import HTML

    from apps.placement.documents import FONT_FAMILY

    if not enrolment.certificate_issued_at:
        raise DomainError(_("No certificate has been issued for this enrolment."))
    participant = enrolment.participant
    placement = active_placement(participant)
    application = placement.application if placement else None
    name = (
        f"{application.given_names} {application.family_name}".strip()
        if application
        else participant.get_full_name() or participant.username
    )
    passed = qualifying_submissions(enrolment).select_related("test").order_by("test__number")
    html = render_to_string(
        "course/certificate_pdf.html",
        {
            "enrolment": enrolment,
            "intake": enrolment.intake,
            "name": name,
            "name_japanese": application.name_japanese if application else "",
            "passed": passed,
            "font_family": FONT_FAMILY,
            "issued_on": timezone.localtime(enrolment.certificate_issued_at).date(),
        },
    )
    return HTML(string=html).write_pdf()


def certificate_filename(enrolment: Enrolment) -> str:
    return f"certificate-{enrolment.certificate_number or enrolment.pk}.pdf"


# --- export ----------------------------------------------------------------------------------


def export_start(*, by: User, intake: CourseIntake, file_format: str) -> Job:
    access.require(by, "results", intake, _("Only CLAIR exports the course's enrolments."))
    return core_jobs.export_start(
        by=by,
        file_format=file_format,
        handler="apps.learning.course.enrolments_export",
        title=_("Enrolments in %(intake)s (%(format)s)")
        % {"intake": intake.title_en, "format": file_format.upper()},
        params={"intake": intake.pk},
    )


def export_rows(*, user: User, intake: CourseIntake) -> list[list]:
    from apps.learning import selectors_course

    tests = list(intake.tests.all())
    rows = [
        [
            _("Participant"),
            _("Email"),
            _("State"),
            pgettext("date", "Enrolled"),
            *[_("Test %(number)s") % {"number": t.number} for t in tests],
            _("Tests passed on time"),
            _("Certificate"),
        ]
    ]
    enrolments = selectors_course.enrolment_list(user=user, intake=intake).select_related(
        "participant"
    )
    tz = zoneinfo.ZoneInfo("Asia/Tokyo")
    for enrolment in enrolments:
        by_test = {s.test_id: s for s in enrolment.submissions.all()}
        cells = []
        for t in tests:
            s = by_test.get(t.pk)
            if s is None:
                cells.append("")
            else:
                mark = "" if s.score is None else f"{s.score}%"
                cells.append(f"{mark}{'' if s.on_time else ' ' + _('(late)')}".strip())
        person = enrolment.participant
        rows.append(
            [
                person.get_full_name() or person.username,
                person.email,
                enrolment.get_state_display(),
                enrolment.created_at.astimezone(tz).strftime("%Y-%m-%d"),
                *cells,
                qualifying_submissions(enrolment).count(),
                enrolment.certificate_number,
            ]
        )
    return rows


def enrolments_export(job: Job) -> None:
    from apps.learning import selectors_course

    user = job.requested_by
    file_format = job.params.get("format")
    with translation.override(user.language):
        intake = selectors_course.intake_get(user=user, pk=job.params.get("intake"))
        rows = export_rows(user=user, intake=intake)
        total = len(rows) - 1
        job_progress(job, done=total, total=total)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        job_attach(
            job,
            filename=f"course-{intake.pk}-enrolments-{stamp}.{file_format}",
            content=exports.WRITERS[file_format](rows, _("Enrolments")),
        )
        job.result_message = ngettext(
            "%(count)s enrolment exported.", "%(count)s enrolments exported.", total
        ) % {"count": total}
