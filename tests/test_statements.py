"""A queryset's statement compiled once and run again with new values (``core.statements``):
the same rows as the queryset itself, each value in its own place, and a queryset that does
more with its values than put them in its statement is run as it is."""

from __future__ import annotations

import datetime as dt

from django.db import connection, connections
from django.db.models import Count, F, Min, QuerySet
from django.test.utils import CaptureQueriesContext

import pytest

from elevstod.core import statements
from elevstod.core.statements import compiled_rows
from elevstod.organisation.models import Placement
from tests.factories import PlacementFactory, SchoolUnitFactory

pytestmark = pytest.mark.django_db


def _placed(*, ids: list[int], since: dt.date, until: dt.date) -> QuerySet[Placement]:
    return (
        Placement.objects.filter(unit_id__in=ids, start_date__gte=since, start_date__lt=until)
        .order_by()
        .values(unit_ref=F("unit_id"))
        .annotate(n=Count("pk"), first=Min("start_date"))
    )


def _rows(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return sorted(rows, key=lambda row: str(row["unit_ref"]))


def test_each_call_gets_the_rows_of_its_own_values_in_one_query():
    units = [SchoolUnitFactory(), SchoolUnitFactory(), SchoolUnitFactory()]
    days = (dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1))
    for unit, day in zip(units, days, strict=True):
        PlacementFactory(unit=unit, start_date=day)
    ids = [u.pk for u in units]
    calls = [
        {"ids": ids[:2], "since": dt.date(2026, 8, 15), "until": dt.date(2026, 12, 1)},
        {"ids": ids[1:], "since": dt.date(2026, 1, 1), "until": dt.date(2026, 9, 15)},
        {"ids": ids[:1], "since": dt.date(2026, 7, 1), "until": dt.date(2026, 8, 2)},
        {"ids": ids, "since": dt.date(2026, 1, 1), "until": dt.date(2027, 1, 1)},
    ]
    for values in calls:
        with CaptureQueriesContext(connection) as queries:
            rows = compiled_rows("test:placed", _placed, **values)
        assert _rows(rows) == _rows(list(_placed(**values)))
        assert len(queries) == 1
    assert compiled_rows("test:placed", _placed, **calls[1]) == [
        {"unit_ref": ids[1], "n": 1, "first": dt.date(2026, 9, 1)}
    ]
    assert _kept("test:placed") == [True, True, True]  # one statement per number of ids


def _kept(key: str) -> list[bool]:
    kept = statements._compiled[connections["default"]]
    return [statement is not None for shape, statement in kept.items() if shape[0] == key]


def _derived(*, ids: list[int], since: dt.date) -> QuerySet[Placement]:
    # A value computed from another one is not a stand-in: the statement is not kept.
    return _placed(ids=ids, since=since, until=since + dt.timedelta(days=30))


def test_a_queryset_that_computes_from_its_values_is_run_as_it_is():
    unit = SchoolUnitFactory()
    PlacementFactory(unit=unit, start_date=dt.date(2026, 8, 10))
    for since, expected in ((dt.date(2026, 8, 1), 1), (dt.date(2026, 9, 1), 0)):
        rows = compiled_rows("test:derived", _derived, ids=[unit.pk], since=since)
        assert sum(int(str(r["n"])) for r in rows) == expected
    assert _kept("test:derived") == [False]
