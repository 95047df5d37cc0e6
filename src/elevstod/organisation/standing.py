"""The acting user's own rows, read once per request: the school units of their duties, their
mentorships and the groups they teach (the last two read with the duties, ``scope.standing_of``).

Every signed-in page knows the user's duties (``access.scope_for``); the start page lists the
units, the to-do list and the statistics links take those of them where the user is principal
(or pupil health), the talks' overview the units where they mentor, and the lists of their
mentees, groups and follow-ups start from the mentorships and the groups. The units are one
query a request (``core.request_cache``; outside a request, one per call).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from typing import Any, TypeVar

from django.db.models import QuerySet

from elevstod.core.actors import AnyUser
from elevstod.core.compiled import compiled_objects
from elevstod.core.request_cache import request_cache

from .access import scope_for
from .models import SchoolUnit
from .scope import standing_of

_T = TypeVar("_T")


def _once(name: str, key: Any, read: Callable[[], list[_T]]) -> list[_T]:
    cache = request_cache(f"organisation_standing_{name}")
    if cache is None:
        return read()
    if key not in cache:
        cache[key] = read()
    return list(cache[key])


def staff_units(actor: AnyUser) -> list[SchoolUnit]:
    """The units where the actor holds a duty today, by name (as ``units_visible_to``)."""
    ids = scope_for(actor).staff_units
    if not ids:
        return []
    return _once("units", (actor.pk, ids), lambda: _units_read([*ids]))


def staff_units_among(
    actor: AnyUser, ids: Collection[int], *, support_module: bool = False
) -> list[SchoolUnit]:
    """Those of the actor's units whose id is in ``ids`` (with the support module enabled, if
    ``support_module``), by name."""
    return [
        unit
        for unit in staff_units(actor)
        if unit.pk in ids and (unit.support_module_enabled or not support_module)
    ]


def own_mentorships(actor: AnyUser, day: dt.date | None = None) -> list[tuple[int, int]]:
    """(pupil id, unit id) of the actor's active mentorships (read with the duties)."""
    return list(standing_of(actor, day).mentorships)


def own_taught_groups(actor: AnyUser, day: dt.date | None = None) -> list[int]:
    """Ids of the groups of the actor's active teaching assignments (read with the duties)."""
    return list(standing_of(actor, day).taught_groups)


def _units_read(ids: list[int]) -> list[SchoolUnit]:
    return compiled_objects("organisation:units", _units, ids=ids)


def _units(*, ids: list[int]) -> QuerySet[SchoolUnit]:
    return SchoolUnit.objects.filter(pk__in=ids)
