"""Statements compiled once per shape (``core.compiled``): later runs put the request's ids in
the parameters and give the rows, types and empty kinds the queryset itself would give."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F

import pytest

from elevstod.core.compiled import Ids, compiled_objects, compiled_rows
from elevstod.core.unions import Branches, compiled_union_rows, union_rows
from elevstod.organisation.models import Person, Placement
from tests.factories import PersonFactory, PlacementFactory, SchoolUnitFactory

pytestmark = pytest.mark.django_db


def _branches(ids: Ids) -> Branches:
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

    def build(ids: Ids) -> Branches:
        built.append(ids["pupil"])
        return _branches(ids)

    for pupil in pupils:
        rows = compiled_union_rows("test.pupil", {"pupil": pupil.pk}, build)
        assert rows == union_rows(_branches({"pupil": pupil.pk}))
    # Built once, for a stand-in id, never for a real one.
    assert len(built) == 1
    assert built[0] not in {p.pk for p in pupils}


def test_an_id_out_of_the_databases_range_is_answered_as_the_orm_answers_it():
    def build(ids: Ids) -> Any:
        return Person.objects.filter(pk=ids["pupil"]).values("pk")

    assert compiled_rows("test.huge", {"pupil": 2**70}, build) == []


def test_compiled_model_objects_come_with_their_related_objects_and_annotations():
    unit = SchoolUnitFactory(module=True, name="Åbyskolan")
    placements = [PlacementFactory(unit=unit) for _ in range(2)]

    def build(ids: Ids) -> Any:
        placed = Placement.objects.select_related("unit", "pupil").filter(pk=ids["pk"])
        return placed.annotate(unit_name=F("unit__name"))

    for placement in placements:
        (found,) = compiled_objects("test.placement", {"pk": placement.pk}, build)
        assert found == placement
        assert found.unit.name == found.unit_name == "Åbyskolan"
        assert found.pupil == placement.pupil
