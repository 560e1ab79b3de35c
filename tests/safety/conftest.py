"""Helpers of the safety tests. In the demo world, Hyogo (28) has `participant` (Sarah
O'Connor, US, co.hyogo) and jet.thomas.whitfield (UK, Kobe City); Hokkaido (01) has
jet.hannah.price (US, co.sapporo) and jet.liam.parata (NZ, Niseko)."""

import pytest

from apps.core.models import Country, Organisation, User
from apps.safety import services
from apps.safety.models import SafetyAnswer, SafetyCheck

HYOGO, HOKKAIDO = "28", "01"


def start(by: User, codes=(HYOGO,), **fields) -> SafetyCheck:
    values = {
        "kind": SafetyCheck.Kind.EARTHQUAKE,
        "title_en": "Earthquake in Hyogo",
        "title_ja": "兵庫県の地震",
        "message_en": "A strong earthquake struck. Tell us that you are safe.",
        "message_ja": "強い地震が発生しました。安否をお知らせください。",
        **fields,
    }
    return services.safety_check_start(by=by, prefectures=list(codes), **values)


def answer_of(check: SafetyCheck, username: str) -> SafetyAnswer:
    return check.answers.get(participant__username=username)


def more_answers(check: SafetyCheck, organisation: Organisation, n: int, country="US") -> None:
    """`n` more people in the check at `organisation` (rows only: the board and the lists
    read rows, however they came)."""
    people = User.objects.bulk_create(
        [
            User(username=f"safety.extra.{check.pk}.{i}", first_name="Extra", last_name=f"P{i}")
            for i in range(n)
        ]
    )
    SafetyAnswer.objects.bulk_create(
        [
            SafetyAnswer(
                safety_check=check,
                participant=person,
                organisation=organisation,
                prefecture_id=organisation.prefecture_id,
                country=Country.objects.get(pk=country),
                token=f"extra-{check.pk}-{i}",
                status=SafetyAnswer.Status.NEED_HELP if i % 3 == 0 else "",
                answered_at=check.started_at if i % 3 == 0 else None,
            )
            for i, person in enumerate(people)
        ]
    )


@pytest.fixture
def check(clair):
    """An open earthquake check for Hyogo, started by CLAIR just now."""
    return start(clair)
