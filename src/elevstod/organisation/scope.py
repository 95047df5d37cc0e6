"""The acting user's standing: the units and organisers of their active duties, read once per
request (``scope_for``). The access rules (``access``) start from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from elevstod.core.actors import AnyUser
from elevstod.core.compiled import compiled_rows
from elevstod.core.models import active_on
from elevstod.core.timeutil import today

from .models import Duty


@dataclass(frozen=True)
class Scope:
    """The acting user's standing, read once from their active duties."""

    person_id: int | None
    principal_units: frozenset[int]
    health_units: frozenset[int]
    admin_units: frozenset[int]
    teacher_units: frozenset[int]
    analyst_organisers: frozenset[int]
    dpo_organisers: frozenset[int] = frozenset()

    @property
    def staff_units(self) -> frozenset[int]:
        return self.principal_units | self.health_units | self.admin_units | self.teacher_units

    @property
    def is_staff(self) -> bool:
        return bool(self.staff_units)

    @property
    def has_duty(self) -> bool:
        """Any active duty, at a unit or organiser-wide: staff, as opposed to pupils and
        guardians (who only ever have the family view)."""
        return bool(self.staff_units or self.analyst_organisers or self.dpo_organisers)


EMPTY_SCOPE = Scope(None, frozenset(), frozenset(), frozenset(), frozenset(), frozenset())


def scope_for(user: AnyUser | None, day: dt.date | None = None) -> Scope:
    """The user's scope. Cached on the user object for the request (one query)."""
    if user is None or not user.is_authenticated or user.person_id is None:
        return EMPTY_SCOPE
    day = day or today()
    cache_key = f"_elevstod_scope_{day.isoformat()}"
    cached: Scope | None = getattr(user, cache_key, None)
    if cached is not None:
        return cached
    by_role: dict[str, set[int]] = {}
    # Every signed-in page reads the duties: one statement compiled once (core.compiled).
    for duty in compiled_rows("organisation:duties", _duties, person=user.person_id, day=day):
        role = duty["role"]
        target = duty["organiser_id"] if role in Duty.ORGANISER_ROLES else duty["unit_id"]
        by_role.setdefault(role, set()).add(target)
    scope = Scope(
        person_id=user.person_id,
        principal_units=frozenset(by_role.get(Duty.Role.PRINCIPAL, ())),
        health_units=frozenset(by_role.get(Duty.Role.PUPIL_HEALTH, ())),
        admin_units=frozenset(by_role.get(Duty.Role.ADMINISTRATOR, ())),
        teacher_units=frozenset(by_role.get(Duty.Role.TEACHER, ())),
        analyst_organisers=frozenset(by_role.get(Duty.Role.ORGANISER_ANALYST, ())),
        dpo_organisers=frozenset(by_role.get(Duty.Role.DATA_PROTECTION_OFFICER, ())),
    )
    setattr(user, cache_key, scope)
    return scope


def _duties(*, person: int, day: dt.date) -> QuerySet[Any]:
    duties = Duty.objects.filter(active_on(day), person_id=person)
    return duties.values("role", "unit_id", "organiser_id")
