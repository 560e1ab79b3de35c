"""Delivery by a real Celery worker over the real Redis broker.

These tests commit, so they use `committed_world`. The worker runs in a thread of this
process, so Django's in-memory mail outbox is shared with it.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction

from apps.core.models import User
from apps.notifications.models import Notification
from apps.notifications.services import notification_record
from apps.notifications.tasks import notification_deliver, notifications_sweep
from jetadmin.celery import app

pytestmark = pytest.mark.worker

DEAD_BROKER = "redis://127.0.0.1:6399/15"  # nothing listens there


def _use_broker(url: str) -> None:
    """Point the app's publishers at `url`, dropping pooled connections to the old one."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def real_broker(committed_world):
    """Tasks go through Redis instead of running in-process, for this test only."""
    _use_broker(settings.CELERY_BROKER_URL)
    app.conf.task_always_eager = False
    app.control.purge()
    yield
    app.conf.task_always_eager = True
    _use_broker(settings.CELERY_BROKER_URL)


@pytest.fixture
def worker(real_broker):
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        yield


def _wait_until(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the worker")


def _sent(pk) -> bool:
    return Notification.objects.get(pk=pk).state == Notification.State.SENT


def _drain(recipient) -> None:
    """Queue a marker after everything else and wait for it: the solo worker takes tasks
    in order, so everything queued before has been handled once the marker is sent."""
    with transaction.atomic():
        marker = notification_record(
            recipient=recipient, kind="password_changed", context={}, key=f"marker:{time.time()}"
        )
    _wait_until(lambda: _sent(marker.pk))


def _mails_to(mailoutbox, user, subject_part):
    return [m for m in mailoutbox if m.to == [user.email] and subject_part in m.subject]


def test_committed_notification_is_delivered_exactly_once(worker, mailoutbox):
    user = User.objects.get(username="co.hyogo")
    mailoutbox.clear()
    with transaction.atomic():
        notification = notification_record(
            recipient=user,
            kind="membership_added",
            context={"organisation_en": "Kobe City Board of Education", "organisation_ja": ""},
            key="test:delivered-once",
        )
        # Not before commit: the worker must not see a row that may yet roll back.
        assert not _sent(notification.pk)
    _wait_until(lambda: _sent(notification.pk))

    # A duplicate task and a sweep must not send it again.
    notification_deliver.delay(notification.pk)
    notifications_sweep.delay(0)
    _drain(user)

    mails = _mails_to(mailoutbox, user, "added to an organisation")
    assert len(mails) == 1
    assert "Kobe City Board of Education" in mails[0].body
    row = Notification.objects.get(pk=notification.pk)
    assert row.attempts == 1
    assert row.sent_at is not None


def test_notification_in_rolled_back_transaction_is_never_sent(worker, mailoutbox):
    user = User.objects.get(username="co.sapporo")
    mailoutbox.clear()

    def failing_action():
        with transaction.atomic():
            notification_record(
                recipient=user,
                kind="membership_added",
                context={"organisation_en": "Rolled Back Office", "organisation_ja": ""},
                key="test:rolled-back",
            )
            raise RuntimeError("the action failed")

    with pytest.raises(RuntimeError):
        failing_action()

    notifications_sweep.delay(0)
    _drain(user)

    assert not Notification.objects.filter(key__startswith="test:rolled-back").exists()
    assert not [m for m in mailoutbox if "Rolled Back Office" in m.body]


def test_pending_rows_are_sent_by_the_sweep_after_the_broker_returns(
    real_broker, mailoutbox, caplog
):
    user = User.objects.get(username="participant")
    mailoutbox.clear()

    _use_broker(DEAD_BROKER)
    with transaction.atomic():
        notification = notification_record(
            recipient=user, kind="password_changed", context={}, key="test:outage"
        )
    # The commit succeeded although the broker was down; nothing was sent.
    assert Notification.objects.get(pk=notification.pk).state == Notification.State.PENDING
    assert "left for the sweep" in caplog.text
    assert not _mails_to(mailoutbox, user, "password")

    _use_broker(settings.CELERY_BROKER_URL)
    # Nothing reached the broker, so only the sweep can send it.
    assert app.control.purge() == 0
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        # A fresh row is left alone: its own task may still be on the way.
        assert notifications_sweep.apply().get() == 0
        notifications_sweep.delay(0)
        _wait_until(lambda: _sent(notification.pk))
        notifications_sweep.delay(0)  # a second sweep finds nothing left to send
        _drain(user)

    assert len(_mails_to(mailoutbox, user, "password")) == 2  # the row, then the marker
    assert Notification.objects.get(pk=notification.pk).attempts == 1
