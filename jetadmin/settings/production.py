"""Production: PostgreSQL, Redis, gunicorn behind a TLS-terminating proxy."""

from .base import *  # noqa: F403
from .base import database_config, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": database_config(env("DATABASE_URL"))}
# Shared by every web process (a Redis, e.g. redis://redis:6379/1, not the broker's
# database): the throttles and the sign-in limit per address count in it. No default: a
# cache of each process's own would let every process allow the whole limit again.
CACHES = {"default": env.cache("CACHE_URL")}
if "redis" in CACHES["default"]["BACKEND"]:
    # A cache that stops answering must not hold a request: the throttles then let it
    # through (apps/core/api/throttling.py).
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=1.0, socket_timeout=1.0
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)


SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
