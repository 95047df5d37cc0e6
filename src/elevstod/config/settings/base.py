"""Settings shared by every environment, read from environment variables with safe defaults.

The environment-specific modules (dev, test, production) import this and change only what they
must. Every value that differs between machines comes from an ``ELEVSTOD_*`` variable or
``DATABASE_URL``; nothing here names a machine path outside the project.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url
from csp import constants as csp

SRC_DIR = Path(__file__).resolve().parents[2]  # src/elevstod
PROJECT_DIR = SRC_DIR.parents[1]  # repository root
VAR_DIR = Path(os.environ.get("ELEVSTOD_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("ELEVSTOD_DEBUG", False)
SECRET_KEY = os.environ.get("ELEVSTOD_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ELEVSTOD_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "elevstod.core",
    "elevstod.audit",
    "elevstod.accounts",
    "elevstod.organisation",
    "elevstod.notifications",
    "elevstod.imports",
    "elevstod.support",
    "elevstod.documents",
    "elevstod.overviews",
    "elevstod.api",
    "elevstod.conversations",
    "elevstod.home",
]

MIDDLEWARE = [
    "elevstod.core.observability.RequestLogMiddleware",  # request id, JSON log line, metrics
    "elevstod.core.request_cache.RequestCacheMiddleware",  # work done once per request
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "elevstod.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "elevstod.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "elevstod.accounts.stepup.OTPMiddleware",  # django-otp's, reading the device lazily
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "elevstod.core.middleware.DomainErrorMiddleware",
    "elevstod.accounts.stepup.StepUpMiddleware",
]

ROOT_URLCONF = "elevstod.config.urls"
WSGI_APPLICATION = "elevstod.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "elevstod.home.context_processors.navigation",
            ],
        },
    }
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite database of a first run
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'elevstod.sqlite3'}"),
        conn_max_age=int(os.environ.get("ELEVSTOD_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Django's model backend, reading the user's person with the user (one query fewer a page).
AUTHENTICATION_BACKENDS = ["elevstod.accounts.backends.UserBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:start"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Sessions and cookies: short-lived, HTTP-only, same-site; secure over HTTPS (see production).
# The database backend (every app server reads the same rows), its read compiled once.
SESSION_ENGINE = "elevstod.accounts.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("ELEVSTOD_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "elevstod_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("ELEVSTOD_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_NAME = "elevstod_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Security headers. The Content Security Policy (django-csp) allows only the app's own files: no
# inline scripts or styles anywhere in the templates, no nonces, no other origin.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "base-uri": [csp.SELF],
        "object-src": [csp.NONE],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ELEVSTOD_LOG_LEVEL", "WARNING")},
}

# The audit log's hash chain (docs/privacy.md): the HMAC key, from the environment only, and
# where the signed checkpoints of the chain's head go (a file, and optionally syslog,
# "/dev/log" or "host:514"). Production refuses to start without the key.
ELEVSTOD_AUDIT_KEY = os.environ.get("ELEVSTOD_AUDIT_KEY", "")
ELEVSTOD_AUDIT_CHECKPOINT_FILE = os.environ.get(
    "ELEVSTOD_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl")
)
ELEVSTOD_AUDIT_CHECKPOINT_SYSLOG = os.environ.get("ELEVSTOD_AUDIT_CHECKPOINT_SYSLOG", "")

# /metrics answers only with "Authorization: Bearer <token>"; without a token it does not exist.
ELEVSTOD_METRICS_TOKEN = os.environ.get("ELEVSTOD_METRICS_TOKEN", "")

# Paging and search limits: pages run a bounded number of queries and show bounded lists.
ELEVSTOD_PAGE_SIZE = 50

# Secure login (docs/security.md): a second factor for the support area, kept while in use.
# The support area, and the log and register extracts about it (audit), need the step-up.
ELEVSTOD_STEP_UP_NAMESPACES = ["support", "audit", "documents", "overviews", "imports"]
ELEVSTOD_STEP_UP_IDLE_MINUTES = int(os.environ.get("ELEVSTOD_STEP_UP_IDLE_MINUTES", "45"))
ELEVSTOD_SMS_CODE_SECONDS = 300
# Failed attempts allowed within the window, for passwords and codes: per account from one
# address, per address (high: a school behind one NAT address), per account from any address.
ELEVSTOD_THROTTLE_ACCOUNT_ATTEMPTS = int(os.environ.get("ELEVSTOD_THROTTLE_ACCOUNT_ATTEMPTS", "5"))
ELEVSTOD_THROTTLE_ADDRESS_ATTEMPTS = int(
    os.environ.get("ELEVSTOD_THROTTLE_ADDRESS_ATTEMPTS", "200")
)
ELEVSTOD_THROTTLE_ACCOUNT_ANY_ADDRESS_ATTEMPTS = int(
    os.environ.get("ELEVSTOD_THROTTLE_ACCOUNT_ANY_ADDRESS_ATTEMPTS", "50")
)
ELEVSTOD_THROTTLE_MINUTES = int(os.environ.get("ELEVSTOD_THROTTLE_MINUTES", "15"))
# The request header holding the client address behind a reverse proxy (e.g.
# HTTP_X_FORWARDED_FOR: its last entry is used); empty: REMOTE_ADDR.
ELEVSTOD_CLIENT_ADDRESS_HEADER = os.environ.get("ELEVSTOD_CLIENT_ADDRESS_HEADER", "")
# SMS: console (prints codes; dev and demo), locmem (tests) or the 46elks HTTP gateway.
SMS_BACKEND = os.environ.get("ELEVSTOD_SMS_BACKEND", "elevstod.accounts.sms.ConsoleBackend")
ELEVSTOD_SMS_SENDER = os.environ.get("ELEVSTOD_SMS_SENDER", "Elevstod")
ELEVSTOD_46ELKS_URL = os.environ.get("ELEVSTOD_46ELKS_URL", "https://api.46elks.com/a1/sms")
ELEVSTOD_46ELKS_USERNAME = os.environ.get("ELEVSTOD_46ELKS_USERNAME", "")
ELEVSTOD_46ELKS_PASSWORD = os.environ.get("ELEVSTOD_46ELKS_PASSWORD", "")
OTP_TOTP_ISSUER = "Elevstöd"


# Security keys and passkeys (WebAuthn, django-otp-webauthn), a second factor only: never a login
# on their own. The relying party is the public address's host name; credentials are bound to
# it (changing it means enrolling the keys again). A development address on 127.0.0.1 becomes
# "localhost", because browsers refuse WebAuthn on an IP address.
def _webauthn_origin(base_url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    host = "localhost" if parts.hostname in {"127.0.0.1", "::1"} else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


# The public address of the app: links in e-mail and SMS are built from it (the demo sets it
# from its HOST and PORT).
ELEVSTOD_BASE_URL = os.environ.get("ELEVSTOD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_WEBAUTHN_DEFAULT_ORIGIN = _webauthn_origin(ELEVSTOD_BASE_URL)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("ELEVSTOD_WEBAUTHN_ORIGINS", [_WEBAUTHN_DEFAULT_ORIGIN])
OTP_WEBAUTHN_RP_ID = os.environ.get(
    "ELEVSTOD_WEBAUTHN_RP_ID", _WEBAUTHN_DEFAULT_ORIGIN.split("://")[1].split(":")[0]
)
OTP_WEBAUTHN_RP_NAME = "Elevstöd"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "elevstod.accounts.webauthn.WebAuthnHelper"
OTP_WEBAUTHN_TIMEOUT_SECONDS = 300  # time to find and touch the key (WCAG 2.2.1 enough time)

# SAML2 service provider (Skolfederation). Identity providers are configured per organiser in
# the database (accounts.IdentityProvider). Without a base URL the request's host is used.
ELEVSTOD_SAML_ENABLED = env_bool("ELEVSTOD_SAML_ENABLED", False)  # the login page offers it
ELEVSTOD_SAML_BASE_URL = os.environ.get("ELEVSTOD_SAML_BASE_URL", "")
ELEVSTOD_SAML_ENTITY_ID = os.environ.get("ELEVSTOD_SAML_ENTITY_ID", "")
ELEVSTOD_SAML_KEY_FILE = os.environ.get("ELEVSTOD_SAML_KEY_FILE", "")
ELEVSTOD_SAML_CERT_FILE = os.environ.get("ELEVSTOD_SAML_CERT_FILE", "")
ELEVSTOD_SAML_XMLSEC_BINARY = os.environ.get("ELEVSTOD_SAML_XMLSEC_BINARY", "/usr/bin/xmlsec1")

# Background jobs through Django's tasks API (django-tasks): the database backend by default
# (worker: `manage.py db_worker`), RQ on Redis to scale out (`manage.py rqworker --job-class
# django_tasks_rq.Job default`). See docs/operations.md.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}


def tasks_settings(backend: str) -> dict[str, dict[str, object]]:
    return {"default": {"BACKEND": TASK_BACKENDS[backend], "QUEUES": ["default"]}}


ELEVSTOD_TASKS_BACKEND = os.environ.get("ELEVSTOD_TASKS_BACKEND", "database")
SS12000_SYNC_INTERVAL_HOURS = float(os.environ.get("ELEVSTOD_SS12000_SYNC_INTERVAL_HOURS", "24"))
TASKS = tasks_settings(ELEVSTOD_TASKS_BACKEND)
REDIS_URL = os.environ.get("ELEVSTOD_REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
if ELEVSTOD_TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]

# E-mail: SMTP unless ELEVSTOD_EMAIL_BACKEND says otherwise (console, locmem, file, smtp or a
# dotted path). Messages carry no sensitive content: only that something happened, and a link.
EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}


def email_backend(default: str) -> str:
    name = os.environ.get("ELEVSTOD_EMAIL_BACKEND", default)
    return EMAIL_BACKENDS.get(name, name)


EMAIL_BACKEND = email_backend("smtp")
EMAIL_FILE_PATH = os.environ.get("ELEVSTOD_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("ELEVSTOD_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ELEVSTOD_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ELEVSTOD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ELEVSTOD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ELEVSTOD_EMAIL_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("ELEVSTOD_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("ELEVSTOD_EMAIL_FROM", "Elevstöd <noreply@localhost>")

# Notifications: text messages through a small backend interface (console, locmem, or later
# the accounts app's SMS gateway) and the outbox worker's rules; links use ELEVSTOD_BASE_URL.
NOTIFICATIONS_SMS_BACKEND = os.environ.get(
    "ELEVSTOD_NOTIFICATIONS_SMS_BACKEND", "elevstod.notifications.sms.ConsoleSMSBackend"
)
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("ELEVSTOD_DELIVERY_MAX_ATTEMPTS", "8"))
NOTIFICATIONS_RETRY_SECONDS = int(os.environ.get("ELEVSTOD_DELIVERY_RETRY_SECONDS", "60"))
NOTIFICATIONS_LEASE_SECONDS = int(os.environ.get("ELEVSTOD_DELIVERY_LEASE_SECONDS", "300"))
NOTIFICATIONS_DIGEST_HOUR = int(os.environ.get("ELEVSTOD_DIGEST_HOUR", "7"))
NOTIFICATIONS_REMINDER_DEFAULT_DAYS = 5
NOTIFICATIONS_REMINDER_CATCH_UP_DAYS = 3

# The REST API (elevstod.api): its views set their own authentication, permissions, rate limit
# and renderers; the schema class is global because drf-spectacular reads it at import time.
# No password (Basic) or session login through the framework: that would bypass the login's
# throttle and step-up.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
}
ELEVSTOD_API_REQUESTS_PER_MINUTE = int(os.environ.get("ELEVSTOD_API_REQUESTS_PER_MINUTE", "120"))
