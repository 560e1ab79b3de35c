"""Signing in: the limits beyond django-axes's lock, and what a password change ends.

django-axes locks a username from one address after AXES_FAILURE_LIMIT failures, so a
person mistyping locks only themselves, and only there: from another address they still
sign in. What that lock cannot stop is one address trying a password on many usernames.
Failures per address are counted here too (django-ratelimit, in the shared cache) and an
address that reached SIGNIN_FAILURES_PER_ADDRESS within SIGNIN_ADDRESS_WINDOW_MINUTES is
refused before any password is checked, on the sign-in page, the admin's and the token
endpoint alike, since all go through `authenticate()`. Only failures count: an office
behind one NAT whose people sign in all morning is never stopped by its successes.

The address is the one django-axes sees (`axes.helpers.get_client_ip_address`, through
TRUSTED_PROXY_COUNT), so both limits count the same client.
"""

import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

FAILURES = "signin-failures-per-address"


def client_address(request) -> str | None:
    return get_client_ip_address(request)


def _failures(request, *, add: bool) -> int:
    """Failed sign-ins from the request's address in the current window (one more if
    `add`). 0 when the cache cannot be reached: the lock per username and address, kept
    in the database, still holds, and nobody is refused for the cache's outage."""
    address = client_address(request)
    if not address:
        return 0
    try:
        usage = get_usage(
            request,
            group=FAILURES,
            key=lambda _group, _request: address,
            rate=f"{settings.SIGNIN_FAILURES_PER_ADDRESS}/{settings.SIGNIN_ADDRESS_WINDOW_MINUTES}m",
            increment=add,
        )
    except Exception:
        logger.warning("Sign-in failures per address not counted: the cache is unreachable")
        return 0
    return usage["count"] if usage else 0


def address_refused(request) -> bool:
    """Whether this request's address used up its failed sign-ins for now."""
    return bool(getattr(request, "signin_address_refused", False))


class AddressLimitBackend:
    """Refuses every sign-in from an address that failed too often (PermissionDenied ends
    `authenticate()` before any other backend checks a password). The request is marked
    as django-axes marks a lock, so the sign-in page answers with the lockout page and the
    token endpoint with 429."""

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        if _failures(request, add=False) >= settings.SIGNIN_FAILURES_PER_ADDRESS:
            request.signin_address_refused = True
            request.axes_locked_out = True
            raise PermissionDenied
        return None

    # No get_user(): a session is never this backend's (Django's test client and
    # force_login pick the first backend that has one).


def signin_failed(sender, credentials, request=None, **kwargs):
    """Django's `user_login_failed`: one more failure for the address (not for the
    attempts this limit itself refused)."""
    if request is not None and not address_refused(request):
        _failures(request, add=True)


class ApiTokensEndWithPassword:
    """Listed with the password validators only to hear of every password change: Django
    calls `password_changed` after any saved `set_password` (the password page, the
    admin's form, `changepassword`), and a token made with the old password must not
    outlive it. It validates nothing."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            from apps.core.services import api_tokens_revoke_all

            api_tokens_revoke_all(user=user)

    def get_help_text(self):
        return _("Changing your password ends every API token you hold.")
