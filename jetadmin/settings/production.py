"""Production: PostgreSQL, Redis, gunicorn behind a TLS-terminating proxy."""

from django.core.exceptions import ImproperlyConfigured

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
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, with one client per server rather than per call (apps/core/cache.py).
    CACHES["default"]["BACKEND"] = "apps.core.cache.RedisCache"
if "redis" in CACHES["default"]["BACKEND"].lower():
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


def media_storage(kind: str) -> dict:
    """The STORAGES entry for uploaded files. `local`: MEDIA_ROOT, the volume that the web
    and worker containers of one host share. `s3`: a bucket on any S3-compatible store,
    for when several hosts serve the site and a file uploaded through one must be read
    through another (docs/deployment.md)."""
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {kind!r}")
    bucket = env("AWS_STORAGE_BUCKET_NAME", default="")
    if not bucket:
        # Without this check S3Storage would start and only fail at the first upload.
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    options = {
        "bucket_name": bucket,
        # Set for MinIO, Ceph RGW and other S3-compatible stores; unset means AWS itself.
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        # Private documents: objects get no ACL of their own (as private as the bucket),
        # any URL made would need a signature, and an upload never replaces another of
        # the same name. The app streams every file through a view that checks access
        # first and never hands out a storage URL.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    access_key = env("AWS_ACCESS_KEY_ID", default="")
    if access_key:
        options["access_key"] = access_key
        options["secret_key"] = env("AWS_SECRET_ACCESS_KEY")
    # Else boto3's own chain finds the credentials: an instance or task role, ~/.aws.
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": media_storage(env("MEDIA_STORAGE", default="local")),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
