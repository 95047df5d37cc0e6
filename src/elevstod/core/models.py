"""Small shared model pieces."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

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
