"""The sign-in backend: Django's model backend, reading the signed-in user with their person.

Every page names the user (the access log's actor label, the header), so the person comes in
the same query as the user instead of one more per request; so does the check that the
session's second factor still verifies the user (``accounts.verification``). The query is the
one every request makes: its statement is compiled once per device model
(``core.compiled``), and the user and person are made from its row as the ORM's
``select_related`` makes them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import F, QuerySet

from elevstod.core.compiled import compiled_rows
from elevstod.organisation.models import Person

from .models import User
from .verification import DEVICE_OK, device_check, session_device

_USER = [f.attname for f in User._meta.concrete_fields]
_PERSON = [f.attname for f in Person._meta.concrete_fields]
_PERSON_FIELD = User._meta.get_field("person")


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        if not isinstance(user_id, int):
            return self._get_user_by_orm(user_id)
        device = session_device()
        model = device[0] if device else None
        values: dict[str, Any] = {"user": user_id, **({"device": device[1]} if device else {})}
        rows = compiled_rows(("accounts:user", model), lambda **v: _user_row(model, **v), **values)
        user = _from_row(rows[0], checked=device is not None) if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None

    def _get_user_by_orm(self, user_id: Any) -> User | None:
        users = User._default_manager.select_related("person").filter(pk=user_id)
        device = session_device()
        user = users.annotate(**(device_check(*device) if device else {})).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def _user_row(model: Any, *, user: int, device: int | None = None) -> QuerySet[Any]:
    users = User._default_manager.filter(pk=user)
    if model is not None and device is not None:
        users = users.annotate(**device_check(model, device))
    person = {f"p_{name}": F(f"person__{name}") for name in _PERSON}
    rows: QuerySet[Any] = users.values(
        *_USER, *([DEVICE_OK] if model is not None else []), **person
    )
    return rows


def _from_row(row: dict[str, Any], *, checked: bool) -> User:
    """The user (and their person, if any) as ``select_related("person")`` makes them."""
    user = User.from_db("default", _USER, [row[name] for name in _USER])
    person = None
    if row["p_id"] is not None:
        person = Person.from_db("default", _PERSON, [row[f"p_{name}"] for name in _PERSON])
        _PERSON_FIELD.remote_field.set_cached_value(person, user)
    _PERSON_FIELD.set_cached_value(user, person)
    if checked:
        setattr(user, DEVICE_OK, row[DEVICE_OK])
    return user
