"""Local development and the demo (`make demo`): debug on, plain HTTP on loopback."""

from .base import *  # noqa: F403
from .base import email_backend, env_bool

DEBUG = env_bool("ELEVSTOD_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"  # noqa: F405
ELEVSTOD_AUDIT_KEY = ELEVSTOD_AUDIT_KEY or "dev-only-audit-key-never-use-in-production"  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# runserver serves static files itself while DEBUG is on; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# The demo prints e-mail and text messages on the worker's console instead of sending them.
EMAIL_BACKEND = email_backend("console")
