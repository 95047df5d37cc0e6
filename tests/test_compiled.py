"""Statements compiled once per shape (``core.compiled``): later calls put their own values in
the parameters and give the rows, types, objects and empty kinds the queryset itself would
give; a queryset that does more with its values than put them in its statement is run as it is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count, F, Min, QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from elevstod.core import compiled
from elevstod.core.compiled import compiled_objects, compiled_rows
from elevstod.core.unions import Branches, compiled_union_rows, union_rows
from elevstod.organisation.models import Person, Placement
from tests.factories import PersonFactory, PlacementFactory, SchoolUnitFactory

pytestmark = pytest.mark.django_db


def _placed(*, ids: list[int], since: dt.date, until: dt.date) -> QuerySet[Placement]:
    return (
        Placement.objects.filter(unit_id__in=ids, start_date__gte=since, start_date__lt=until)
        .order_by()
        .values(unit_ref=F("unit_id"))
        .annotate(n=Count("pk"), first=Min("start_date"))
    )


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: str(row["unit_ref"]))


def _kept(key: str) -> list[bool]:
    """Of each shape of ``key`` kept: is it a statement (or a builder run as it is)?"""
    kept = compiled._statements.items()
    return [not isinstance(s, str) for shape, s in kept if shape[0][1:] == (key,)]


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
        assert _sorted(rows) == _sorted(list(_placed(**values)))
        assert len(queries) == 1
    assert compiled_rows("test:placed", _placed, **calls[1]) == [
        {"unit_ref": ids[1], "n": 1, "first": dt.date(2026, 9, 1)}
    ]
    assert _kept("test:placed") == [True, True, True]  # one statement per number of ids


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


def test_repeated_ids_and_an_empty_list_give_what_the_orm_gives():
    unit = SchoolUnitFactory()
    PlacementFactory(unit=unit, start_date=dt.date(2026, 8, 10))
    values = {"since": dt.date(2026, 1, 1), "until": dt.date(2027, 1, 1)}
    twice = compiled_rows("test:placed", _placed, ids=[unit.pk, unit.pk], **values)
    assert twice == list(_placed(ids=[unit.pk], **values))
    with CaptureQueriesContext(connection) as queries:
        assert compiled_rows("test:placed", _placed, ids=[], **values) == []
    assert len(queries) == 0


def _session_like(*, name: str, after: dt.datetime, mentor: int | None) -> QuerySet[Any]:
    people = Person.objects.filter(given_name=name, created_at__gt=after)
    if mentor is not None:  # None is part of the shape: another statement
        people = people.filter(pk=mentor)
    return people.values("pk")


def test_strings_moments_and_none_are_values_too():
    kim, alva = PersonFactory(given_name="Kim"), PersonFactory(given_name="Alva")
    before = timezone.now() - dt.timedelta(hours=1)
    for name, person in (("Kim", kim), ("Alva", alva), ("Noor", None)):
        expected = [{"pk": person.pk}] if person else []
        assert compiled_rows("test:named", _session_like, name=name, after=before, mentor=None) == (
            expected
        )
    later = timezone.now() + dt.timedelta(hours=1)
    assert compiled_rows("test:named", _session_like, name="Kim", after=later, mentor=None) == []
    found = compiled_rows("test:named", _session_like, name="Kim", after=before, mentor=alva.pk)
    assert found == []
    assert _kept("test:named") == [True, True]


def _branches(**ids: Any) -> Branches:
    return {
        "placement": (
            Placement.objects.filter(pupil_id=ids["pupil"]),
            {"id": F("pk"), "flag1": F("unit__support_module_enabled"), "date1": F("start_date")},
        ),
        "person": (
            Person.objects.filter(pk=ids["pupil"]),
            {"id": F("pk"), "text1": F("given_name")},
        ),
    }


def test_a_compiled_union_gives_each_pupil_what_the_union_itself_gives():
    unit = SchoolUnitFactory(module=True)
    pupils = [PersonFactory(given_name=name) for name in ("Kim", "Alva", "Noor")]
    PlacementFactory(unit=unit, pupil=pupils[0], start_date=dt.date(2026, 8, 17))
    PlacementFactory(unit=unit, pupil=pupils[2], start_date=dt.date(2025, 8, 18))
    built: list[int | None] = []

    def build(**ids: Any) -> Branches:
        built.append(ids["pupil"])
        return _branches(**ids)

    for pupil in pupils:
        rows = compiled_union_rows("test.pupil", build, pupil=pupil.pk)
        assert rows == union_rows(_branches(pupil=pupil.pk))
    # Built twice, for two stand-in ids, never for a real one.
    assert len(built) == 2
    assert not set(built) & {p.pk for p in pupils}


def test_an_id_out_of_the_databases_range_is_answered_as_the_orm_answers_it():
    def build(*, pupil: int) -> Any:
        return Person.objects.filter(pk=pupil).values("pk")

    assert compiled_rows("test.huge", build, pupil=2**70) == []


def test_compiled_model_objects_come_with_their_related_objects_and_annotations():
    unit = SchoolUnitFactory(module=True, name="Åbyskolan")
    placements = [PlacementFactory(unit=unit) for _ in range(2)]

    def build(*, pk: int) -> Any:
        placed = Placement.objects.select_related("unit", "pupil").filter(pk=pk)
        return placed.annotate(unit_name=F("unit__name"))

    for placement in placements:
        (found,) = compiled_objects("test.placement", build, pk=placement.pk)
        assert found == placement
        assert found.unit.name == found.unit_name == "Åbyskolan"
        assert found.pupil == placement.pupil
