"""The demo's safety checks: a closed typhoon check everyone answered, and an open
earthquake check for Hyogo where `participant` has not answered yet."""

import io

import pytest

from apps.demo import safety as demo_safety
from apps.notifications.models import Notification
from apps.safety.models import SafetyAnswer, SafetyCheck

pytestmark = pytest.mark.django_db


def test_the_closed_typhoon_check_is_all_answered():
    check = SafetyCheck.objects.get(title_en=demo_safety.TYPHOON)
    assert check.state == SafetyCheck.State.CLOSED
    assert check.answers.exists()
    assert not check.answers.filter(status="").exists()


def test_the_open_hyogo_check_waits_for_participant(participant, clair_manager):
    check = SafetyCheck.objects.get(title_en=demo_safety.EARTHQUAKE)
    assert check.is_open
    assert [p.pk for p in check.prefectures.all()] == ["28"]
    assert check.answers.get(participant=participant).status == ""
    helped = check.answers.get(participant__username="jet.thomas.whitfield")
    assert (helped.status, helped.assigned_to) == (SafetyAnswer.Status.NEED_HELP, clair_manager)


def test_seeding_again_adds_nothing_and_nobody_was_notified(participant):
    before = (SafetyCheck.objects.count(), SafetyAnswer.history.count())
    demo_safety.seed(io.StringIO())
    assert (SafetyCheck.objects.count(), SafetyAnswer.history.count()) == before
    assert not Notification.objects.filter(kind__startswith="safety_").exists()
