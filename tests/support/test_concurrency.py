"""Two users at once: of two concurrent attempts at the same step, exactly one succeeds.

These run real threads with their own database connections, so they need a database that
lets two writers work at once: PostgreSQL (CI runs the suite on it). SQLite takes one writer at
a time, which serialises the attempts; the compare-and-set itself is tested on both databases
in the service tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection

import pytest

from elevstod.core.timeutil import today
from elevstod.support.models import Decision, ExtraAdaptation
from elevstod.support.services import adaptations, investigations, programmes
from tests.builders import adaptation_input
from tests.concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL; CI runs this there",
    ),
]


def test_two_principals_deciding_the_same_programme_at_once_make_one_decision(school):
    inv = investigations.investigation_start(
        actor=school.principal, pupil=school.pupil, investigator_ids=[], planned_decision_date=None
    )
    inv = investigations.investigation_update(
        actor=school.principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        data=investigations.InvestigationInput(
            mapping_individual="x", assessment="y", health_consulted=True
        ),
    )
    programme = investigations.investigation_conclude_with_programme(
        actor=school.principal, investigation_id=inv.pk, expected_version=inv.version
    )
    programme = programmes.programme_update(
        actor=school.principal,
        programme_id=programme.pk,
        expected_version=programme.version,
        data=programmes.ProgrammeInput(
            needs="Behov.",
            follow_up_plan="Varje vecka.",
            follow_up_responsible_id=school.teacher.person.pk,
            evaluation_responsible_id=school.principal.person.pk,
            evaluation_date=today() + dt.timedelta(days=30),
            measures=[
                programmes.MeasureInput(what="Stöd", responsible_id=school.teacher.person.pk)
            ],
        ),
    )

    def decide() -> None:
        programmes.programme_decide(
            actor=school.principal,
            programme_id=programme.pk,
            expected_version=programme.version,
            reasons="Beslut.",
            decided_on=today(),
        )

    assert race(decide, decide) == ["ok", "refused"]
    assert Decision.objects.filter(programme=programme).count() == 1


def test_two_teachers_editing_the_same_adaptation_at_once_one_is_told(school):
    adaptation = adaptations.adaptation_create(
        actor=school.teacher, pupil=school.pupil, data=adaptation_input(school.teacher.person)
    )

    def edit(title: str) -> Callable[[], Any]:
        return lambda: adaptations.adaptation_change(
            actor=school.teacher,
            adaptation_id=adaptation.pk,
            expected_version=1,
            data=adaptation_input(school.teacher.person, title=title),
        )

    assert race(edit("A"), edit("B")) == ["ok", "refused"]
    adaptation.refresh_from_db()
    assert adaptation.version == 2
    assert adaptation.title in {"A", "B"}
    assert ExtraAdaptation.objects.get(pk=adaptation.pk).versions.count() == 2


def test_the_same_form_sent_twice_at_once_writes_one_adaptation_and_both_get_it(school):
    data = adaptation_input(school.teacher.person)
    results: list[int] = []

    def send() -> None:
        results.append(
            adaptations.adaptation_create(
                actor=school.teacher, pupil=school.pupil, data=data, token="double-click"
            ).pk
        )

    assert race(send, send) == ["ok", "ok"]
    assert ExtraAdaptation.objects.count() == 1
    assert results == [ExtraAdaptation.objects.get().pk] * 2
