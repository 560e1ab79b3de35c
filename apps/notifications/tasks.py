from celery import shared_task

from apps.notifications import services


@shared_task(ignore_result=True)
def notification_deliver(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


@shared_task(ignore_result=True)
def notifications_deliver_batch(notification_ids: list[int]) -> int:
    return services.notifications_deliver(notification_ids=notification_ids)


@shared_task(ignore_result=True)
def notifications_sweep(older_than_seconds: int | None = None) -> int:
    """Send what is late, oldest first, until nothing is: rows committed while the broker
    was down (sent here directly, needing no broker for them) and rows whose worker died
    after claiming them. `older_than_seconds` overrides how old a pending row must be."""
    from datetime import timedelta

    from django.utils import timezone

    late = None
    if older_than_seconds is not None:
        late = services.late_since(timezone.now() - timedelta(seconds=older_than_seconds))
    return services.notifications_sweep(late=late)
