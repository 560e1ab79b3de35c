"""Periodic work of events (Celery beat)."""

from celery import shared_task

from apps.events import services as events


@shared_task(ignore_result=True)
def event_reminders_send() -> int:
    """Run by the periodic scheduler: reminders a week and a day before each event."""
    return events.reminders_send()
