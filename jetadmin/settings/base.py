"""Settings shared by every environment. Values that differ come from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# ------------------------------------------------------------------------------
# General
# ------------------------------------------------------------------------------
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

ROOT_URLCONF = "jetadmin.urls"
WSGI_APPLICATION = "jetadmin.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Database: PostgreSQL, always. Unset here means "not configured": the development
# settings (local.py) then use `make run`'s embedded server; production requires it.
# ------------------------------------------------------------------------------


def database_config(url):
    """Django's settings for a PostgreSQL DATABASE_URL."""
    config = env.db_url_config(url)
    if config["ENGINE"] not in (
        "django.db.backends.postgresql",
        "django.contrib.gis.db.backends.postgis",
    ):
        raise ImproperlyConfigured(
            f"DATABASE_URL must name a PostgreSQL database (postgres://...), not {config['ENGINE']}"
        )
    config["ATOMIC_REQUESTS"] = False
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A kept connection is tested before each request reuses it, so one the server
    # dropped (a restart, a terminated backend) is replaced instead of failing a request.
    config["CONN_HEALTH_CHECKS"] = True
    # SSD storage: index lookups cost about as much as sequential reads. With the
    # default of 4 (spinning disks) PostgreSQL scans a whole table rather than fetch a
    # few thousand rows by key (bench/application_list.py).
    config.setdefault("OPTIONS", {})["options"] = "-c random_page_cost=" + env(
        "PG_RANDOM_PAGE_COST", default="1.1"
    )
    return config


# Reads of GET and HEAD requests as prepared statements, parsed and planned once per
# connection (apps/core/prepared.py). Off behind a pooler in transaction mode (PgBouncer's
# default), which hands one session's statements to other clients.
DATABASE_PREPARED_READS = env.bool("DATABASE_PREPARED_READS", default=True)

_database_url = env("DATABASE_URL", default="")
DATABASES = {"default": database_config(_database_url)} if _database_url else {}

# ------------------------------------------------------------------------------
# Apps
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    # The unaccent and trigram lookups of the searches (the extensions: apps.core 0008).
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    # API tokens: each sign-in its own token, kept as a hash, with an expiry.
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_htmx",
    "axes",
    "simple_history",
    "csp",
]
# Three layers (README "Where the code is"): core and notifications at the bottom, the
# shared domains in the middle, one app per actor on top. `apps.programme` holds no code,
# only the migrations that first made the domains' tables.
LOCAL_APPS = [
    "apps.core",
    "apps.notifications",
    "apps.programme",
    "apps.recruitment",
    "apps.placement",
    "apps.events",
    "apps.reappointment",
    "apps.support",
    "apps.learning",
    "apps.outreach",
    "apps.safety",
    "apps.finance",
    "apps.mic",
    "apps.mofa",
    "apps.clair",
    "apps.mext",
    "apps.contracting",
    "apps.participants",
    "apps.demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # These two first, so no password is checked from an address that failed too often
    # across usernames, nor for a username locked from this address.
    "apps.core.signin.AddressLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule for passwords: Django tells every validator after any password change
    # (the password page, the admin, changepassword), and this one ends the API tokens.
    {"NAME": "apps.core.signin.ApiTokensEndWithPassword"},
]

# ------------------------------------------------------------------------------
# Middleware
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "apps.core.middleware.HealthCheckMiddleware",
    # Before anything that reads: a GET's reads are planned once per connection.
    "apps.core.prepared.PreparedReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.core.middleware.ApiNoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "apps.core.middleware.AuthenticationMiddleware",
    "apps.core.middleware.UserLanguageMiddleware",
    # After the language is known: a refusal is worded in the person's language.
    "apps.core.input_checks.InputCheckMiddleware",
    "apps.core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.workspace",
            ],
        },
    },
]

# Widgets from Django's own Jinja2 copies of its form templates (the same markup, a
# page's selects in about three quarters of the time), the admin's from its templates.
FORM_RENDERER = "apps.core.renderers.FormRenderer"

# ------------------------------------------------------------------------------
# Static and media: every asset is served from here; government networks are offline.
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are private: there is deliberately no MEDIA_URL route.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ------------------------------------------------------------------------------
# Email
# ------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="jetadmin <noreply@jetadmin.local>")

# ------------------------------------------------------------------------------
# Security
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): every page loads its scripts, styles and images
# from this site only (government networks are offline; htmx and the Swagger UI are
# served locally), runs no inline script and no eval, and may not be framed. The Swagger
# UI (/api/docs/) adds inline styles and data: images on its own path (jetadmin/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Lock by username and address together: a whole embassy behind one NAT must not be
# locked out by one person's typos.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)


def trusted_proxy_settings(count: int) -> dict:
    """How django-axes (through django-ipware) and DRF's throttles find the client's
    address behind `count` trusted reverse proxies. 0: the connection's address. N: the
    N-th address from the right of X-Forwarded-For, the one the outermost trusted proxy
    appended; whatever stands further left the client wrote, and is never believed."""
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": (
            ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if count else ("REMOTE_ADDR",)
        ),
        # ipware counts the proxies named in the header; the nearest is REMOTE_ADDR.
        "AXES_IPWARE_PROXY_COUNT": count - 1 if count else None,
        "NUM_PROXIES": count,
    }


TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
_proxies = trusted_proxy_settings(TRUSTED_PROXY_COUNT)
AXES_IPWARE_META_PRECEDENCE_ORDER = _proxies["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _proxies["AXES_IPWARE_PROXY_COUNT"]
# Not strict: a longer chain (the client's own X-Forwarded-For kept in front) still gives
# the address the proxies wrote, as DRF reads it; strict ipware would take the proxy's.
IPWARE_STRICT = False

# Beyond the lock per username and address: an address whose sign-ins failed this often
# across usernames within the window is refused for the rest of it (apps/core/signin.py),
# so one address cannot try a password on many accounts. Set well above what the typos
# of a whole office behind one NAT come to.
SIGNIN_FAILURES_PER_ADDRESS = env.int("SIGNIN_FAILURES_PER_ADDRESS", default=30)
SIGNIN_ADDRESS_WINDOW_MINUTES = env.int("SIGNIN_ADDRESS_WINDOW_MINUTES", default=15)

# ------------------------------------------------------------------------------
# Cache: the counters of the throttles and of sign-in failures per address. Every
# process must share it (production.py requires CACHE_URL, a Redis); one process alone
# (`make run`, the tests) may keep it in memory.
# ------------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# ------------------------------------------------------------------------------
# django-guardian
# ------------------------------------------------------------------------------
ANONYMOUS_USER_NAME = None  # anonymous users hold no object permissions at all
GUARDIAN_RAISE_403 = False

# ------------------------------------------------------------------------------
# Audit trail
# ------------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# ------------------------------------------------------------------------------
# Celery: unset broker means tasks run in-process, so `make run` needs no Redis.
# ------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # every task here is idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Fail fast when the broker is down: the rows are the promise, the sweeps publish or run
# what could not be, and a page must not hang on a publish (apps/notifications/publish.py
# tries once, on one connection, with these short timeouts).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 5.0}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker keeps its database connection across tasks instead of opening one per task
# (measured by bench/event_notice.py).
CELERY_DB_REUSE_MAX = 1000
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "apps.notifications.tasks.notifications_sweep",
        "schedule": 60.0,
    },
    "jobs-sweep": {"task": "apps.core.tasks.jobs_sweep", "schedule": 60.0},
    "api-tokens-sweep": {"task": "apps.core.tasks.api_tokens_sweep", "schedule": 60 * 60.0},
    # Each reminder is keyed, so running often only makes them timelier, never twice.
    "event-reminders": {
        "task": "apps.events.tasks.event_reminders_send",
        "schedule": 15 * 60.0,
    },
    "reappointment-reminders": {
        "task": "apps.reappointment.tasks.reappointment_reminders_send",
        "schedule": 60 * 60.0,
    },
    # A check reminds every few hours (its own interval); this only looks often.
    "safety-reminders": {
        "task": "apps.safety.tasks.safety_reminders_send",
        "schedule": 10 * 60.0,
    },
}
NOTIFICATION_RESEND_AFTER_MINUTES = env.int("NOTIFICATION_RESEND_AFTER_MINUTES", default=5)
# A notice claimed longer ago than this had a worker that died during or after its send:
# the sweep sends it again, with the same Message-ID. Longer than any mail exchange takes.
NOTIFICATION_CLAIM_TIMEOUT_MINUTES = env.int("NOTIFICATION_CLAIM_TIMEOUT_MINUTES", default=10)

# ------------------------------------------------------------------------------
# REST framework and the OpenAPI schema
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an unauthenticated call gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Anonymous calls per address, signed-in calls per person (generous: it only stops a
    # runaway script); the token endpoint and sign-up have scopes of their own, per address.
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.core.api.throttling.AnonRateThrottle",
        "apps.core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="120/min"),
        "user": env("THROTTLE_USER", default="1200/min"),
        "signin": env("THROTTLE_SIGNIN", default="30/min"),
        "signup": env("THROTTLE_SIGNUP", default="30/hour"),
    },
    "NUM_PROXIES": _proxies["NUM_PROXIES"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.AutoSchema",
    # DRF's parsers, refusing oversized or too deeply nested JSON and unstorable text.
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.api.parsers.JSONParser",
        "apps.core.api.parsers.FormParser",
        "apps.core.api.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "apps.core.api.permissions.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "apps.core.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# A list counted at more rows than this reads its pages keys first (apps/core/api/columns.py,
# _KeysFirst): a mission's page of its 2,226 placements 39 ms to 25 ms; on the demo's
# lists of tens of rows the subquery cost more to plan than it saved (6 to 18%).
API_LONG_LIST_ROWS = env.int("API_LONG_LIST_ROWS", default=1000)

# API tokens expire after API_TOKEN_IDLE_HOURS without use (each use moves the expiry on)
# and API_TOKEN_MAX_DAYS after they were made, whatever the use; a password change ends
# them all.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_IDLE_HOURS", default=10)),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(days=env.int("API_TOKEN_MAX_DAYS", default=30)),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "jetadmin API",
    "DESCRIPTION": "The JET Programme's shared administration system.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# ------------------------------------------------------------------------------
# Programme
# ------------------------------------------------------------------------------
DEMO_PASSWORD = env("DEMO_PASSWORD", default="jet-demo-2027")
# CLAIR pays half of a participant's counselling costs, up to this much per fiscal year.
COUNSELLING_SUBSIDY_CAP_YEN = env.int("COUNSELLING_SUBSIDY_CAP_YEN", default=30000)
# The address people reach jetadmin at, for links in emails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# How long the link that confirms a new account's email address works.
EMAIL_CONFIRM_HOURS = env.int("EMAIL_CONFIRM_HOURS", default=72)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
