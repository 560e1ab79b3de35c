"""Notification kinds of issue 7 (library), merged into `apps.notifications.kinds.KINDS`."""

from django.utils.translation import gettext_lazy as _

KINDS: dict = {
    "library_published": _("New guidance in the jetadmin library"),
}
