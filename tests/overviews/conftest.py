"""Hand-built support records on the standing cast, through the real services."""

from __future__ import annotations

import datetime as dt

import pytest

from elevstod.core.timeutil import today
from elevstod.organisation.models import Person, SchoolUnit
from elevstod.support.services import adaptations
from tests.builders import adaptation_input
from tests.factories import PersonFactory, PlacementFactory


def pupils_at(unit: SchoolUnit, count: int, *, year: int = 5, **kw: object) -> list[Person]:
    pupils = [PersonFactory(**kw) for _ in range(count)]
    for pupil in pupils:
        PlacementFactory(pupil=pupil, unit=unit, school_year=year)
    return pupils


def adapt(principal, pupils, **overrides) -> None:
    """An extra adaptation for each of ``pupils``, written by the unit's principal."""
    for pupil in pupils:
        adaptations.adaptation_create(
            actor=principal,
            pupil=pupil,
            data=adaptation_input(principal.person, **overrides),
        )


@pytest.fixture
def second_unit(cast):
    """Aspskolan (unit A2) with the support module, so the organiser has two units to count."""
    SchoolUnit.objects.filter(pk=cast.unit_a2.pk).update(support_module_enabled=True)
    cast.unit_a2.refresh_from_db()
    return cast.unit_a2


@pytest.fixture
def last_month():
    return today() - dt.timedelta(days=30)
