"""Mobile numbers: one normal form (E.164) so that one number is one person, however typed."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from elevstod.core.errors import DomainError

_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_SWEDISH_MOBILE = re.compile(r"^\+467\d{8}$")


def mobile_normalise(raw: str) -> str:
    """``070-123 45 67``, ``+46 70 123 45 67``, ``0046701234567`` → ``+46701234567``.

    Swedish numbers must be mobile numbers (07x); other countries are accepted in E.164 form.
    Raises DomainError for anything else.
    """
    number = re.sub(r"[\s\-().]", "", raw or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.startswith("0"):
        number = "+46" + number[1:]
    if number.startswith("+460"):
        number = "+46" + number[4:]  # +46 (0)70 …
    if not _E164.match(number) or (number.startswith("+46") and not _SWEDISH_MOBILE.match(number)):
        raise DomainError(_("Enter a mobile number, e.g. 070-123 45 67."), code="bad_number")
    return number


def mobile_masked(number: str) -> str:
    """``+46701234567`` → ``070-••• •• 67``: enough to recognise one's own phone."""
    local = "0" + number[3:] if number.startswith("+46") else number
    return f"{local[:3]}-••• •• {local[-2:]}"
