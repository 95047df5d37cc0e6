"""Mobile numbers: one normal form (E.164) so that one number is one person, however typed.

The numbering plans are libphonenumber's (the ``phonenumbers`` package): it knows which Swedish
series are mobile (070, 072, 073, 076, 079 …, not 071 machine numbers, 075 personal numbers or
077 shared-cost numbers) and the plans of every other country.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

import phonenumbers

from elevstod.core.errors import DomainError

# What people type around the digits. Letters (vanity numbers, "ext. 12") are refused: a code
# by SMS goes to a mobile phone, never to an extension.
_TYPED = re.compile(r"^\+?[\d\s\-().]+$")
_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def mobile_normalise(raw: str) -> str:
    """``070-123 45 67``, ``+46 70 123 45 67``, ``0046701234567`` → ``+46701234567``.

    Numbers without a country code are Swedish. Only mobile numbers are accepted, in Sweden and
    abroad. Raises DomainError for anything else.
    """
    number = _parsed((raw or "").strip())
    if (
        number is None
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _MOBILE
    ):
        raise DomainError(_("Enter a mobile number, e.g. 070-123 45 67."), code="bad_number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parsed(typed: str) -> phonenumbers.PhoneNumber | None:
    if not _TYPED.match(typed):
        return None
    try:
        return phonenumbers.parse(typed, "SE")
    except phonenumbers.NumberParseException:
        return None


def mobile_masked(number: str) -> str:
    """``+46701234567`` → ``070-••• •• 67``: enough to recognise one's own phone."""
    local = "0" + number[3:] if number.startswith("+46") else number
    return f"{local[:3]}-••• •• {local[-2:]}"
