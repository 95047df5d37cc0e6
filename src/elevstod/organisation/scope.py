"""The acting user's standing: the units and organisers of their active duties (``scope_for``),
their mentorships, taught groups and family, read in one query once per request
(``standing_of``). The access rules (``access``) start from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from elevstod.core.actors import AnyUser
from elevstod.core.models import active_on
from elevstod.core.timeutil import today
from elevstod.core.unions import Branches, compiled_union_rows

from .models import Duty, Guardianship, Mentorship, Placement, TeachingAssignment


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


@dataclass(frozen=True)
class Standing:
    """The acting user's own rows of a day: their duties (as a ``Scope``), their mentorships
    (pupil id, unit id), the groups they teach, and their family (their children as guardian,
    themselves if ever placed as a pupil)."""

    scope: Scope
    mentorships: tuple[tuple[int, int], ...]
    taught_groups: tuple[int, ...]
    family: frozenset[int]


EMPTY_STANDING = Standing(EMPTY_SCOPE, (), (), frozenset())


def scope_for(user: AnyUser | None, day: dt.date | None = None) -> Scope:
    """The user's scope. Cached on the user object for the request (``standing_of``)."""
    return standing_of(user, day).scope


def standing_of(user: AnyUser | None, day: dt.date | None = None) -> Standing:
    """The user's standing, read in one query the first time a request asks (every signed-in
    page does: a statement compiled once, ``core.compiled``) and cached on the user object."""
    if user is None or not user.is_authenticated or user.person_id is None:
        return EMPTY_STANDING
    day = day or today()
    cache_key = f"_elevstod_standing_{day.isoformat()}"
    cached: Standing | None = getattr(user, cache_key, None)
    if cached is not None:
        return cached
    person = user.person_id
    rows = compiled_union_rows("organisation:standing", _standing, person=person, day=day)
    standing = Standing(
        scope=_scope(person, rows["duty"]),
        mentorships=tuple((row["id"], row["ref"]) for row in rows["mentorship"]),
        taught_groups=tuple(row["id"] for row in rows["taught"]),
        family=frozenset(row["id"] for row in rows["child"] + rows["placed"]),
    )
    setattr(user, cache_key, standing)
    return standing


def _scope(person: int, duties: list[dict[str, Any]]) -> Scope:
    by_role: dict[str, set[int]] = {}
    for duty in duties:
        role = duty["text1"]
        target = duty["ref2"] if role in Duty.ORGANISER_ROLES else duty["ref"]
        by_role.setdefault(role, set()).add(target)
    return Scope(
        person_id=person,
        principal_units=frozenset(by_role.get(Duty.Role.PRINCIPAL, ())),
        health_units=frozenset(by_role.get(Duty.Role.PUPIL_HEALTH, ())),
        admin_units=frozenset(by_role.get(Duty.Role.ADMINISTRATOR, ())),
        teacher_units=frozenset(by_role.get(Duty.Role.TEACHER, ())),
        analyst_organisers=frozenset(by_role.get(Duty.Role.ORGANISER_ANALYST, ())),
        dpo_organisers=frozenset(by_role.get(Duty.Role.DATA_PROTECTION_OFFICER, ())),
    )


def _standing(*, person: int, day: dt.date) -> Branches:
    return {
        "duty": (
            Duty.objects.filter(active_on(day), person_id=person),
            {"text1": F("role"), "ref": F("unit_id"), "ref2": F("organiser_id")},
        ),
        "mentorship": (
            Mentorship.objects.filter(active_on(day), mentor_id=person),
            {"id": F("pupil_id"), "ref": F("unit_id")},
        ),
        "taught": (
            TeachingAssignment.objects.filter(active_on(day), teacher_id=person),
            {"id": F("group_id")},
        ),
        "child": (
            Guardianship.objects.current(day).filter(guardian_id=person),
            {"id": F("pupil_id")},
        ),
        "placed": (Placement.objects.filter(pupil_id=person), {"id": F("pupil_id")}),
    }
