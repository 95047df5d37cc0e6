"""Statements built the same way on every request but for a few ids, compiled to SQL once per
process and then run with fresh parameters.

Building a large queryset (a page's ``UNION ALL`` of many kinds, the ``Exists`` of the access
rules) and compiling it costs more CPU than the database's answer. ``compiled_rows`` builds
the queryset once per *shape* (the caller's key: whatever decides how the queryset is built,
such as the reasons of a grant and today's date) with stand-in ids ("marks"), compiles it,
remembers where each mark sits among the parameters, and from then on only puts the real ids
in their places. The rows come back as ``values()`` gives them, converted by the same
converters. Only the text of statements is kept, never a row: nothing read is cached.

A builder must use each id only as a query parameter (a filter value), never in Python; the
key must name everything else the queryset depends on.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Stand-in ids, far above any real one (bigint reaches 9.2e18).
_MARK_BASE = 7_300_000_000_000_000_000
_LIMIT = 256

Ids = dict[str, Any]  # ids by name; None is part of the shape, not a parameter
Row = dict[str, Any]


@dataclass(frozen=True)
class _Statement:
    compiler: SQLCompiler | None  # None: the shape selects nothing
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position among the parameters, name of the id)
    names: tuple[str, ...]
    meta: Any = None  # what the builder said of its queryset (``compiled_with``)
    queryset: QuerySet[Any] | None = None

    def _compiler(self, ids: Ids, using: str) -> SQLCompiler:
        """The compiler of the first run, answering with this run's parameters."""
        params = list(self.params)
        for position, name in self.slots:
            params[position] = ids[name]
        compiler = copy.copy(self.compiler)
        assert compiler is not None
        compiler.connection = connections[using]
        compiler.as_sql = lambda *args, **kwargs: (self.sql, tuple(params))  # type: ignore[method-assign]
        return compiler

    def run(self, ids: Ids, using: str) -> list[Row]:
        if self.compiler is None:
            return []
        names = self.names
        rows = self._compiler(ids, using).results_iter()
        return [dict(zip(names, row, strict=True)) for row in rows]

    def objects(self, ids: Ids, using: str) -> list[Any]:
        """What the queryset gives when iterated (model objects with their related objects
        and annotations), from this run's parameters."""
        if self.compiler is None or self.queryset is None:
            return []
        compiler = self._compiler(ids, using)
        qs = self.queryset._chain()  # type: ignore[attr-defined]
        qs.query.get_compiler = lambda *args, **kwargs: compiler
        return list(qs)


_statements: OrderedDict[Hashable, _Statement] = OrderedDict()


def _marks(ids: Ids) -> Ids:
    return {
        name: None if value is None else _MARK_BASE + n
        for n, (name, value) in enumerate(sorted(ids.items()))
    }


def _names(qs: QuerySet[Any]) -> tuple[str, ...]:
    query = qs.query
    if query.selected:
        return tuple(query.selected)
    return (*query.extra_select, *query.values_select, *query.annotation_select)


def _compile(build: Callable[[Ids], tuple[QuerySet[Any], Any]], marks: Ids) -> _Statement:
    qs, meta = build(marks)
    compiler = qs.query.get_compiler(qs.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Statement(None, "", (), (), (), meta)
    by_mark = {mark: name for name, mark in marks.items() if mark is not None}
    slots = tuple(
        (n, by_mark[p]) for n, p in enumerate(params) if isinstance(p, int) and p in by_mark
    )
    # A mark written into the text itself could not be replaced.
    assert not any(str(mark) in sql for mark in by_mark), sql
    return _Statement(compiler, sql, tuple(params), slots, _names(qs), meta, qs)


def _in_range(ids: Ids, using: str) -> bool:
    low, high = connections[using].ops.integer_field_range("BigIntegerField")
    return all(value is None or low <= value <= high for value in ids.values())


def compiled_rows(
    key: Hashable, ids: Ids, build: Callable[[Ids], QuerySet[Any]], using: str = "default"
) -> list[Row]:
    """The rows of ``build(ids)`` (a ``values()`` queryset) as dictionaries, compiled once per
    ``key`` and set of ids given (``None`` stays ``None`` and is part of the shape)."""
    return compiled_with(key, ids, lambda marks: (build(marks), None), using)[0]


def compiled_with(
    key: Hashable,
    ids: Ids,
    build: Callable[[Ids], tuple[QuerySet[Any], Any]],
    using: str = "default",
) -> tuple[list[Row], Any]:
    """``compiled_rows`` for a builder that also says something of its queryset (kept with
    the statement and handed back with the rows)."""
    if not _in_range(ids, using):  # built as asked: Django answers such ids without the database
        qs, meta = build(ids)
        return list(qs), meta
    statement = _statement(("rows", key), ids, build, using)
    return statement.run(ids, using), statement.meta


def compiled_objects(
    key: Hashable, ids: Ids, build: Callable[[Ids], QuerySet[Any]], using: str = "default"
) -> list[Any]:
    """What ``build(ids)`` gives when iterated (model objects, with ``select_related`` and
    annotations), compiled once per ``key`` like ``compiled_rows``."""
    if not _in_range(ids, using):
        return list(build(ids))
    return _statement(("objects", key), ids, lambda m: (build(m), None), using).objects(ids, using)


def _statement(
    key: Hashable, ids: Ids, build: Callable[[Ids], tuple[QuerySet[Any], Any]], using: str
) -> _Statement:
    shape = (key, using, tuple(sorted((name, value is None) for name, value in ids.items())))
    statement = _statements.get(shape)
    if statement is None:
        statement = _compile(build, _marks(ids))
        _statements[shape] = statement
        if len(_statements) > _LIMIT:
            _statements.popitem(last=False)
    else:
        _statements.move_to_end(shape)
    return statement
