"""Queue Celery tasks after commit without making the request wait on the broker.

The rows a task works on are already committed (an outbox row, a queued job): they are
the promise. Publishing only makes the work start sooner, so it gets one short try on
one connection for all the tasks of a transaction, and if the broker does not answer the
rest is left to the periodic sweeps, which find the rows by themselves. No retry loop
runs inside a request.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def publish(jobs: list[tuple], *, what: str) -> bool:
    """Send `jobs` [(task, args), ...] to the broker now, over one connection, with no
    retry; False (and a warning) if the broker is out of reach."""
    if not jobs:
        return True
    task = jobs[0][0]
    if task.app.conf.task_always_eager:
        for each, args in jobs:
            each.apply(args=args)
        return True
    try:
        with task.app.connection_for_write() as connection:
            # One try: kombu's max_retries=1 is one retry more, after a 2 s sleep.
            connection.ensure_connection(max_retries=0)
            for each, args in jobs:
                each.apply_async(args=args, connection=connection, retry=False)
    except Exception:
        logger.warning("Broker unavailable; %s left for the sweep", what)
        return False
    return True


def publish_on_commit(jobs: list[tuple], *, what: str) -> None:
    """`publish` once the current transaction commits (never for one rolled back)."""
    transaction.on_commit(lambda: publish(jobs, what=what))
