"""DRF's throttles, as the settings name them (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES).

Three differences from DRF's own classes. They read the rates when asked, where DRF reads
them once at import, so a changed setting (a test's override) takes effect. They count
one integer per caller in the shared cache, in a window that opens at the caller's first
call and lasts the rate's period, where DRF keeps the time of every call in the window
and reads and writes the whole list each time: at 1,200 a minute, 1,200 timestamps
pickled both ways on every call, the largest cost of a busy client's request
(bench/load.py). A caller may reach twice the rate across two windows' meeting, enough
for what they guard against: floods and runaway scripts. And a cache that
cannot be reached lets the call through: the throttles guard against floods, and an
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
        if isinstance(self, throttling.ScopedRateThrottle):
            # As DRF's own does before counting: the view names the rate.
            self.scope = getattr(view, self.scope_attr, None)
            if not self.scope:
                return True
            self.rate = self.get_rate()
            self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        count_in_window = getattr(self.cache, "count_in_window", None)
        if count_in_window is not None:  # Redis (apps/core/cache.py): one round trip
            try:
                count, opened = count_in_window(self.key, self.duration)
                if opened:
                    self.cache.set(f"{self.key}:since", self.now, timeout=self.duration)
            except Exception:
                logger.warning("Throttle %s skipped: the cache is unreachable", type(self).__name__)
                return True
            return count <= self.num_requests
        try:
            try:
                count = self.cache.incr(self.key)
            except ValueError:  # the first call of a window: it starts now
                if self.cache.add(self.key, 1, timeout=self.duration):
                    self.cache.set(f"{self.key}:since", self.now, timeout=self.duration)
                    return True
                count = self.cache.incr(self.key)
            if count == 1:
                # The window's key expired between the check and the increment and was
                # made again without an expiry: give it one, or it would never end.
                self.cache.touch(self.key, self.duration)
        except Exception:
            logger.warning("Throttle %s skipped: the cache is unreachable", type(self).__name__)
            return True
        return count <= self.num_requests

    def wait(self):
        try:
            since = self.cache.get(f"{self.key}:since", self.now)
        except Exception:
            since = self.now
        return max(since + self.duration - self.timer(), 0)


class AnonRateThrottle(SettingsRatesMixin, throttling.AnonRateThrottle):
    """Anonymous calls, per address."""


class UserRateThrottle(SettingsRatesMixin, throttling.UserRateThrottle):
    """Signed-in calls, per person."""


class ScopedRateThrottle(SettingsRatesMixin, throttling.ScopedRateThrottle):
    """A view's own scope (`throttle_scope`): per person once signed in, else per address.
    Also used outside DRF, on the sign-up page (apps/core/views.py)."""
