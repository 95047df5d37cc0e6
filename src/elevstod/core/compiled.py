"""Statements a page builds the same way on every request but for a few values, compiled to SQL
once per process and then run with each request's values.

Building a large queryset (the start page's to-do list, a page's ``UNION ALL`` of many kinds,
the ``Exists`` of the access rules) and compiling it costs more CPU than the database's answer.
``compiled_rows(key, build, **values)`` calls ``build(**values)`` for a queryset. The first time
for a *shape* (the key; of each value its type, and its length if a list, or that it is
``None``) it builds the queryset twice, with two different sets of stand-in values, and compares
the two statements: the SQL must be the same, and each parameter either the same in both (a
constant) or the stand-in of the same value in both. The statement is then kept, and each later
call only puts the values in their places; the rows come back converted as the ORM converts
them, and ``compiled_objects`` makes model objects (with ``select_related`` and annotations)
through the ORM's own iteration. Only the text of statements is kept, never a row.

A builder that does anything else with a value (computes another value from it, reads the clock
itself) fails that comparison and is simply run as it is, each time. ``None`` is part of the
shape, not a parameter. The values: ints (ids), lists of distinct ints, strings, dates and aware
datetimes; the key must name everything else the queryset depends on.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

Param = int | list[int] | str | dt.date | dt.datetime | None
Ids = dict[str, Param]  # values by name, as a caller may gather them
Row = dict[str, Any]
Built = tuple[QuerySet[Any], Any]  # a queryset, and what the builder says of it

# Stand-in ids, far above any real one (bigint reaches 9.2e18), apart for the two builds.
_BASES = (7_300_000_000_000_000_000, 7_400_000_000_000_000_000)
_DAYS = (dt.date(1901, 1, 1), dt.date(1902, 2, 2))
_LIMIT = 256
_AS_IS = "run as it is"  # kept for a shape whose two builds disagree
_UNKNOWN = ("", -2)  # a parameter that is neither a constant nor a value's stand-in

Slot = tuple[int, str, int]  # (position among the parameters, value's name, index in its list)


@dataclass(frozen=True)
class _Statement:
    compiler: SQLCompiler | None  # None: the shape selects nothing (the ORM knows it unasked)
    sql: str
    params: tuple[Any, ...]
    slots: tuple[Slot, ...]
    names: tuple[str, ...]
    queryset: QuerySet[Any]
    meta: Any

    def _compiler(self, values: dict[str, Param]) -> SQLCompiler:
        """The first build's compiler, answering with this call's parameters."""
        assert self.compiler is not None
        connection = connections[self.compiler.using or "default"]
        params = list(self.params)
        for position, name, index in self.slots:
            params[position] = _adapt(connection, values[name], index)
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (self.sql, tuple(params))  # type: ignore[method-assign]
        return compiler

    def rows(self, values: dict[str, Param]) -> list[Row]:
        if self.compiler is None:
            return []
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self._compiler(values).results_iter()]

    def objects(self, values: dict[str, Param]) -> list[Any]:
        if self.compiler is None:
            return []
        compiler = self._compiler(values)
        qs = self.queryset._chain()  # type: ignore[attr-defined]
        qs.query.get_compiler = lambda *args, **kwargs: compiler
        return list(qs)


_statements: OrderedDict[Hashable, _Statement | str] = OrderedDict()
_lock = threading.Lock()


def compiled_rows(
    key: Hashable, build: Callable[..., QuerySet[Any]], /, **values: Param
) -> list[Row]:
    """The rows of ``build(**values)`` (a ``values()`` queryset) as dictionaries, from the
    statement compiled once per shape."""
    return compiled_with(key, lambda **given: (build(**given), None), **values)[0]


def compiled_with(
    key: Hashable, build: Callable[..., Built], /, **values: Param
) -> tuple[list[Row], Any]:
    """``compiled_rows`` for a builder that also says something of its queryset (the same for
    every call of a shape: kept with the statement and handed back with the rows)."""
    statement = _statement(("rows", key), build, values)
    if isinstance(statement, str):
        qs, meta = build(**values)
        return list(qs), meta
    return statement.rows(values), statement.meta


def compiled_objects(
    key: Hashable, build: Callable[..., QuerySet[Any]], /, **values: Param
) -> list[Any]:
    """What ``build(**values)`` gives when iterated (model objects, with ``select_related``
    and annotations), from the statement compiled once per shape."""
    statement = _statement(("objects", key), lambda **given: (build(**given), None), values)
    if isinstance(statement, str):
        return list(build(**values))
    return statement.objects(values)


def _statement(
    key: Hashable, build: Callable[..., Built], values: dict[str, Param]
) -> _Statement | str:
    if not _compilable(values):
        return _AS_IS
    shape = (key, *((n, len(v) if isinstance(v, list) else type(v)) for n, v in values.items()))
    with _lock:
        statement = _statements.get(shape)
        if statement is not None:
            _statements.move_to_end(shape)
            return statement
    statement = _compile(build, values)
    with _lock:
        _statements[shape] = statement
        if len(_statements) > _LIMIT:
            _statements.popitem(last=False)
    return statement


def _compilable(values: dict[str, Param]) -> bool:
    """Distinct ids within the range of the database's integers (Django answers others without
    asking the database, or drops repeated ones from a list)."""
    for value in values.values():
        ids = value if isinstance(value, list) else [value] if type(value) is int else []
        if len(set(ids)) != len(ids) or not all(-(2**63) <= i < 2**63 for i in ids):
            return False
    return True


def _stand_in(value: Param, which: int, position: int) -> Param:
    """The stand-in of the ``position``-th value in the ``which``-th of the two builds."""
    if value is None:
        return None
    if isinstance(value, list):
        return [_BASES[which] + position * 1_000_000 + i for i in range(len(value))]
    if isinstance(value, int):
        return _BASES[which] + position * 1_000_000
    if isinstance(value, str):
        return f"~stand-in {which}.{position}~"
    day = _DAYS[which] + dt.timedelta(days=position)
    if isinstance(value, dt.datetime):
        return dt.datetime.combine(day, dt.time(3, 4, 5), tzinfo=dt.UTC)
    return day


def _adapt(connection: BaseDatabaseWrapper, value: Param, index: int) -> Any:
    """A value as the ORM puts it among a statement's parameters."""
    if isinstance(value, list):
        return value[index]
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _compile(build: Callable[..., Built], values: dict[str, Param]) -> _Statement | str:
    stand_ins = [
        {n: _stand_in(v, which, p) for p, (n, v) in enumerate(values.items())} for which in (0, 1)
    ]
    builds = [build(**s) for s in stand_ins]
    compilers = [qs.query.get_compiler(qs.db) for qs, _ in builds]
    one, other = (_sql(c) for c in compilers)
    if one is None or other is None:
        qs, meta = builds[0]
        empty = one is other is None
        return _Statement(None, "", (), (), (), qs, meta) if empty else _AS_IS
    (sql, first), (other_sql, second) = one, other
    if sql != other_sql or len(first) != len(second) or builds[0][1] != builds[1][1]:
        return _AS_IS
    connection = compilers[0].connection
    known = [_known(connection, s) for s in stand_ins]
    slots = [_slot(a, b, known) for a, b in zip(first, second, strict=True)]
    if _UNKNOWN in slots or len(known[0]) != _count(values):
        return _AS_IS  # a parameter of no known source, or two stand-ins alike
    qs, meta = builds[0]
    placed = tuple((n, *s) for n, s in enumerate(slots) if s is not None)
    return _Statement(compilers[0], sql, tuple(first), placed, _names(qs), qs, meta)


