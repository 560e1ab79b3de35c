"""DRF's throttles, as the settings name them (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES).

Two differences from DRF's own classes. They read the rates when asked, where DRF reads
them once at import, so a changed setting (a test's override) takes effect. And a cache
that cannot be reached lets the call through: the throttles guard against floods, and an
outage of the cache must not become an outage of the API (the sign-in lock per username
and address is kept in the database and still holds).
"""

import logging

from rest_framework import throttling
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)


class SettingsRatesMixin:
    @property
    def THROTTLE_RATES(self):  # noqa: N802 - DRF's attribute name
        return api_settings.DEFAULT_THROTTLE_RATES

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("Throttle %s skipped: the cache is unreachable", type(self).__name__)
            return True


class AnonRateThrottle(SettingsRatesMixin, throttling.AnonRateThrottle):
    """Anonymous calls, per address."""


class UserRateThrottle(SettingsRatesMixin, throttling.UserRateThrottle):
    """Signed-in calls, per person."""


class ScopedRateThrottle(SettingsRatesMixin, throttling.ScopedRateThrottle):
    """A view's own scope (`throttle_scope`): per person once signed in, else per address.
    Also used outside DRF, on the sign-up page (apps/core/views.py)."""
