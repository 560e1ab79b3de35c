"""Demo data of the Japanese language course (issue 7), called at the end of
apps/demo/placements.py.

- "Beginner Japanese" (current): `participant` and other participants enrolled, three
  monthly materials (two released, next month's not yet), six tests, marked submissions;
  `participant` has three on time and a late fourth (no certificate yet); another
  participant completed (four on time at 70 % or more) and holds a certificate.
- "Intermediate Japanese" (enrolment open): `participant` is not enrolled, so they can
  enrol and read this month's material.
- "Translation and interpreting" (enrolment open): for CIRs with N2 or above only.

Rows are written directly (no notifications reach the demo `participant`). Idempotent:
nothing is added when the beginner intake exists.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.core.models import PersonRole, User
from apps.demo.documents import pdf_bytes
from apps.learning.models import CourseIntake, CourseMaterial, CourseTest, Enrolment, Submission

BEGINNER = "Beginner Japanese — current intake"
INTERMEDIATE = "Intermediate Japanese — autumn intake"
TRANSLATION = "Translation and interpreting — autumn intake"


def _material(intake, title_en, title_ja, release_on):
    material = CourseMaterial(
        intake=intake,
        title_en=title_en,
        title_ja=title_ja,
        release_on=release_on,
        filename=f"{title_en.lower().replace(' ', '-').replace(':', '')}.pdf",
    )
    material.file.save("material.pdf", ContentFile(pdf_bytes(title_en)), save=False)
    material.save()
    return material


def _submission(test, enrolment, *, late: bool, score, marked_by):
    submitted_at = test.due_at + (dt.timedelta(days=2) if late else -dt.timedelta(days=1))
    submission = Submission(
        test=test,
        enrolment=enrolment,
        filename=f"test-{test.number}.pdf",
        submitted_at=submitted_at,
        on_time=not late,
        score=score,
        marked_by=marked_by if score is not None else None,
        marked_at=submitted_at + dt.timedelta(days=3) if score is not None else None,
    )
    submission.file.save("answers.pdf", ContentFile(pdf_bytes(f"Test {test.number}")), save=False)
    submission.save()
    return submission


def seed(stdout) -> None:
    if CourseIntake.objects.filter(title_en=BEGINNER).exists():
        return
    now = timezone.now()
    today = timezone.localdate()
    clair = User.objects.filter(username="clair").first()
    participant = User.objects.filter(username="participant").first()
    others = list(
        User.objects.filter(person_role=PersonRole.PARTICIPANT)
        .exclude(username="participant")
        .order_by("pk")[:5]
    )

    beginner = CourseIntake.objects.create(
        level=CourseIntake.Level.BEGINNER,
        title_en=BEGINNER,
        title_ja="初級日本語・現在の期",
        enrol_opens=now - dt.timedelta(days=60),
        enrol_closes=now + dt.timedelta(days=20),
        capacity=30,
        starts_on=today - dt.timedelta(days=45),
        ends_on=today + dt.timedelta(days=200),
    )
    _material(
        beginner,
        "Month 1: Greetings and self-introduction",
        "第1月　あいさつと自己紹介",
        today - dt.timedelta(days=40),
    )
    _material(
        beginner,
        "Month 2: At school and in the staff room",
        "第2月　学校と職員室で",
        today - dt.timedelta(days=10),
    )
    _material(
        beginner,
        "Month 3: Shopping and numbers",
        "第3月　買い物と数字",
        today + dt.timedelta(days=20),
    )
    tests = [
        CourseTest.objects.create(
            intake=beginner,
            number=n,
            title_en=f"Test {n}",
            title_ja=f"第{n}回テスト",
            due_at=now + dt.timedelta(days=days),
        )
        for n, days in enumerate((-35, -28, -21, -14, 10, 40), start=1)
    ]
    enrolled = 0
    completed = 0
    if participant is not None:
        mine = Enrolment.objects.create(intake=beginner, participant=participant)
        enrolled += 1
        # three on time, a late fourth: not yet complete
        for test, late, score in zip(
            tests[:4], (False, False, False, True), (85, 72, 90, 80), strict=True
        ):
            _submission(test, mine, late=late, score=score, marked_by=clair)
    for index, person in enumerate(others):
        enrolment = Enrolment.objects.create(intake=beginner, participant=person)
        enrolled += 1
        if index == 0:
            # completed: four on time at 70 % or more, certificate issued
            for test, score in zip(tests[:4], (78, 70, 88, 93), strict=True):
                _submission(test, enrolment, late=False, score=score, marked_by=clair)
            enrolment.certificate_issued_at = now - dt.timedelta(days=7)
            enrolment.certificate_number = f"JLC-{beginner.pk:04d}-{enrolment.pk:06d}"
            enrolment.save(update_fields=["certificate_issued_at", "certificate_number"])
            completed += 1
        elif index == 1:
            # four on time but one at 69 %: no certificate
            for test, score in zip(tests[:4], (75, 69, 80, 82), strict=True):
                _submission(test, enrolment, late=False, score=score, marked_by=clair)
        else:
            # handed in, not yet marked
            for test in tests[: index - 1]:
                _submission(test, enrolment, late=False, score=None, marked_by=None)

    intermediate = CourseIntake.objects.create(
        level=CourseIntake.Level.INTERMEDIATE,
        title_en=INTERMEDIATE,
        title_ja="中級日本語・秋期",
        enrol_opens=now - dt.timedelta(days=10),
        enrol_closes=now + dt.timedelta(days=30),
        capacity=25,
        starts_on=today - dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=240),
    )
    _material(
        intermediate, "This month: Keigo at work", "今月　職場の敬語", today - dt.timedelta(days=3)
    )
    _material(
        intermediate,
        "Next month: Writing emails",
        "来月　メールの書き方",
        today + dt.timedelta(days=27),
    )
    for n, days in ((1, 25), (2, 55), (3, 85), (4, 115), (5, 145)):
        CourseTest.objects.create(
            intake=intermediate,
            number=n,
            title_en=f"Test {n}",
            title_ja=f"第{n}回テスト",
            due_at=now + dt.timedelta(days=days),
        )

    translation = CourseIntake.objects.create(
        level=CourseIntake.Level.TRANSLATION,
        title_en=TRANSLATION,
        title_ja="翻訳・通訳コース・秋期",
        enrol_opens=now - dt.timedelta(days=10),
        enrol_closes=now + dt.timedelta(days=30),
        capacity=15,
        starts_on=today + dt.timedelta(days=35),
        ends_on=today + dt.timedelta(days=270),
    )
    _material(
        translation,
        "Introduction to administrative translation",
        "行政翻訳入門",
        today + dt.timedelta(days=35),
    )

    stdout.write(
        f"Japanese course: 3 intakes, {enrolled} enrolments in the current one "
        f"({completed} completed with a certificate)."
    )
