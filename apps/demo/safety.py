"""Demo data of safety confirmation (issue 8), made through the services as CLAIR, the
participants and their organisations would, without notifying anyone (the demo
`participant`'s inbox stays as the tests expect):

- a closed typhoon check for Fukuoka and Okinawa four months ago, everyone answered;
- an open earthquake check for Hyogo started this morning: jet.thomas.whitfield (Kobe
  City) needs help and is assigned to clair.manager; `participant` (Sarah O'Connor, US,
  Hyogo) has not answered, so she can answer from her link in the browser journey.

Idempotent: each check is made once (by its English title).
"""

import datetime as dt

from django.utils import timezone

from apps.core.models import User
from apps.safety import rules, services
from apps.safety.models import SafetyAnswer, SafetyCheck

TYPHOON = "Typhoon No. 10 (Kyushu and Okinawa)"
EARTHQUAKE = "Earthquake in southern Hyogo"


def _past_typhoon(clair: User, staff: User) -> None:
    check = services.safety_check_start(
        by=clair,
        kind=SafetyCheck.Kind.TYPHOON,
        title_en=TYPHOON,
        title_ja="台風10号 九州・沖縄",
        message_en="Typhoon No. 10 passed over Kyushu and Okinawa last night. "
        "Please tell us that you are safe.",
        message_ja="昨夜、台風10号が九州・沖縄を通過しました。安否をお知らせください。",
        prefectures=["40", "47"],
        notify=False,
    )
    for answer in check.answers.select_related("participant"):
        rules.answer_write(
            answer=answer,
            by=answer.participant,
            status=SafetyAnswer.Status.SAFE,
            note="",
            location="",
            notify=False,
        )
    services.safety_check_close(by=staff, check=check)
    # Written today, as it would have stood four months ago.
    started = timezone.now() - dt.timedelta(days=120)
    SafetyCheck.objects.filter(pk=check.pk).update(
        started_at=started, closed_at=started + dt.timedelta(days=2)
    )
    check.answers.update(answered_at=started + dt.timedelta(hours=2))
    SafetyAnswer.history.filter(safety_check_id=check.pk).update(
        history_date=started + dt.timedelta(hours=2)
    )


def _open_earthquake(clair: User, staff: User) -> None:
    check = services.safety_check_start(
        by=clair,
        kind=SafetyCheck.Kind.EARTHQUAKE,
        title_en=EARTHQUAKE,
        title_ja="兵庫県南部の地震",
        message_en="A strong earthquake (shindo 6-) struck southern Hyogo at 6:12 this "
        "morning. Please tell us whether you are safe and where you are now.",
        message_ja="今朝6時12分、兵庫県南部で震度6弱の地震が発生しました。"
        "安否と現在地をお知らせください。",
        prefectures=["28"],
        notify=False,
    )
    SafetyCheck.objects.filter(pk=check.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=1)
    )
    for answer in check.answers.select_related("participant").exclude(
        participant__username="participant"
    ):
        rules.answer_write(
            answer=answer,
            by=answer.participant,
            status=SafetyAnswer.Status.NEED_HELP,
            note="My apartment is damaged and I cannot stay there tonight.",
            location="Kobe, Nada ward evacuation centre",
            notify=False,
        )
        services.safety_answer_assign(by=clair, answer=answer, assignee=staff, notify=False)


def seed(stdout) -> None:
    clair = User.objects.filter(username="clair").first()
    staff = User.objects.filter(username="clair.manager").first() or clair
    if clair is None:
        return
    made = []
    if not SafetyCheck.objects.filter(title_en=TYPHOON).exists():
        _past_typhoon(clair, staff)
        made.append("a closed typhoon check (Kyushu and Okinawa)")
    if not SafetyCheck.objects.filter(title_en=EARTHQUAKE).exists():
        _open_earthquake(clair, staff)
        made.append("an open earthquake check for Hyogo (`participant` has not answered)")
    if made:
        stdout.write("Safety: " + "; ".join(made) + ".")
