"""Closing a check while an answer is being written: the close time is the moment after
which no answer is accepted, and no stored answer carries a later time.

Two real connections: a thread holds an answer row (an answer in flight) while CLAIR
closes the check. The close must wait for it before stamping its time.
"""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.core.models import Organisation, User
from apps.safety import services
from apps.safety.models import SafetyAnswer
from tests.factories import SafetyAnswerFactory, SafetyCheckFactory


@pytest.fixture
def open_check(committed_world):
    clair = User.objects.get(username="clair")
    check = SafetyCheckFactory(started_by=clair)
    answer = SafetyAnswerFactory(
        safety_check=check,
        organisation=Organisation.objects.get(name_en="Hyogo Prefectural Board of Education"),
    )
    return clair, check, answer


def test_an_answer_in_flight_lands_before_the_close_time(open_check):
    clair, check, answer = open_check
    locked = threading.Event()

    def answer_in_flight():
        try:
            with transaction.atomic():
                SafetyAnswer.objects.select_for_update().get(pk=answer.pk)
                locked.set()
                time.sleep(0.5)  # CLAIR closes meanwhile
                SafetyAnswer.objects.filter(pk=answer.pk).update(
                    status=SafetyAnswer.Status.SAFE, answered_at=timezone.now()
                )
        finally:
            connection.close()

    writer = threading.Thread(target=answer_in_flight)
    writer.start()
    assert locked.wait(5)
    services.safety_check_close(by=clair, check=check)
    writer.join(5)

    check.refresh_from_db()
    answer.refresh_from_db()
    assert answer.status == SafetyAnswer.Status.SAFE
    assert answer.answered_at <= check.closed_at
