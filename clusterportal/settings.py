"""Settings for Clusterportal: the one place that reads the environment.

Defaults run a fresh checkout (DEBUG on, SQLite under var/). Production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; see docs/operations.md.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import dj_database_url

from clusterportal.lib.env import (
    ImproperSetting,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
# Real public data shipped with the product (see data/SOURCES.md).
DATA_DIR = Path(env_str("CLUSTERPORTAL_DATA_DIR", str(BASE_DIR / "data")))
# Everything the running portal writes: the SQLite file, collected static files.
VAR_DIR = Path(env_str("CLUSTERPORTAL_VAR_DIR", str(BASE_DIR / "var")))

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperSetting("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "clusterportal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "clusterportal",
    "clusterportal.regions",
    "clusterportal.taxonomy",
    "clusterportal.registry",
    "clusterportal.atlas",
    "clusterportal.accounts",
    "clusterportal.changes",
    "clusterportal.outbox",
    "clusterportal.events",
    "clusterportal.content",
    "clusterportal.calls",
    "clusterportal.services",
    "clusterportal.matching",
    "clusterportal.partnersearch",
    "clusterportal.matchmaking",
    # Above the partner search: a country's page lists the postings that seek partners there.
    "clusterportal.international",
    "clusterportal.portal",
    "clusterportal.sitesearch",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A write that waits too long for the database's lock: 503 "busy", not 500 (lib/busy.py).
    "clusterportal.lib.busy.BusyDatabaseMiddleware",
    "clusterportal.lib.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the database: PostgreSQL cannot take a NUL (lib/security.py).
    "clusterportal.lib.security.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff roles must set up TOTP before they see anything else (accounts/two_factor.py).
    "clusterportal.accounts.two_factor.TwoFactorRequiredMiddleware",
]

ROOT_URLCONF = "clusterportal.urls"
WSGI_APPLICATION = "clusterportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusterportal.context_processors.portal",
            ],
        },
    },
]


# Seconds a write waits for SQLite's write lock (on PostgreSQL: for any lock) before it
# gives up: the request then answers 503 "busy, try again" (lib/busy.py) instead of
# holding a worker (it was 20 s and a 500). Imports write in one short transaction (registry/importing.py). Not less than
# 5: SQLite's waiting writers poll for the lock rather than queue, and with 2 s some of
# 200 simultaneous event registrations got a 503 (events/tests/test_concurrent_registration.py).
DB_BUSY_TIMEOUT = env_int("DB_BUSY_TIMEOUT", 5, 0)


def _database(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 600, 0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run while a writer writes (public pages never wait for an
        # import); IMMEDIATE avoids "database is locked" upgrades from read to write
        # transactions.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": DB_BUSY_TIMEOUT,
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
        # The same wait for a lock as on SQLite, then 503 "busy" (lib/busy.py), not a
        # worker held until gunicorn's timeout.
        options = config.setdefault("OPTIONS", {})
        options["options"] = (
            f"{options.get('options', '')} -c lock_timeout={DB_BUSY_TIMEOUT * 1000}"
        )
    return config


# var/ holds the default SQLite file and collected static files; made on first use.
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'clusterportal.sqlite3'}"
DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# People (docs/roles.md): django-allauth manages accounts with the e-mail address as
# login; the rules backend answers per-object permissions from accounts/rules.py.
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if env_bool("PLAIN_HTTP", DEBUG) else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Login throttling and the person-related pages of allauth (accounts/adapter.py).
ACCOUNT_ADAPTER = "clusterportal.accounts.adapter.AccountAdapter"

# E-mail (docs/mail.md): every message goes to the database outbox first, inside the
# caller's transaction, and is delivered from there through OUTBOX_DELIVERY_BACKEND:
# SMTP when EMAIL_HOST is set, else printed to the console. Delivery runs right after
# the commit (OUTBOX_DELIVER_ON_COMMIT) and with `clusterportal send_mail_outbox` (cron),
# which retries failures with backoff.
EMAIL_BACKEND = "clusterportal.outbox.backends.OutboxBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "")
OUTBOX_DELIVERY_BACKEND = env_str(
    "OUTBOX_DELIVERY_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
OUTBOX_DELIVER_ON_COMMIT = env_bool("OUTBOX_DELIVER_ON_COMMIT", True)
# Sent messages hold addresses and texts: forgotten after this many days.
OUTBOX_KEEP_SENT_DAYS = env_int("OUTBOX_KEEP_SENT_DAYS", 30, 1)
EMAIL_PORT = env_int("EMAIL_PORT", 587, 1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds before a silent mail server counts as failed (delivery may run in a request).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, 1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "clusterportal@localhost")
# What `clusterportal send_reminders` asks for due reminders: functions
# source(today) -> reminders, one per app (docs/mail.md, outbox/reminders.py).
REMINDER_SOURCES = [
    "clusterportal.registry.labels.expiry_reminders",
    "clusterportal.changes.admission.confirmation_reminders",
    "clusterportal.events.reminders.event_reminders",
    "clusterportal.calls.reminders.call_reminders",
    "clusterportal.partnersearch.reminders.posting_reminders",
]

# The matching index (docs/matching.md): once a process has one, a new data version is built
# in a background thread while the previous index answers (seconds at European scale).
MATCHING_BUILD_IN_BACKGROUND = env_bool("MATCHING_BUILD_IN_BACKGROUND", True)

# The name of this installation, shown in the header and page titles.
PORTAL_NAME = env_str("PORTAL_NAME", "Clusterportal Baden-Württemberg")
MFA_TOTP_ISSUER = PORTAL_NAME
# Where the portal is reached, for the links in e-mails sent outside a request
# (change requests, reminders): scheme and host, no trailing slash.
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
if not PORTAL_URL.startswith(("http://", "https://")):
    raise ImproperSetting("PORTAL_URL must start with http:// or https://")

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Editors' uploads (content images, publication files); served by the web server in production.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("CLUSTERPORTAL_MEDIA_ROOT", str(VAR_DIR / "media")))
# Files of applications to calls: outside MEDIA_ROOT and every served folder; only the
# download view hands them out, to those allowed (calls/application_views.py).
PRIVATE_FILES_ROOT = Path(env_str("CLUSTERPORTAL_PRIVATE_FILES_ROOT", str(VAR_DIR / "private")))
APPLICATION_FILE_MAX_BYTES = env_int("APPLICATION_FILE_MAX_BYTES", 10 * 1024 * 1024)
# Serve static files straight from the app folders, so gunicorn works without
# a collectstatic step; production may still collect them for a CDN.
WHITENOISE_USE_FINDERS = True
# Leaflet comes from the django-leaflet package. Only its static files are used:
# installing it as an app would import GeoDjango, which needs GDAL.
_LEAFLET_SPEC = importlib.util.find_spec("leaflet")
assert _LEAFLET_SPEC is not None and _LEAFLET_SPEC.origin is not None
STATICFILES_DIRS = [Path(_LEAFLET_SPEC.origin).parent / "static"]

# PLAIN_HTTP=1 serves without TLS (`make run` on 127.0.0.1: production settings otherwise);
# a public installation leaves it off and sits behind a TLS proxy (docs/operations.md).
PLAIN_HTTP = env_bool("PLAIN_HTTP", DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not PLAIN_HTTP)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not PLAIN_HTTP)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not PLAIN_HTTP)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if PLAIN_HTTP else 31536000, 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not PLAIN_HTTP)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not PLAIN_HTTP)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The client's address. Behind a proxy every request comes from the proxy's address, so
# the login throttle would count everyone together: name the proxies you run. Either the
# number of trusted proxies that append to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for),
# or a header that your one trusted proxy sets to the client's address (e.g. X-Real-IP).
# Without them REMOTE_ADDR counts, and X-Forwarded-For is ignored (anyone can send it).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, 0)
TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER", "").strip()
if TRUSTED_PROXY_COUNT and TRUSTED_CLIENT_IP_HEADER:
    raise ImproperSetting(
        "set TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER, not both (the header would win)"
    )
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = TRUSTED_CLIENT_IP_HEADER or None

# Failed logins, counted in the default cache (shared by all servers with REDIS_URL) by
# allauth's rate limits. LOGIN_FAILURE_LIMIT wrong passwords for one account from one
# client lock that account for that client for LOGIN_FAILURE_WINDOW seconds (429); one
# client may fail LOGIN_FAILURE_LIMIT_PER_CLIENT times over all accounts, and one account
# LOGIN_FAILURE_LIMIT_PER_ACCOUNT times over all clients (a spread-out guessing attack).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, 1)
LOGIN_FAILURE_LIMIT_PER_CLIENT = env_int("LOGIN_FAILURE_LIMIT_PER_CLIENT", 20, 1)
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = env_int("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", 50, 1)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 900, 1)
ACCOUNT_RATE_LIMITS = {
    # The "key" is the account and the client together (accounts/adapter.py).
    "login_failed": (
        f"{LOGIN_FAILURE_LIMIT_PER_CLIENT}/{LOGIN_FAILURE_WINDOW}s/ip,"
        f"{LOGIN_FAILURE_LIMIT}/{LOGIN_FAILURE_WINDOW}s/key"
    ),
    "login_failed_account": f"{LOGIN_FAILURE_LIMIT_PER_ACCOUNT}/{LOGIN_FAILURE_WINDOW}s/key",
}

# The public forms, per client address, in allauth's rate syntax (lib/throttle.py). A firm
# behind one address may register a few dozen colleagues; a script may not fill a waiting
# list or the feedback inbox.
PUBLIC_RATE_LIMITS = {
    "event_registration": env_str("RATE_EVENT_REGISTRATION", "30/10m/ip"),
    "feedback": env_str("RATE_FEEDBACK", "10/h/ip"),
    # Exports of search results (registry/views.py), kept or made: a person exports a few
    # searches; a script that fetches the XLSX in a loop takes CPU from everyone else.
    "export": env_str("RATE_EXPORT", "30/10m/ip"),
    # Per account: a person writes a few postings and messages a day; a burst is spam.
    "partnersearch_post": env_str("RATE_PARTNERSEARCH_POST", "5/h/user"),
    "partnersearch_interest": env_str("RATE_PARTNERSEARCH_INTEREST", "10/h/user"),
    "matchmaking_request": env_str("RATE_MATCHMAKING_REQUEST", "30/h/user"),
}

# Background jobs (back-office imports, registry/jobs.py): django-tasks, queued in the
# database (django-tasks-db) and run by `clusterportal db_worker`, which `make run` starts
# next to gunicorn (docs/operations.md). TASKS_IMMEDIATE=1 runs each job inside the request
# instead (tests, or a quick try without a worker).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend"
    }
}

# Uploads in the back office (CSV/XLSX imports) are capped; bigger files are
# rejected with a message before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024, 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# The import commands read files from the operator's disk: up to this size (the row limit
# of lib/tables.py, 50,000, still holds; 50,000 rows with texts are some 20 MB).
IMPORT_COMMAND_MAX_BYTES = env_int("IMPORT_COMMAND_MAX_BYTES", 100 * 1024 * 1024, 1024)


# The shared cache. Without REDIS_URL each process keeps its own (local memory): right for
# one server. With several servers set REDIS_URL (redis://host:6379/0), so that all of them
# share the login throttle, sessions (if SESSION_ENGINE says so) and the cached lists.
REDIS_URL = env_url("REDIS_URL", "", ("redis", "rediss", "unix"))

# Rendered initiative lists (the list page, the API list), keyed by the registry's data
# version, so any change to the data misses them (lib/caching.py); 0 turns the cache
# off. In local memory at most RESPONSE_CACHE_ENTRIES bodies (up to ~60 KB each) are kept;
# Redis cannot count entries, so there a body is dropped RESPONSE_CACHE_TIMEOUT seconds
# after it was stored (stale versions are never read again, only their memory is freed).
RESPONSE_CACHE_ENTRIES = env_int("RESPONSE_CACHE_ENTRIES", 500, 0)
RESPONSE_CACHE_TIMEOUT = env_int("RESPONSE_CACHE_TIMEOUT", 86400, 1)
# Export files (CSV, XLSX, JSON, GeoJSON of a search), kept by the same data version: at most
# EXPORT_CACHE_ENTRIES files of up to 4 MB each per process in local memory.
EXPORT_CACHE_ENTRIES = env_int("EXPORT_CACHE_ENTRIES", 16, 1)


def _redis(url: str, prefix: str, timeout: int | None) -> dict:
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "TIMEOUT": timeout,
        # A Redis that does not answer fails the request within seconds instead of
        # holding a worker; errors are not ignored (a throttle that silently stops
        # counting is worse than an error page).
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
    }


if REDIS_URL:
    CACHES = {
        "default": _redis(REDIS_URL, "cp", 300),
        "responses": _redis(REDIS_URL, "cp-responses", RESPONSE_CACHE_TIMEOUT),
        "exports": _redis(REDIS_URL, "cp-exports", RESPONSE_CACHE_TIMEOUT),
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "responses": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "responses",
            "TIMEOUT": None,  # the data version in the key decides, not the clock
            "OPTIONS": {"MAX_ENTRIES": max(1, RESPONSE_CACHE_ENTRIES), "CULL_FREQUENCY": 4},
        },
        "exports": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "exports",
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": EXPORT_CACHE_ENTRIES, "CULL_FREQUENCY": 4},
        },
    }

# Sessions: in the database by default (they survive restarts of Redis); "cached_db" reads
# them through the cache, "cache" keeps them in the cache only (needs REDIS_URL: with local
# memory every server and every restart would log people out).
SESSION_ENGINE = env_choice(
    "SESSION_ENGINE",
    "db",
    {
        "db": "django.contrib.sessions.backends.db",
        "cached_db": "django.contrib.sessions.backends.cached_db",
        "cache": "django.contrib.sessions.backends.cache",
    },
)
if SESSION_ENGINE.endswith(".cache") and not REDIS_URL:
    raise ImproperSetting("SESSION_ENGINE=cache needs REDIS_URL (a cache all servers share)")

# Who runs this installation, named on the privacy page (docs/privacy.md); the operator
# writes their own address and data protection officer into PRIVACY_CONTACT.
OPERATOR_NAME = env_str("OPERATOR_NAME", "")
# Where users get this installation's source code (the AGPL's section 13 asks to offer it to
# everyone who uses the portal over a network); named in the Impressum.
SOURCE_CODE_URL = env_str("SOURCE_CODE_URL", "")
PRIVACY_CONTACT = env_str("PRIVACY_CONTACT", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