def _count(values: dict[str, Param]) -> int:
    return sum(len(v) if isinstance(v, list) else v is not None for v in values.values())


def _sql(compiler: SQLCompiler) -> tuple[str, tuple[Any, ...]] | None:
    """The statement, or ``None`` where the ORM knows without asking that it selects nothing."""
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def _known(connection: BaseDatabaseWrapper, values: dict[str, Param]) -> dict[Any, tuple[str, int]]:
    """Each stand-in parameter as the statement holds it, with its value's name and index."""
    known: dict[Any, tuple[str, int]] = {}
    for name, value in values.items():
        if value is None:
            continue
        for index in range(len(value)) if isinstance(value, list) else [-1]:
            known[_adapt(connection, value, index)] = (name, index)
    return known


def _slot(a: Any, b: Any, known: list[dict[Any, tuple[str, int]]]) -> tuple[str, int] | None:
    """A parameter's source: ``None`` for a constant (the same in both builds), a value's name
    and index, or ``_UNKNOWN``."""
    first, second = _lookup(known[0], a), _lookup(known[1], b)
    if first is None and second is None:
        return None if type(a) is type(b) and a == b else _UNKNOWN
    return first if first == second else _UNKNOWN


def _lookup(known: dict[Any, tuple[str, int]], param: Any) -> tuple[str, int] | None:
    try:
        return known.get(param)
    except TypeError:  # an unhashable parameter (a list) is no stand-in
        return None


def _names(qs: QuerySet[Any]) -> tuple[str, ...]:
    query = qs.query
    if query.selected:
        return tuple(query.selected)
    return (*query.extra_select, *query.values_select, *query.annotation_select)
