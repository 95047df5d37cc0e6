"""Retention and disposal: a dry run changes nothing; a confirmed run removes exactly what the
rules say and leaves a trace; only the data protection officer may run it."""

from __future__ import annotations

import datetime as dt

import pytest

from elevstod.audit import disposal
from elevstod.audit.models import AuditEvent, DisposalRun
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.models import Duty
from elevstod.support.models import AdaptationVersion, ExtraAdaptation
from elevstod.support.registrations import EXTRA_ADAPTATIONS
from tests.factories import DutyFactory, PersonFactory, PlacementFactory, UserFactory

ADAPTATIONS = EXTRA_ADAPTATIONS.kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(cast):
    user = UserFactory()
    DutyFactory(
        person=user.person,
        organiser=cast.organiser_a,
        unit=None,
        role=Duty.Role.DATA_PROTECTION_OFFICER,
    )
    return user


def _adaptation(pupil, unit, responsible):
    adaptation = ExtraAdaptation.objects.create(
        pupil=pupil,
        unit=unit,
        title="Förlängd tid",
        need="Behov",
        start_date=dt.date(2020, 9, 1),
        responsible=responsible,
        all_subjects=True,
    )
    AdaptationVersion.objects.create(adaptation=adaptation, version=1, snapshot={})
    return adaptation


def _left(cast, years_ago: int):
    pupil = PersonFactory(pupil=True)
    PlacementFactory(
        pupil=pupil,
        unit=cast.unit_a1,
        start_date=dt.date(2015, 8, 15),
        end_date=today() - dt.timedelta(days=365 * years_ago),
    )
    return pupil


def test_a_dry_run_lists_old_adaptations_and_changes_nothing(cast, dpo):
    old = _adaptation(_left(cast, 3), cast.unit_a1, cast.teacher.person)
    recent = _adaptation(_left(cast, 1), cast.unit_a1, cast.teacher.person)
    current = _adaptation(cast.pupil, cast.unit_a1, cast.teacher.person)
    run = disposal.disposal_dry_run(actor=dpo, organiser=cast.organiser_a, kind=ADAPTATIONS)
    assert run.candidate_ids == [old.pk]
    assert set(ExtraAdaptation.objects.values_list("pk", flat=True)) == {
        old.pk,
        recent.pk,
        current.pk,
    }


def test_a_confirmed_run_removes_exactly_what_the_rule_says_and_leaves_a_trace(cast, dpo):
    old = _adaptation(_left(cast, 3), cast.unit_a1, cast.teacher.person)
    kept = _adaptation(cast.pupil, cast.unit_a1, cast.teacher.person)
    run = disposal.disposal_dry_run(actor=dpo, organiser=cast.organiser_a, kind=ADAPTATIONS)
    run = disposal.disposal_confirm(actor=dpo, run_id=run.pk)
    assert not ExtraAdaptation.objects.filter(pk=old.pk).exists()
    assert not AdaptationVersion.objects.filter(adaptation_id=old.pk).exists()
    assert ExtraAdaptation.objects.filter(pk=kept.pk).exists()
    assert run.state == DisposalRun.State.CONFIRMED
    assert run.removed["extra_adaptations"] == 1
    trace = AuditEvent.objects.get(code="audit.disposal.performed")
    assert trace.data["removed"]["extra_adaptations"] == 1
    assert "Förlängd" not in str(trace.data)


def test_a_longer_rule_keeps_more(cast, dpo):
    _adaptation(_left(cast, 3), cast.unit_a1, cast.teacher.person)
    disposal.retention_rule_set(actor=dpo, organiser=cast.organiser_a, kind=ADAPTATIONS, years=5)
    assert (
        disposal.disposal_dry_run(
            actor=dpo, organiser=cast.organiser_a, kind=ADAPTATIONS
        ).candidate_ids
        == []
    )


def test_a_rule_without_years_keeps_for_good(cast, dpo):
    disposal.retention_rule_set(actor=dpo, organiser=cast.organiser_a, kind=ADAPTATIONS, years=None)
    with pytest.raises(DomainError):
        disposal.disposal_dry_run(actor=dpo, organiser=cast.organiser_a, kind=ADAPTATIONS)


def test_a_run_cannot_be_confirmed_twice(cast, dpo):
    run = disposal.disposal_dry_run(actor=dpo, organiser=cast.organiser_a, kind=ADAPTATIONS)
    disposal.disposal_confirm(actor=dpo, run_id=run.pk)
    with pytest.raises(DomainError):
        disposal.disposal_confirm(actor=dpo, run_id=run.pk)


@pytest.mark.parametrize("who", ["principal", "admin", "analyst"])
def test_only_the_data_protection_officer_disposes(cast, dpo, who):
    with pytest.raises(DomainError):
        disposal.disposal_dry_run(
            actor=getattr(cast, who), organiser=cast.organiser_a, kind=ADAPTATIONS
        )
    run = disposal.disposal_dry_run(actor=dpo, organiser=cast.organiser_a, kind=ADAPTATIONS)
    with pytest.raises(DomainError):
        disposal.disposal_confirm(actor=getattr(cast, who), run_id=run.pk)
