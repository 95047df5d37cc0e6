"""A ``values()`` queryset whose statement is compiled once per process and run again with new
values: for a page's big fixed query (the start page's to-do list), whose building in the ORM
costs more than running it.

``compiled_rows(key, build, **values)`` calls ``build(**values)`` for a queryset. The first
time for a shape (the key, the length of each list) and a database connection, it builds the
queryset twice with stand-in values and compares the two statements: the SQL must be the same,
and each parameter either the same in both (a constant) or the stand-in of one value. The
statement is then kept, and each later call only fills in the values. A queryset that does
anything else with its values (computes another value from them, or reads the clock itself)
fails that comparison and is simply run as it is, each time.

The values: ids (an int, or a list of distinct ints), strings, dates and aware datetimes; ``build``
must depend on nothing else that changes (the clock, the settings) except through them."""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

_M = TypeVar("_M", bound=Model)
Value = list[int] | int | str | dt.date | dt.datetime
Slot = tuple[str, int] | None  # (value's name, index in its list); None: a constant

_BASES = (9_100_000_000_000, 9_200_000_000_000)  # stand-in ids, never a row's
_DAYS = (dt.date(1901, 1, 1), dt.date(1902, 2, 2))
_UNKNOWN: Slot = ("", -1)
_compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[Hashable, Any]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class _Statement:
    sql: str
    slots: list[Slot]
    constants: list[Any]
    names: list[str]
    compiler: SQLCompiler
    converters: dict[int, Any]


def compiled_rows(
    key: Hashable, build: Callable[..., QuerySet[Any]], /, **values: Value
) -> list[dict[str, Any]]:
    """The rows of ``build(**values)`` as dictionaries, from the statement compiled once."""
    connection = connections["default"]
    shape = (key, tuple((n, len(v) if isinstance(v, list) else -1) for n, v in values.items()))
    kept = _compiled.setdefault(connection, {})
    if shape not in kept:
        kept[shape] = _compile(connection, build, values)
    statement = kept[shape]
    if statement is None or not _distinct(values):
        return list(build(**values))
    return _run(connection, statement, values)


def compiled_objects(
    key: Hashable, model: type[_M], build: Callable[..., QuerySet[_M]], /, **values: Value
) -> list[_M]:
    """The ``model`` instances of ``build(**values)`` (no ``select_related``), made as the ORM
    makes them from its rows, from the statement compiled once."""
    names = [f.attname for f in model._meta.concrete_fields]

    def rows(**given: Value) -> QuerySet[Any]:
        return build(**given).values(*names)

    found = compiled_rows(key, rows, **values)
    return [model.from_db("default", names, [row[n] for n in names]) for row in found]


def _distinct(values: dict[str, Value]) -> bool:
    return all(len(set(v)) == len(v) for v in values.values() if isinstance(v, list))


def _stand_in(value: Value, which: int, position: int) -> Value:
    """The stand-in of the ``position``-th value, in the ``which``-th of the two builds."""
    if isinstance(value, list):
        return [_BASES[which] + position * 100_000 + i for i in range(len(value))]
    if isinstance(value, int):
        return _BASES[which] + position * 100_000
    if isinstance(value, str):
        return f"~stand-in {which}.{position}~"
    day = _DAYS[which] + dt.timedelta(days=position)
    if isinstance(value, dt.datetime):
        return dt.datetime.combine(day, dt.time(3, 4, 5), tzinfo=dt.UTC)
    return day


def _adapt(connection: BaseDatabaseWrapper, value: Value, index: int) -> Any:
    if isinstance(value, list):
        return value[index]
    if isinstance(value, int | str):
        return value
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return connection.ops.adapt_datefield_value(value)


def _compile(
    connection: BaseDatabaseWrapper, build: Callable[..., QuerySet[Any]], values: dict[str, Value]
) -> _Statement | None:
    stand_ins = [
        {n: _stand_in(v, which, p) for p, (n, v) in enumerate(values.items())} for which in (0, 1)
    ]
    compilers = [build(**s).query.get_compiler(connection=connection) for s in stand_ins]
    (sql, first), (other_sql, second) = (c.as_sql() for c in compilers)
    if sql != other_sql or len(first) != len(second):
        return None
    known = [_known(connection, s) for s in stand_ins]
    if len(known[0]) != sum(len(v) if isinstance(v, list) else 1 for v in values.values()):
        return None  # two stand-ins alike: which value is which cannot be told
    slots = [_slot(a, b, known) for a, b in zip(first, second, strict=True)]
    if _UNKNOWN in slots:
        return None
    compiler = compilers[0]
    query = compiler.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    converters = compiler.get_converters(fields)
    return _Statement(sql, slots, list(first), names, compiler, converters)


def _known(connection: BaseDatabaseWrapper, values: dict[str, Value]) -> dict[Any, Slot]:
    known: dict[Any, Slot] = {}
    for name, value in values.items():
        for index in range(len(value) if isinstance(value, list) else 1):
            known[_adapt(connection, value, index)] = (name, index)
    return known


def _slot(a: Any, b: Any, known: list[dict[Any, Slot]]) -> Slot:
    """A parameter's source: a constant (the same in both), a value, or ``_UNKNOWN``."""
    first, second = _lookup(known[0], a), _lookup(known[1], b)
    if first is None and second is None:
        return None if type(a) is type(b) and a == b else _UNKNOWN
    return first if first == second else _UNKNOWN


def _lookup(known: dict[Any, Slot], param: Any) -> Slot:
    try:
        return known.get(param)
    except TypeError:  # an unhashable parameter (a list) is no stand-in
        return None


def _run(
    connection: BaseDatabaseWrapper, statement: _Statement, values: dict[str, Value]
) -> list[dict[str, Any]]:
    params = [
        constant if slot is None else _adapt(connection, values[slot[0]], slot[1])
        for slot, constant in zip(statement.slots, statement.constants, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        rows: Any = cursor.fetchall()
    if statement.converters:
        rows = statement.compiler.apply_converters(rows, statement.converters)
    return [dict(zip(statement.names, row, strict=False)) for row in rows]
