"""Periodic work of the re-appointment round (Celery beat)."""

from celery import shared_task


@shared_task(ignore_result=True)
def reappointment_reminders_send() -> int:
    """Run by the periodic scheduler: a week and a day before each side's deadline."""
    from apps.reappointment import rules as reappointment

    return reappointment.reminders_send()
