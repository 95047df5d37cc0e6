"""Closing a programme: an appealable decision; the programme stays in the pupil's history."""

from __future__ import annotations

import pytest

from elevstod.core.timeutil import today
from elevstod.support import workflow as wf
from elevstod.support.models import ActionProgramme
from elevstod.support.services import programmes
from elevstod.support.services.transitions import StepRefused
from tests.builders import decided_programme

P = wf.ProgrammeState


def test_closing_is_an_appealable_decision_and_the_programme_stays(school):
    programme = decided_programme(school)
    programmes.programme_close(
        actor=school.principal,
        programme_id=programme.pk,
        reasons="Behovet finns inte längre.",
        decided_on=today(),
    )
    programme.refresh_from_db()
    assert programme.state == P.CLOSED
    close = programme.decisions.get(kind=wf.DecisionKind.CLOSE_PROGRAMME)
    assert close.appealable
    assert ActionProgramme.objects.filter(pk=programme.pk).exists()
    with pytest.raises(StepRefused):
        programmes.programme_follow_up(
            actor=school.teacher, programme_id=programme.pk, date=today(), text="x"
        )
