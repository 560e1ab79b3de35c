"""Notification kinds of issue 7 (correspondence), merged into `apps.notifications.kinds.KINDS`."""

from django.utils.translation import gettext_lazy as _

KINDS: dict = {
    "correspondence_message": _("New message in a correspondence thread"),
}
