"""The refusals the support services raise that forms and views know how to show."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from elevstod.core.errors import DomainError


class FieldError(DomainError):
    """A rule refused one input field: the form shows the message next to that field."""

    def __init__(self, field: str, message: Any) -> None:
        super().__init__(message, code="invalid")
        self.field = field


class StaleVersion(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this adaptation while you were editing it. Your text is "
                "kept below: compare with the current version and save again."
            ),
            code="stale",
        )
