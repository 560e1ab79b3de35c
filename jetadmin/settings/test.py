"""Tests: the machine's real PostgreSQL and Redis."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/jetadmin")
}
DATABASES["default"]["OPTIONS"] = {"options": "-c random_page_cost=1.1"}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Tests that need a real worker start one against this broker; every other test runs
# tasks in-process so it does not depend on a worker being up.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite signs in and calls the API far faster than a person: no test is throttled or
# stopped by the limit per address unless it sets a rate of its own (tests/core/
# test_signin_limits.py). The counters live in this process's memory, never in the Redis
# that other suites on this machine share.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/min"),
}
SIGNIN_FAILURES_PER_ADDRESS = 100000
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Two suites running at once on one machine each need their own test database.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_jetadmin")}
# Uploaded files of a test session (the demo world's PDFs among them) stay out of the tree.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "jetadmin-test-media"
# Each list query that takes a compiled shape is compiled the usual way too and must
# match it (apps/core/query_shapes.py): every test is a check of the shape's key.
QUERY_SHAPES_CHECK = True
