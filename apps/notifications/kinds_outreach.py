"""Notification kinds of issue 7 (outreach), merged into `apps.notifications.kinds.KINDS`."""

from django.utils.translation import gettext_lazy as _  # noqa: F401

KINDS: dict = {}
