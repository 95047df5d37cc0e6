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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
