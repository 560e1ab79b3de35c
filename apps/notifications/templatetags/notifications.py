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
