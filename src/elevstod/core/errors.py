"""Errors the domain raises, with a message a user can read (translated at display time)."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the operation. ``message`` is shown to the user as it is."""

    def __init__(self, message: str | Promise, *, code: str = "refused") -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code


class AccessDenied(DomainError):
    """The acting user may not reach the object. Views turn this into a 404 that leaks nothing."""

    def __init__(
        self, message: str | Promise = "not found", *, code: str = "access_denied"
    ) -> None:
        super().__init__(message, code=code)
