"""Writes to login accounts."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from elevstod.audit.services import audit_record
from elevstod.organisation.models import Person

from .models import User


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    person: Person | None,
    password: str | None = None,
    email: str = "",
) -> User:
    user = User(username=username, person=person, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        code="accounts.user.created",
        actor=actor,
        obj=user,
        data={"username": username, "person_id": person.pk if person else None},
    )
    return user
