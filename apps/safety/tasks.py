"""Periodic work of safety checks (Celery beat)."""

from celery import shared_task


@shared_task(ignore_result=True)
def safety_reminders_send() -> int:
    """Run by the periodic scheduler: everyone who has not answered an open safety check,
    once per reminder interval since it started."""
    from apps.safety import rules as safety

    return safety.reminders_send()
