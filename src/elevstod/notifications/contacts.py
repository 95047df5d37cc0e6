"""Where a user's messages go: their mobile number. A module of its own below ``services`` and
``delivery``, so the outbox worker needs nothing from the services that queue its work."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from elevstod.accounts.phone import mobile_normalise
from elevstod.core.errors import DomainError

if TYPE_CHECKING:
    from elevstod.accounts.models import User


def mobiles_of(users: Iterable[User]) -> dict[int, str]:
    """Where SMS to each user goes: the number they confirmed for login (their own phone, one
    person each, see accounts), else the mobile number on their person record, if it is one.
    One query."""
    from elevstod.accounts.models import SMSDevice

    users = list(users)
    confirmed = dict(
        SMSDevice.objects.filter(user_id__in=[u.pk for u in users], confirmed=True)
        .order_by("-pk")
        .values_list("user_id", "number")
    )
    return {u.pk: confirmed.get(u.pk) or _person_mobile(u) for u in users}


def _person_mobile(user: User) -> str:
    """The registry's mobile number in E.164, or nothing when it is not a mobile number (a
    landline or a typing error gets no SMS)."""
    person = getattr(user, "person", None)
    raw = (person.mobile or "").strip() if person is not None else ""
    if not raw:
        return ""
    try:
        return mobile_normalise(raw)
    except DomainError:
        return ""


def mobile_of(user: User) -> str:
    return mobiles_of([user])[user.pk]
