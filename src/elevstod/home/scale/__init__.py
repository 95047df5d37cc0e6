"""Scale data: one organiser with many pupils in many units, loaded through bulk paths.

``scale_load`` writes the same shape of data the services write (the same states and
invariants: every pupil placed with guardians, at most one programme in force per pupil,
decisions with their law and appeal instructions, parties notified, an audit and access log
whose hash chain verifies) but with ``bulk_create`` in batches instead of one service call per
row, so that 100,000 pupils load in minutes. It lives in ``home`` because it composes every
app's models. Names and naming rules come from ``organisation.demo_names``, shared with the
demo. Memory stays bounded: a unit is generated, written and forgotten before the next.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from elevstod.core.timeutil import today
from elevstod.organisation import demo_names as names
from elevstod.organisation.models import Organiser, SchoolUnit, Subject

from .base import SCALE_PASSWORD
from .people import People
from .support import STAGES, Support

__all__ = ["SCALE_PASSWORD", "STAGES", "ScaleResult", "scale_load"]


@dataclass(frozen=True)
class ScaleResult:
    organiser_id: int
    pupils: int
    units: int
    programmes: int
    adaptations: int
    audit_rows: int
    access_rows: int


def scale_load(
    *,
    pupils: int,
    units: int,
    seed: int = 2026,
    class_size: int = names.CLASS_SIZE,
    access_per_pupil: int = 3,
    batch: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> ScaleResult:
    """Load one organiser with ``pupils`` pupils spread over ``units`` units (years F-9)."""
    if units < 1 or pupils < units:
        raise ValueError("the scale data needs at least one unit and one pupil per unit")
    rng = random.Random(seed)  # noqa: S311 - fictional data, the same for a seed
    with transaction.atomic():
        loader = _ScaleLoader(rng, today(), class_size, access_per_pupil, batch)
        return loader.run(pupils, units, progress or (lambda _text: None))


class _ScaleLoader(People, Support):
    def run(self, pupils: int, units: int, progress: Callable[[str], None]) -> ScaleResult:
        self.organiser = Organiser.objects.create(
            name=names.ORGANISER_NAME,
            kind=Organiser.Kind.MUNICIPALITY,
            organisation_number=names.ORGANISATION_NUMBER,
        )
        self._audit("organisation.organiser.created", self.organiser, None, None, {})
        self.subjects = {
            key: Subject.objects.get_or_create(code=code, defaults={"name": name})[0]
            for key, (code, name) in names.SUBJECTS.items()
        }
        for index, unit in enumerate(self._units(units)):
            share = pupils // units + (1 if index < pupils % units else 0)
            self._unit(unit, share)
            progress(f"{unit.name}: {share} elever")
        self.audit.close()
        self.access.close()
        return ScaleResult(
            self.organiser.pk,
            self.pupil_count,
            units,
            self.programmes,
            self.adaptations,
            self.audit.count,
            self.access.count,
        )

    def _units(self, count: int) -> list[SchoolUnit]:
        taken = set(SchoolUnit.objects.values_list("school_unit_code", flat=True))
        codes = (f"{n:08d}" for n in range(90_000_000, 100_000_000) if f"{n:08d}" not in taken)
        return SchoolUnit.objects.bulk_create(
            SchoolUnit(
                organiser=self.organiser,
                name=f"Skolenhet {index + 1:02d}, {names.TOWN}",
                school_unit_code=next(codes),
                support_module_enabled=True,
            )
            for index in range(count)
        )

    def _unit(self, unit: SchoolUnit, count: int) -> None:
        """One unit whole, then forgotten: memory stays bounded whatever the total."""
        self._audit("organisation.unit.created", unit, None, unit.pk, {"name": unit.name})
        by_year = self._families(unit, count)
        staff = self._staff(unit)
        classes = self._classes(unit, by_year)
        adaptations = self._adaptations(unit, classes, staff)
        self._programmes(unit, classes, staff, set(adaptations))
        self._access_log(classes, staff)
