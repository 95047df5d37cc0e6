"""A median that runs in the database on both engines: PostgreSQL's ``percentile_cont``, and on
SQLite an aggregate function registered on each new connection (as Django registers its own
math functions there)."""

from __future__ import annotations

import statistics
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, DurationField, FloatField


class Median(Aggregate):
    """The median of a number or duration (NULLs ignored); NULL over no rows."""

    function = "MEDIAN"
    name = "Median"
    allow_distinct = False

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(expression, **extra)

    def _resolve_output_field(self) -> Any:
        source = self.get_source_fields()[0]
        return DurationField() if isinstance(source, DurationField) else FloatField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # An ordered-set aggregate; a filter becomes its FILTER (WHERE …) clause as usual.
        median = self.copy()
        median.template = "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
        return median.as_sql(compiler, connection, **extra)


class _SQLiteMedian:
    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        return statistics.median(self.values) if self.values else None


def _on_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("MEDIAN", 1, _SQLiteMedian)


def register_sqlite_median() -> None:
    connection_created.connect(_on_connection, dispatch_uid="overviews-sqlite-median")
