import zoneinfo

from django.contrib.auth import middleware as auth_middleware
from django.contrib.messages import middleware as messages_middleware
from django.contrib.sessions import middleware as sessions_middleware
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django_htmx import middleware as htmx_middleware


def token_call(request) -> bool:
    """An API call that brings its own credentials (an API token): DRF signs the caller
    in inside the view, and no session, cookie or flash message is read or written."""
    return request.path_info.startswith("/api/") and request.META.get(
        "HTTP_AUTHORIZATION", ""
    ).startswith("Token ")


class _NotForTokenCalls:
    """Passed over on a token call. Measured by bench/load.py: on the cheapest list
    these four took a fifth of the server's time; the pages keep all of them, and so
    does the API when called with the session of a signed-in browser."""

    async_capable = False

    def __call__(self, request):
        if token_call(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_NotForTokenCalls, sessions_middleware.SessionMiddleware):
    pass


class AuthenticationMiddleware(_NotForTokenCalls, auth_middleware.AuthenticationMiddleware):
    pass


class MessageMiddleware(_NotForTokenCalls, messages_middleware.MessageMiddleware):
    pass


class HtmxMiddleware(_NotForTokenCalls, htmx_middleware.HtmxMiddleware):
    pass


class UserLanguageMiddleware:
    """A signed-in person's saved language wins over the browser's, on every device; their
    time zone is the one times are shown in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        zone = getattr(user, "time_zone", "") if user is not None else ""
        if zone and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answer /healthz before the host check: probes from inside the container network
    use an address, not the public host name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            from apps.core.views import healthz

            return healthz(request)
        return self.get_response(request)


class ApiNoStoreMiddleware:
    """`Cache-Control: no-store` on every answer of the API (/api/v1/): they are a person's
    own data, or a token, and no browser or proxy cache may keep them. Middleware rather
    than the API's base view, so errors raised before a view (a CSRF or lockout refusal,
    a 404) and the token endpoint carry it too."""

    PREFIX = "/api/v1/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(self.PREFIX):
            # Merged, not replaced: a view that also said `private` keeps it.
            patch_cache_control(response, no_store=True)
        return response
