import zoneinfo

from django.utils import timezone, translation
from django.utils.cache import patch_cache_control


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
