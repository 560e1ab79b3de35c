from celery import shared_task

from apps.notifications import services


@shared_task(ignore_result=True)
def notification_deliver(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True)
def notifications_deliver_batch(notification_ids: list[int]) -> int:
    return sum(services.notification_deliver(notification_id=pk) for pk in notification_ids)


@shared_task(ignore_result=True)
def notifications_sweep(older_than_seconds: int | None = None) -> int:
    """Send what was committed while the broker was down: pending rows older than a few
    minutes are delivered here, directly, so the sweep does not need the broker either."""
    from datetime import timedelta

    older = timedelta(seconds=older_than_seconds) if older_than_seconds is not None else None
    sent = 0
    for pk in services.notifications_pending_overdue(older_than=older):
        sent += services.notification_deliver(notification_id=pk)
    return sent
