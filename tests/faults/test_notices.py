"""Notices that survive faults (issue 15): an event change told to every registrant by a
real worker while the worker, its children, the broker or the database connections are
killed mid fan-out, then counted: rows against the emails the file backend wrote.

What must hold: no notice lost; a second copy only of a notice whose worker died inside
the mail exchange (claimed, written, killed before it recorded so: its row shows a second
claim), and then the same message with the same Message-ID; requests never wait on the
broker. Each test prints its figures (`pytest -s` shows them).
"""

import statistics

import pytest

from tests.faults.conftest import NOTICES

pytestmark = pytest.mark.faults


def _nothing_lost(figures) -> None:
    print("\n" + figures.report())
    assert figures.notices == NOTICES * max(len(figures.request_s), 1)
    assert figures.lost == 0
    assert figures.sent == figures.notices
    assert figures.message_ids == figures.notices  # one message per notice, none missing
    # Every second copy is of a notice claimed again after a dead claim, identical to the
    # first (same Message-ID, same words): one message sent twice, never two messages.
    assert figures.unexplained == 0


def test_worker_killed_mid_fan_out_loses_nothing(rig):
    figures = rig.worker_killed()
    assert figures.faults == 1, "the fan-out ended before the worker was killed"
    _nothing_lost(figures)


def test_children_killed_again_and_again_lose_nothing(rig):
    figures = rig.children_killed(times=4)
    assert figures.faults >= 2, "the fan-out ended before the children were killed twice"
    _nothing_lost(figures)


def test_broker_killed_mid_fan_out_loses_nothing_and_doubles_nothing(rig):
    figures = rig.broker_killed()
    assert figures.faults == 1
    _nothing_lost(figures)
    assert figures.doubled == 0


def test_request_with_the_broker_down_answers_at_once_and_every_notice_waits(rig):
    figures = rig.broker_down(requests=1)
    assert figures.answers == [200]
    assert max(figures.request_s) < 2.0, f"the PATCH took {statistics.median(figures.request_s)}"
    assert figures.pending == [NOTICES]  # recorded, none sent, none lost in a failed publish
    # Once the broker is back, a worker and the sweep deliver each exactly once.
    _nothing_lost(figures)
    assert figures.doubled == 0


def test_database_connections_terminated_mid_fan_out_lose_nothing(rig):
    figures = rig.database_dropped(times=3)
    assert figures.faults >= 2
    _nothing_lost(figures)
    assert figures.doubled == 0
    # No process died, so no notice had to wait for its claim to time out: a connection
    # dropped while claiming undoes the claim and the retry takes it.
    assert figures.reclaimed == 0


def test_web_answers_after_its_database_connections_are_terminated(rig):
    rig.web_start()
    assert rig.request("GET", rig.event_path).status == 200
    for _round in range(3):
        assert rig.terminate_connections() >= 1  # gunicorn keeps its connections
        # Enough requests to reach every gunicorn process and thread.
        statuses = [rig.request("GET", rig.event_path).status for _ in range(4)]
        assert statuses == [200, 200, 200, 200]

    rig.terminate_connections()
    health = rig.request("GET", "/healthz")
    assert health.status == 200
    assert health.json() == {"status": "ok", "database": "ok", "broker": "ok"}

    missing = rig.request("GET", "/api/v1/nonexistent/")
    assert missing.status == 404
    assert missing.content_type.startswith("application/json")
    assert missing.json() == {"detail": "Not found."}


def test_change_that_changes_nothing_notifies_nobody(rig):
    rig.web_start()
    event = rig.request("GET", rig.event_path).json()
    assert event["capacity"] is None
    before = rig.sequence()
    try:
        answer = rig.request(
            "PATCH",
            rig.event_path,
            {"title_en": event["title_en"], "venue_en": event["venue_en"], "capacity": None},
        )
        assert answer.status == 200
        assert rig.states([before + 1]) == {}
    finally:
        # Whatever it recorded is not for the sweeps of the other tests to send.
        rig.sql(
            "DELETE FROM notifications_notification WHERE key LIKE %s",
            [f"event_changed:{rig.event_id}:{before + 1}:%"],
        )
