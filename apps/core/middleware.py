import zoneinfo

from django.utils import timezone, translation


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
