"""Notification kinds of issue 8 (safety confirmation), merged into
`apps.notifications.kinds.KINDS`."""

from django.utils.translation import gettext_lazy as _

KINDS: dict = {
    "safety_check_started": _("Safety check: please tell us that you are safe"),
    "safety_check_reminder": _("Reminder: please answer the safety check"),
    "safety_need_help": _("Safety check: a participant needs help"),
    "safety_help_assigned": _("Safety check: a participant who needs help is assigned to you"),
}
