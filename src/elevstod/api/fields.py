"""Input fields whose refusals read like the forms': bounded texts (``core.limits``) say how
long the text may be, in Swedish and in English."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from elevstod.core.limits import TEXT_MAX, TITLE_MAX, TOO_LONG
from elevstod.support.errors import FieldError


class Formatted:
    """A translatable message with %-parameters, rendered in the active language."""

    def __init__(self, message: Any, **params: Any) -> None:
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return str(self.message) % self.params


class BoundedText(serializers.CharField):
    """A free text of at most ``max_length`` characters (10,000 unless a title)."""

    def __init__(self, *, max_length: int = TEXT_MAX, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(max_length=max_length, **kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if isinstance(data, str) and self.max_length and len(data) > self.max_length:
            message = Formatted(TOO_LONG, limit_value=self.max_length, show_value=len(data))
            raise FieldError(self.field_name or "", message)
        return super().run_validation(data)


def title_field(**kwargs: Any) -> BoundedText:
    return BoundedText(max_length=TITLE_MAX, **kwargs)
