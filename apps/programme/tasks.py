from celery import shared_task

from apps.programme import events


@shared_task(ignore_result=True)
def event_reminders_send() -> int:
    """Run by the periodic scheduler: reminders a week and a day before each event."""
    return events.reminders_send()


@shared_task(ignore_result=True)
def reappointment_reminders_send() -> int:
    """Run by the periodic scheduler: a week and a day before each side's deadline."""
    from apps.programme import reappointment

    return reappointment.reminders_send()


@shared_task(ignore_result=True)
def safety_reminders_send() -> int:
    """Run by the periodic scheduler: everyone who has not answered an open safety check,
    once per reminder interval since it started."""
    from apps.programme import safety

    return safety.reminders_send()
