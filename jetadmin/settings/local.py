"""Development: `make run`. PostgreSQL and in-process tasks unless the environment says otherwise.

Without DATABASE_URL, the database is the embedded PostgreSQL that `make run` (or
`make db`) starts; see jetadmin/devdb.py.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, database_config, env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

if not DATABASES:
    from jetadmin import devdb

    _embedded_url = devdb.running_url()
    if _embedded_url is None:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set and the embedded PostgreSQL is not running: "
            "run `make run` or `make db` (or set DATABASE_URL)."
        )
    DATABASES = {"default": database_config(_embedded_url)}
