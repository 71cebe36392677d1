"""Settings for LeadIT Tracker, read from the environment.

Development works with nothing set (SQLite at the project root, DEBUG on). Production sets
DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (PostgreSQL).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from leadit.email_settings import mail_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Unset means production: development is asked for explicitly (DJANGO_DEBUG=1, as `make run`
# and the tests do), so a forgotten variable never serves debug pages or a published key.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set in production. For development, set DJANGO_DEBUG=1 "
            "(make run does)."
        )
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for our own widgets rendered by TEMPLATES
    "django_htmx",
    "django_filters",
    "django_countries",
    "simple_history",
    "import_export",
    "axes",
    "django_tasks_db",
    "leadit",
    "leadit.sections",
    "leadit.demo",
    "leadit.jobs",
    "leadit.proposals",
    "members",
    "partnerships",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Responses to a logged-in user: Cache-Control: private, no-store.
    "leadit.cache_control.PrivateNoStoreMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Keeps a session alive while it is used; it ends after SESSION_COOKIE_AGE without activity.
    "leadit.sessions.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "leadit.urls"
WSGI_APPLICATION = "leadit.wsgi.application"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "leadit.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two officers deciding at once: a transaction that reads, then writes, takes the write
    # lock when it begins, so the other waits (up to 20 s) instead of failing with "database
    # is locked" (SQLite cannot upgrade two readers' locks to a write).
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password reset link, and an invitation's "set your password" link, work for this long
# (seconds) and only once: a new password, or a login, ends them.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * int(os.environ.get("DJANGO_PASSWORD_RESET_DAYS", "3"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # numbers are formatted on purpose with intcomma / our filters

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Files made by background jobs (large exports). Never served directly: a view checks who may
# download each. Several app servers and the worker must share this folder.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"  # unused: no URL serves MEDIA_ROOT

# Background work (django.tasks): a queue in the database, run by `manage.py db_worker`
# (`make run` and `make serve` start one beside the web server; docs/deployment.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# An export of more rows than this is made by the worker, and the user downloads it when ready.
EXPORT_INLINE_MAX_ROWS = int(os.environ.get("LEADIT_EXPORT_INLINE_MAX_ROWS", "20000"))
# The admin's import previews up to this many rows in the request; the worker checks and
# imports larger files (leadit.jobs.imports).
IMPORT_MAX_ROWS = int(os.environ.get("LEADIT_IMPORT_MAX_ROWS", "1000"))
# Bulk changes from a list (leadit.sections.bulk): up to BULK_INLINE_MAX records change while
# the officer waits, more are changed by the worker as a job with progress, at most
# BULK_MAX_RECORDS at once; the records are read, checked and written BULK_BATCH_SIZE at a time.
BULK_INLINE_MAX = int(os.environ.get("LEADIT_BULK_INLINE_MAX", "500"))
BULK_MAX_RECORDS = int(os.environ.get("LEADIT_BULK_MAX_RECORDS", "50000"))
BULK_BATCH_SIZE = int(os.environ.get("LEADIT_BULK_BATCH_SIZE", "500"))

# Admin import and export (django-import-export): spreadsheets in, spreadsheets out.
IMPORT_FORMATS = [
    "import_export.formats.base_formats.CSV",
    "import_export.formats.base_formats.XLSX",
]
EXPORT_FORMATS = IMPORT_FORMATS
IMPORT_EXPORT_USE_TRANSACTIONS = True  # a file with any error writes nothing
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Several app servers share one cache when DJANGO_CACHE_URL names a Redis server
# (redis://host:6379/0); without it each process keeps its own, which suits a single server.
# Nothing the app needs lives only in a process: sessions, lockouts and data are in the database.
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "leadit",
        }
    }
    # Sessions read from the cache, written through to the database: one query less a page.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # An import's file waits between preview and confirm where every server can find it.
    IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Production hardening -----------------------------------------------------------------------
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto. DJANGO_LOCAL_HTTP=1 (make serve)
# runs the production configuration over plain http on this machine.
LOCAL_HTTP = env_bool("DJANGO_LOCAL_HTTP", False)
SECURE = not DEBUG and not LOCAL_HTTP
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sessions end after this long without a request (leadit.sessions), default two hours.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("DJANGO_SESSION_IDLE_MINUTES", "120"))

# A strict Content-Security-Policy (Django's own): scripts only from here and with the nonce
# django-htmx puts on its tag; no inline styles; nothing from other origins.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Login throttling (django-axes, see leadit.lockouts): five failures lock a username from one
# client address (never for everyone), thirty lock an address across usernames.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "leadit.auth.RoleBackend",  # ModelBackend, one query for the permissions
]
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "leadit.lockouts.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "leadit.lockouts.client_address"
# How many proxies in front of the app append to X-Forwarded-For (a load balancer: 1). With 0
# (make serve, no proxy) the client address is REMOTE_ADDR and X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Mail (invitations, password resets, proposals): DJANGO_EMAIL_URL or DJANGO_EMAIL_HOST/...,
# DJANGO_DEFAULT_FROM_EMAIL; the console in development when unset (leadit.email_settings).
# Sent by the background worker (leadit.mail), retried, and recorded when it cannot be sent.
globals().update(mail_settings(os.environ, debug=DEBUG))
# How many times the worker tries a mail, and how long it waits before each new attempt.
MAIL_ATTEMPTS = 4
MAIL_RETRY_DELAYS = (60, 600, 3600)  # seconds: one minute, ten minutes, one hour

# Logs to stdout, one JSON object a line, for the platform to collect.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "leadit.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Where the review queue's mail goes: a new proposal from a focal point (leadit.proposals).
SECRETARIAT_EMAIL = os.environ.get("LEADIT_SECRETARIAT_EMAIL", "secretariat@localhost")

# The admin's address can be moved off the well-known /admin/.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# IATI publishing (docs/data-exchange.md): the organisation that publishes the tracker's assistance
# (reporting-org). Its identifier starts every activity identifier, so production sets it; when it
# is unset there, the IATI files answer with an error saying so (and `check --deploy` warns).
# Development gets an identifier that says what it is.
IATI_REPORTING_ORG_REF = os.environ.get("IATI_REPORTING_ORG_REF", "").strip() or (
    "XI-LEADIT-DEVELOPMENT" if DEBUG else ""
)
IATI_REPORTING_ORG_NAME = os.environ.get("IATI_REPORTING_ORG_NAME", "LeadIT Secretariat")
# OrganisationType: 80 Academic, Training and Research (the Secretariat is hosted by SEI).
IATI_REPORTING_ORG_TYPE = os.environ.get("IATI_REPORTING_ORG_TYPE", "80")
