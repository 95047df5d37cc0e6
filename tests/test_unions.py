"""Several kinds of rows read in one query (``core.unions``): each kind's rows come back with
their own values and the shared columns' types, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

import pytest

from elevstod.core.unions import union_rows
from elevstod.organisation.models import Person, Placement
from tests.factories import PersonFactory, PlacementFactory, SchoolUnitFactory

pytestmark = pytest.mark.django_db


def test_two_kinds_of_rows_come_back_in_one_query_with_their_types():
    unit = SchoolUnitFactory(module=True, name="Åbyskolan")
    placement = PlacementFactory(unit=unit, start_date=dt.date(2026, 8, 17))
    person = PersonFactory(given_name="Kim")
    branches = {
        "placement": (
            Placement.objects.filter(pk=placement.pk),
            {
                "id": F("pk"),
                "text1": F("unit__name"),
                "flag1": F("unit__support_module_enabled"),
                "date1": F("start_date"),
                "date2": F("end_date"),
            },
        ),
        "person": (
            Person.objects.filter(pk=person.pk),
            {"id": F("pk"), "text1": F("given_name"), "at": F("created_at")},
        ),
        "nobody": (Person.objects.none(), {"id": F("pk")}),
    }

    with CaptureQueriesContext(connection) as queries:
        rows = union_rows(branches)

    assert len(queries) == 1
    (p,) = rows["placement"]
    assert (p["id"], p["text1"], p["flag1"]) == (placement.pk, "Åbyskolan", True)
    assert (p["date1"], p["date2"], p["at"]) == (dt.date(2026, 8, 17), None, None)
    (q,) = rows["person"]
    assert (q["id"], q["text1"], q["flag1"], q["date1"]) == (person.pk, "Kim", None, None)
    assert q["at"] == person.created_at
    assert q["at"].tzinfo is not None
    assert rows["nobody"] == []
