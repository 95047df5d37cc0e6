"""Small shared model pieces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from .timeutil import today


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def active_on(day: dt.date | None = None, *, prefix: str = "") -> Q:
    """Rows whose [start_date, end_date] period covers ``day`` (today by default).

    ``prefix`` reaches through a relation: ``active_on(prefix="placements__")``.
    """
    day = day or today()
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


class AmongIds(Func):
    """``field IN (ids)``, a subquery of ids; on PostgreSQL ``field = ANY(ARRAY(ids))``: the
    ids are read first, once, and only their rows are then fetched through the field's index.
    With ``IN`` the planner may start from another index (a name's trigram index over every
    person of the organiser) and drop what is not among the ids afterwards; a filter meant to
    narrow first, to a few thousand rows of many, says so with this."""

    template = "%(expressions)s"
    arg_joiner = " IN "
    output_field = BooleanField()

    def __init__(self, field: str, ids: QuerySet[Any] | RawSQL) -> None:
        super().__init__(F(field), Subquery(ids) if isinstance(ids, QuerySet) else ids)

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, Sequence[Any]]:
        return self.as_sql(
            compiler, connection, arg_joiner=" = ANY(ARRAY", template="%(expressions)s)", **extra
        )
