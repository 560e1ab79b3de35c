"""Notification kinds of issue 7 (course), merged into `apps.notifications.kinds.KINDS`."""

from django.utils.translation import gettext_lazy as _

KINDS: dict = {
    "course_submission_marked": _("Your Japanese course test is marked"),
    "course_certificate_issued": _("Your Japanese course completion certificate"),
}
