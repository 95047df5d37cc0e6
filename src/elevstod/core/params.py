"""Parsing ids, numbers and dates out of request data (query strings, posted fields).

Views parse such values only with these helpers. A malformed value (not a number, a number too
large for the database, text where a date belongs) is a bad request: ``BadParameter`` becomes a
400 page saying so in the user's language (``DomainErrorMiddleware``), never a server error.
A well-formed id that names nothing is the view's 404, as before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1  # the largest id a 64-bit database column holds
_DIGITS = frozenset("0123456789")


class BadParameter(BadRequest):
    """A request value could not be read. ``message`` is shown to the user."""

    def __init__(self, name: str) -> None:
        super().__init__(f"bad request parameter {name!r}")
        self.name = name
        self.message = _("A value sent with the request is not valid. Go back and try again.")


def _raw(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def int_value(raw: str, *, name: str, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """``raw`` as a whole number in ``minimum..maximum`` (ASCII digits only), else BadParameter."""
    text = raw.strip()
    sign = -1 if text.startswith("-") and minimum < 0 else 1
    digits = text[1:] if sign < 0 else text
    if not digits or len(digits) > 19 or not set(digits) <= _DIGITS:
        raise BadParameter(name)
    value = sign * int(digits)
    if not minimum <= value <= maximum:
        raise BadParameter(name)
    return value


def int_param(
    data: Mapping[str, Any],
    name: str,
    *,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = MAX_ID,
) -> int:
    """A number from ``data``; ``default`` when it is missing or empty (BadParameter if None)."""
    raw = _raw(data, name)
    if not raw:
        if default is None:
            raise BadParameter(name)
        return default
    return int_value(raw, name=name, minimum=minimum, maximum=maximum)


def id_param(data: Mapping[str, Any], name: str) -> int:
    """A required object id (1 or more)."""
    return int_param(data, name, minimum=1)


def optional_id(data: Mapping[str, Any], name: str) -> int | None:
    """An object id, or None when the field is missing or empty."""
    raw = _raw(data, name)
    return int_value(raw, name=name, minimum=1) if raw else None


def id_list_param(data: Any, name: str) -> list[int]:
    """Every value of a repeated field (``QueryDict.getlist``) as ids."""
    return [int_value(str(raw), name=name, minimum=1) for raw in data.getlist(name) if raw]


def date_param(data: Mapping[str, Any], name: str) -> dt.date | None:
    """An ISO date (YYYY-MM-DD), or None when missing or empty."""
    raw = _raw(data, name)
    if not raw:
        return None
    if len(raw) != 10:
        raise BadParameter(name)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name) from None


def choice_param(data: Mapping[str, Any], name: str, choices: set[str]) -> str | None:
    """One of ``choices``, or None when missing or empty."""
    raw = _raw(data, name)
    if raw and raw not in choices:
        raise BadParameter(name)
    return raw or None
