"""The test suite: fast hashing, no secure cookies (the test client speaks plain HTTP)."""

import os

from .base import *  # noqa: F403
from .base import email_backend, tasks_settings

DEBUG = False
SECRET_KEY = "test-only-key"
ELEVSTOD_AUDIT_KEY = "test-only-audit-key"
ELEVSTOD_AUDIT_CHECKPOINT_FILE = ""  # tests that check checkpoints give each its own file
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the app folders through the finders; no collected STATIC_ROOT in tests.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# Tasks are only recorded (no worker) unless a test's subprocess asks for a real backend.
TASKS = tasks_settings(os.environ.get("ELEVSTOD_TASKS_BACKEND", "dummy"))
EMAIL_BACKEND = email_backend("locmem")
NOTIFICATIONS_SMS_BACKEND = os.environ.get(
    "ELEVSTOD_NOTIFICATIONS_SMS_BACKEND", "elevstod.notifications.sms.LocmemSMSBackend"
)
