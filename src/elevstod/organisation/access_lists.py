"""The access rules of ``access.py`` over the rows of a list, for pages that show many pupils
at once (a unit's lists): the same rules, in a form that reads only the list's own rows.

- ``support_access_of``: ``pupils_with_support_access`` as a condition on rows that hold a
  pupil's id (a unit's adaptations): each rule an ``EXISTS`` on that id, read through the
  indexes, where ``pupil__in=pupils_with_support_access(…)`` reads every person.
- ``pupil_grants``: the grants of ``pupil_grant`` on several pupils, in one query; the lists
  then ask each grant what the single reads ask of it.
- ``pupil_columns`` and ``row_grants``: the same grants read with the list's own rows (no
  query of their own): the columns a list's query adds for each row's pupil, and the grants
  made of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, CharField, Exists, F, Field, OuterRef, Q, QuerySet

from elevstod.core.actors import AnyUser
from elevstod.core.models import active_on
from elevstod.core.timeutil import today

from .access import (
    GRANT_PREFIX,
    STAFF_REASONS,
    Grant,
    _cached_grants,
    _grant_annotations,
    _grant_from,
    _visibility_filter,
    grant_annotations,
    scope_for,
)
from .models import Person, Placement


def support_access_of(user: AnyUser, *, ref: str = "pupil_id", day: dt.date | None = None) -> Q:
    """Rows whose pupil (the id in the field ``ref``) is one of ``pupils_with_support_access``:
    staff reasons only, protected identity honoured, placed at a unit with the module."""
    day = day or today()
    scope = scope_for(user, day)
    if scope.person_id is None:
        return Q(pk__in=[])
    module = Placement.objects.filter(
        active_on(day), pupil_id=OuterRef(ref), unit__support_module_enabled=True
    )
    return _visibility_filter(scope, day, STAFF_REASONS, ref) & Q(Exists(module))


def pupil_grants(
    user: AnyUser, pupils: QuerySet[Person], *, day: dt.date | None = None
) -> dict[int, Grant]:
    """``pupil_grant`` for each person of ``pupils``, by id, read in one query (later
    ``pupil_grant`` calls in the request reuse them)."""
    day = day or today()
    scope = scope_for(user, day)
    if scope.person_id is None:
        return {pupil.pk: Grant(pupil, frozenset()) for pupil in pupils}
    annotations = _grant_annotations(scope, day)
    cached, grants = _cached_grants(user, day), {}
    for pupil in pupils.annotate(**annotations):
        row = {name: pupil.__dict__.pop(name) for name in annotations}
        cached[pupil.pk] = grants[pupil.pk] = _grant_from(scope, pupil, row)
    return grants


# The pupil's fields a grant needs (its names shown with it), as a list's columns.
PUPIL_COLUMNS = {
    "pupil_given_name": "given_name",
    "pupil_family_name": "family_name",
    "pupil_security_marking": "security_marking",
}


def pupil_columns(user: AnyUser, *, ref: str = "pupil_id") -> dict[str, Any]:
    """What a list's query reads of each row's pupil (the foreign key ``ref``) for
    ``row_grants``: the pupil's names and marking, and the user's ``grant_annotations``."""
    related = ref.removesuffix("_id")
    names = {column: F(f"{related}__{field}") for column, field in PUPIL_COLUMNS.items()}
    return {**names, **grant_annotations(user, ref=ref)}


def pupil_column_fields(columns: dict[str, Any]) -> dict[str, Field[Any, Any]]:
    """The types of the columns of ``pupil_columns``, for a ``UNION`` of several lists."""
    return {
        name: BooleanField() if name.startswith(GRANT_PREFIX) else CharField() for name in columns
    }


def row_grants(user: AnyUser, rows: Iterable[dict[str, Any]], *, ref: str) -> dict[int, Grant]:
    """The grant of ``pupil_grant`` on the pupil of each row read with ``pupil_columns`` (the
    pupil's id in the column ``ref``), by id, made from the rows (no query): the same rules
    and reasons (later ``pupil_grant`` calls in the request reuse them). The columns are taken
    out of the rows."""
    day = today()
    scope = scope_for(user, day)
    cached, grants = _cached_grants(user, day), {}
    start = len(GRANT_PREFIX)
    for row in rows:
        fields = {field: row.pop(column) for column, field in PUPIL_COLUMNS.items()}
        rules = {name[start:]: row.pop(name) for name in list(row) if name.startswith(GRANT_PREFIX)}
        pk = row[ref]
        if pk in grants:
            continue
        pupil = Person(pk=pk, **fields)
        grant = _grant_from(scope, pupil, rules) if scope.person_id else Grant(pupil, frozenset())
        cached[pk] = grants[pk] = grant
    return grants
