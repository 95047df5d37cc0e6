"""The app server of the browser tests (tests/browser): dev settings, production-like errors.

Only the password hasher differs from what users get: Argon2 costs about a third of a second
per hash and per login on a small CI machine, and the browser tests hash the demo logins and
log in a dozen times against a throwaway database.
"""

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only
