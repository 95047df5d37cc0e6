"""Following up and evaluating a decided programme: any number of follow-ups by those
responsible, exactly one evaluation."""

from __future__ import annotations

from django.db import IntegrityError, transaction

import pytest

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.support.models import ProgrammeEvaluation
from elevstod.support.services import programmes
from tests.builders import decided_programme


def test_follow_ups_any_number_and_exactly_one_evaluation(school):
    programme = decided_programme(school)
    for _ in range(3):
        programmes.programme_follow_up(
            actor=school.teacher, programme_id=programme.pk, date=today(), text="Går framåt."
        )
    programmes.programme_evaluate(
        actor=school.principal,
        programme_id=programme.pk,
        date=today(),
        text="Målen nådda delvis.",
        need_remains=True,
    )
    with pytest.raises(DomainError):
        programmes.programme_evaluate(
            actor=school.principal,
            programme_id=programme.pk,
            date=today(),
            text="Igen.",
            need_remains=True,
        )
    assert programme.follow_ups.count() == 3
    assert ProgrammeEvaluation.objects.filter(programme=programme).count() == 1


def test_the_database_refuses_a_second_evaluation(school):
    programme = decided_programme(school)
    programmes.programme_evaluate(
        actor=school.principal,
        programme_id=programme.pk,
        date=today(),
        text="x",
        need_remains=False,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeEvaluation.objects.create(
            programme=programme,
            date=today(),
            text="y",
            need_remains=False,
            created_by=school.principal,
        )


def test_colleague_without_responsibility_cannot_follow_up(school):
    programme = decided_programme(school)
    with pytest.raises(DomainError):
        programmes.programme_follow_up(
            actor=school.colleague, programme_id=programme.pk, date=today(), text="x"
        )
