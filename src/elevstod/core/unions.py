"""Several small lists of a page read in one query: a ``UNION ALL`` of their rows in shared
columns, each row tagged with its kind. A page showing four kinds of rows of one pupil then
runs one query instead of four.

Each kind names the columns it fills; the others are typed NULLs, so that every branch of the
union has the same columns of the same types (PostgreSQL types a union branch by branch, and
the values are converted by the first branch's types).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, QuerySet, Value
from django.db.models.sql.compiler import SQLCompiler

from .compiled import Param, compiled_with

KIND = "kind"
PREFIX = "union_"

# The shared columns: ids, a number, texts, flags, a moment and dates.
COLUMNS: dict[str, models.Field[Any, Any]] = {
    "id": models.BigIntegerField(),
    "ref": models.BigIntegerField(),
    "ref2": models.BigIntegerField(),
    "number": models.IntegerField(),
    **{f"text{n}": models.CharField() for n in range(1, 7)},
    "flag1": models.BooleanField(),
    "flag2": models.BooleanField(),
    "at": models.DateTimeField(),
    **{f"date{n}": models.DateField() for n in range(1, 4)},
}


class _TypedNull(Expression):
    """``CAST(NULL AS type)``: a column a kind leaves empty (a leaf, cheaper to build than
    ``Cast(Value(None))``, which the ORM resolves and copies once more per column)."""

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        db_type = self.output_field.cast_db_type(connection)  # type: ignore[attr-defined]
        return f"CAST(NULL AS {db_type})", []


Branches = dict[str, tuple[QuerySet[Any], dict[str, Any]]]
Rows = dict[str, list[dict[str, Any]]]


def union_queryset(
    branches: Branches, columns: dict[str, models.Field[Any, Any]] = COLUMNS
) -> QuerySet[Any]:
    """The ``UNION ALL`` of every branch (kind: its queryset and its expressions by column
    name) as one ``values()`` queryset; ``rows_by_kind`` sorts its rows out."""
    parts = []
    for kind, (qs, values) in branches.items():
        unknown = set(values) - set(columns)
        assert not unknown, unknown
        # Prefixed, so that no column name clashes with a field of the branch's model.
        selected: dict[str, Any] = {PREFIX + KIND: Value(kind, output_field=models.CharField())}
        for name, field in columns.items():
            expression = values.get(name)
            selected[PREFIX + name] = _TypedNull(field) if expression is None else expression
        parts.append(qs.order_by().annotate(**selected).values(*selected))
    first, *rest = parts
    combined: QuerySet[Any] = first.union(*rest, all=True) if rest else first
    return combined


def rows_by_kind(rows: Iterable[dict[str, Any]], kinds: Iterable[str]) -> Rows:
    """The rows of a ``union_queryset`` as dictionaries by kind (a kind without rows maps to
    an empty list)."""
    by_kind: Rows = defaultdict(list)
    for row in rows:
        by_kind[row[PREFIX + KIND]].append(
            {name[len(PREFIX) :]: value for name, value in row.items()}
        )
    return {kind: by_kind.get(kind, []) for kind in kinds}


def union_rows(branches: Branches, columns: dict[str, models.Field[Any, Any]] = COLUMNS) -> Rows:
    """The rows of every branch, read in one query, as dictionaries by kind."""
    if not branches:
        return {}
    return rows_by_kind(union_queryset(branches, columns), branches)


def compiled_union_rows(key: Hashable, build: Callable[..., Branches], /, **values: Param) -> Rows:
    """``union_rows`` of ``build(**values)``, compiled once per shape (``core.compiled``: the
    branches must use the values only as filter values, the key must name all else)."""

    def queryset(**given: Param) -> tuple[QuerySet[Any], tuple[str, ...]]:
        branches = build(**given)
        return union_queryset(branches), tuple(branches)

    rows, kinds = compiled_with(("union", key), queryset, **values)
    return rows_by_kind(rows, kinds)
