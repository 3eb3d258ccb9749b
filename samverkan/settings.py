"""Django settings for Samverkan, read from the environment (see README, "Configuration")."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from samverkan.core.logs import logging_config
from samverkan.env import env_bool, env_int, env_list, env_str, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAMVERKAN_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    configured = env_str("SECRET_KEY")
    if configured:
        if len(configured) < 32 or configured.startswith("django-insecure"):
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 random characters")
        return configured
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG=0) refuses to start without one; "
            "for development set DEBUG=1."
        )
    key_file = VAR_DIR / "dev_secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "samverkan.core",
    "samverkan.accounts",
    "samverkan.geo",
    "samverkan.actors",
    "samverkan.plans",
    "samverkan.surveys",
    "samverkan.indicators",
    "samverkan.projects",
    "samverkan.reports",
    "samverkan.funding",
]

MIDDLEWARE = [
    "samverkan.core.ops.RequestIdMiddleware",
    "samverkan.core.middleware.ApiTimeBudgetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "samverkan.core.ops.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samverkan.core.middleware.SwedishFirstLocaleMiddleware",
    "samverkan.core.middleware.NulInAddressMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "samverkan.core.middleware.ApiErrorMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samverkan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samverkan.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'samverkan.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # cache_size (KiB when negative) and mmap_size: a search reads pages of the
            # full-text index all over the file; SQLite's 2 MB default cache re-reads them on
            # every query (bench/projects_search_bench.py measures the difference).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; "
            f"PRAGMA cache_size=-{env_int('SQLITE_CACHE_MB', 64) * 1024}; "
            f"PRAGMA mmap_size={env_int('SQLITE_MMAP_MB', 256) * 1024 * 1024};",
            "transaction_mode": "IMMEDIATE",
        }
    )
    if not DATABASES["default"]["NAME"].startswith(":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails the request (503) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
else:
    raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL")
DATABASES["default"]["TEST"] = (
    {"NAME": env_str("TEST_DATABASE_NAME")} if env_str("TEST_DATABASE_NAME") else {}
)

# An optional read replica (streaming replication of the primary): search, reports and
# benchmarking read from it (samverkan/core/replica.py); writes always go to the primary. Under
# tests the alias mirrors the primary's test database (no second database is created).
_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if _REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        _REPLICA_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0), conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must use the same engine as DATABASE_URL")
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
        )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["samverkan.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# The model whose rows own records and hold memberships (core.tenancy reads it by this name).
TENANCY_ORGANISATION_MODEL = "actors.Organisation"
# A user's role in an organisation (fields ``user``, ``organisation``, ``role``), named here so
# that core.tenancy imports no app.
TENANCY_MEMBERSHIP_MODEL = "accounts.Membership"
AUTHENTICATION_BACKENDS = ["samverkan.accounts.throttling.ThrottledModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "samverkan" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now: "example.se" means https
STATICFILES_DIRS = [BASE_DIR / "samverkan" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")

MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Imports: the largest table read (data rows, and rows × columns) and the size from which an
# import runs as a background job with progress instead of in the request.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 2_000_000)
IMPORT_INLINE_MAX_ROWS = env_int("IMPORT_INLINE_MAX_ROWS", 2_000)
# The statistics APIs an indicator's values are fetched from (tests point them at a stand-in).
KOLADA_BASE_URL = env_str("KOLADA_BASE_URL") or "https://api.kolada.se/v3"
SCB_BASE_URL = env_str("SCB_BASE_URL") or "https://statistikdatabasen.scb.se/api/v2"
# An /api/ request running longer is stopped with a JSON 503 (core.middleware); 0 = no budget.
# Under gunicorn's sync workers gunicorn_conf sets it a little under the worker timeout.
API_TIME_BUDGET_SECONDS = env_int("API_TIME_BUDGET_SECONDS", 0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

globals().update(parse_email_url(env_str("EMAIL_URL") or "console://"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or globals().get(
    "DEFAULT_FROM_EMAIL", "Samverkan <noreply@samverkan.localhost>"
)

# Background jobs: "inline" runs them in the web process right after the transaction
# commits (the embedded default); "queue" leaves them for `samverkan worker` processes.
JOBS_MODE = env_str("JOBS_MODE") or "inline"
if JOBS_MODE not in {"inline", "queue"}:
    raise ImproperlyConfigured(f"JOBS_MODE must be 'inline' or 'queue'; got {JOBS_MODE!r}")

# In the inline mode the web process also runs jobs queued for later (reminders, retries) from a
# background thread that looks for due jobs this often (samverkan/core/embedded_jobs.py).
JOBS_INLINE_POLL_SECONDS = env_int("JOBS_INLINE_POLL_SECONDS", 30)

# A job still "running" this long after it started is taken to have lost its worker and is
# queued again (must exceed the longest job).
JOBS_LOST_AFTER_SECONDS = env_int("JOBS_LOST_AFTER_SECONDS", 1800)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# API keys (profile page) expire this many days after they were made; a new password revokes them.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be at least 1")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "samverkan.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "samverkan.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "samverkan.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies are bounded like every JSON from outside (core/jsonbounds.py)
    "DEFAULT_PARSER_CLASSES": [
        "samverkan.core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samverkan API",
    "DESCRIPTION": "Organisations, geography and the collaboration records of Samverkan.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets whose field names collide across apps ("status", "kind", "format") get
    # their own names instead of hashed ones (Status9efEnum).
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "samverkan.projects.models.ProjectStatus",
        "StrategyStatusEnum": "samverkan.plans.models.StrategyStatus",
        "ActivityStatusEnum": "samverkan.plans.models.ActivityStatus",
        "CallStatusEnum": "samverkan.funding.models.CallStatus",
        "StrategyKindEnum": "samverkan.plans.models.StrategyKind",
        "OrganisationKindEnum": "samverkan.actors.models.OrganisationKind",
        "ReportKindEnum": "samverkan.reports.models.ReportKind",
        "ReportFormatEnum": "samverkan.reports.models.ReportFormat",
        "PerspectiveEnum": "samverkan.funding.models.Perspective",
    },
}

LOG_FORMAT = (env_str("LOG_FORMAT") or "text").lower()
LOGGING = logging_config(log_format=LOG_FORMAT, level=env_str("LOG_LEVEL") or "INFO")

# Cache: per process in memory unless REDIS_URL / CACHE_URL names a Redis server (then rate
# limits are shared by every web process).
# CACHE_KEY_PREFIX keeps several installations (or test runs) apart on one Redis server.
_CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _CACHE_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX") or "samverkan",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    if _CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Rate limits per client address: scope -> (requests, seconds).
RATE_LIMITS = {
    "login": (env_int("RATE_LIMIT_LOGIN", 10), 60),
    "password_reset": (env_int("RATE_LIMIT_PASSWORD_RESET", 5), 300),
    "public_token": (env_int("RATE_LIMIT_PUBLIC_TOKEN", 120), 60),
}
# How many reverse proxies in front of the web processes append to X-Forwarded-For (0: none,
# count by the connecting address). The client is the address the outermost of them appended;
# what the client wrote itself is never trusted. The former RATELIMIT_TRUST_FORWARDED_FOR=1
# means one proxy.
RATELIMIT_TRUSTED_PROXIES = env_int(
    "RATELIMIT_TRUSTED_PROXIES", 1 if env_bool("RATELIMIT_TRUST_FORWARDED_FOR", False) else 0
)
# Failed sign-ins per account (whatever the address): after this many in the period, even the
# right password is refused until the period ends. Counts every path that checks a password
# (the sign-in page, the admin's, any other form) through the authentication backend.
LOGIN_FAILURES_PER_ACCOUNT = (env_int("LOGIN_FAILURES_PER_ACCOUNT", 10), 900)

# /metrics: open to `Authorization: Bearer <METRICS_TOKEN>`, or to direct requests from these
# addresses (never to a request that came through the reverse proxy: X-Forwarded-For etc.).
METRICS_TOKEN = env_str("METRICS_TOKEN") or ""
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
