from django import template
from django.template import Context
from django.template.loader import get_template

from apps.notifications.kinds import subject_for
from apps.notifications.links import notice_link
from apps.notifications.notice_texts import custom_wording

register = template.Library()


@register.filter
def notification_title(notification) -> str:
    custom = custom_wording(notification)
    if custom is not None:
        return custom.subject
    return str(subject_for(notification.kind))


@register.filter
def notification_body(notification) -> str:
    """The same text as the email, in the reader's current language, as plain text (the
    page escapes it once, and makes its links clickable)."""
    custom = custom_wording(notification)
    if custom is not None:
        return custom.body.strip()
    template = get_template(f"notifications/email/{notification.kind}.txt").template
    return template.render(
        Context({"n": notification, "c": notification.context}, autoescape=False)
    ).strip()


@register.simple_tag(takes_context=True)
def notification_link(context, notification):
    """The page the notice is about, for its reader (the signed-in recipient: no query
    for them), with the words of its link in the reader's language."""
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else None
    if user is None or getattr(user, "pk", None) != notification.recipient_id:
        user = None
    return notice_link(notification, user=user)


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
