"""Production: everything secure by default; refuses to start without a real secret key."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

if not SECRET_KEY or len(SECRET_KEY) < 40:  # noqa: F405
    raise ImproperlyConfigured("ELEVSTOD_SECRET_KEY must be set to a random string of 40+ chars")
if not ELEVSTOD_AUDIT_KEY or len(ELEVSTOD_AUDIT_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured("ELEVSTOD_AUDIT_KEY must be set to a random string of 32+ chars")
if not ELEVSTOD_AUDIT_CHECKPOINT_FILE and not ELEVSTOD_AUDIT_CHECKPOINT_SYSLOG:  # noqa: F405
    raise ImproperlyConfigured("set ELEVSTOD_AUDIT_CHECKPOINT_FILE or _SYSLOG for the audit log")

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("ELEVSTOD_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("ELEVSTOD_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The TLS proxy in front (nginx, a load balancer) must set X-Forwarded-Proto, and must overwrite
# it when a client sends one (docs/deployment.md): Django trusts the header as given.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer probes the servers directly over plain HTTP: no redirect for the probes.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Preloading HSTS commits the whole domain and its subdomains to HTTPS in browsers for a long
# time, a decision for the organiser's IT, not the app: off unless asked for. Its deploy check
# warning (security.W021) is silenced only while it is off; docs/deployment.md explains it.
SECURE_HSTS_PRELOAD = env_bool("ELEVSTOD_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Logs: JSON lines on standard output (journald or the container runtime keeps them), one per
# request from elevstod.request (core/observability.py), nothing personal in any of them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "elevstod.core.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "loggers": {
        "elevstod.request": {
            "handlers": ["stdout"],
            "level": os.environ.get("ELEVSTOD_REQUEST_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("ELEVSTOD_LOG_LEVEL", "WARNING")},
}
