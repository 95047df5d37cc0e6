"""Swedish personal identity numbers (personnummer / samordningsnummer)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext_lazy as _

from elevstod.core import timeutil
from elevstod.core.errors import DomainError

_PATTERN = re.compile(r"^(\d{2})?(\d{6})[-+]?(\d{4})$")


def luhn_digit(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def civic_number_normalize(raw: str, *, today: dt.date | None = None) -> str:
    """Return the 12-digit form YYYYMMDDNNNN, or raise DomainError with a readable message."""
    value = re.sub(r"\s", "", raw or "")
    match = _PATTERN.match(value)
    if not match:
        raise DomainError(_("Write the personal identity number as YYYYMMDD-NNNN."))
    century, date6, last4 = match.groups()
    if century is None:
        today = today or timeutil.today()
        # the most recent century in which the birth date is not after today (a
        # samordningsnummer's day is the birth day + 60)
        born = (int(date6[:2]), int(date6[2:4]), int(date6[4:6]) % 60)
        in_future = born > (today.year % 100, today.month, today.day)
        century_int = today.year // 100 - (1 if in_future else 0)
        if "+" in value:
            century_int -= 1
        century = str(century_int)
    digits = f"{century}{date6}{last4}"
    if luhn_digit(digits[2:11]) != int(digits[11]):
        raise DomainError(_("The personal identity number has a wrong check digit."))
    if civic_number_birth_date(digits) is None:
        raise DomainError(_("The personal identity number has an impossible date."))
    return digits


def civic_number_birth_date(digits: str | None) -> dt.date | None:
    """The birth date of a 12-digit number (a samordningsnummer's day is the birth day + 60),
    or None when there is no such date."""
    if not digits or len(digits) != 12 or not digits.isdigit():
        return None
    day = int(digits[6:8])
    if day > 60:
        day -= 60
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), day)
    except ValueError:
        return None


def civic_number_display(digits: str | None) -> str:
    if not digits:
        return ""
    return f"{digits[:8]}-{digits[8:]}"
