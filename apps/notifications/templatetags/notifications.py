from django import template
from django.template.loader import render_to_string

from apps.notifications.kinds import subject_for

register = template.Library()


@register.filter
def notification_title(notification) -> str:
    return str(subject_for(notification.kind))


@register.filter
def notification_body(notification) -> str:
    """The same text as the email, in the reader's current language."""
    return render_to_string(
        f"notifications/email/{notification.kind}.txt",
        {"n": notification, "c": notification.context},
    ).strip()


@register.filter
def isodate(value):
    """A date or datetime kept as ISO text in a notification's context, as a date again."""
    from datetime import date, datetime

    from django.utils import timezone

    if not value:
        return ""
    try:
        if "T" in value:
            return timezone.localtime(datetime.fromisoformat(value))
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@register.filter
def by_language(context, name):
    """context|by_language:"mission" picks mission_ja or mission_en for the reader."""
    from django.utils.translation import get_language

    if (get_language() or "en").startswith("ja") and context.get(f"{name}_ja"):
        return context[f"{name}_ja"]
    return context.get(f"{name}_en", "")
