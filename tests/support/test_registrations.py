"""What the support app registers with the audit and notifications apps: the extract of a pupil
with the whole support chain has every registered section filled, and the reminders find the
support chain's dates through the registry."""

from __future__ import annotations

import pytest

from elevstod.audit.extract import register_extract
from elevstod.audit.registry import EXTRACT_SECTIONS
from elevstod.core.timeutil import today
from elevstod.notifications.registry import DUE_SOURCES, NOTICE_DAYS
from elevstod.organisation.access import Right, access_pupil
from elevstod.support import due_dates
from elevstod.support.models import Effect, NextStep
from elevstod.support.services import adaptations, appeals, investigations, programmes
from tests.builders import adaptation_input, notified_decision

pytestmark = pytest.mark.django_db

TALK_SECTIONS = {
    name
    for name, section in EXTRACT_SECTIONS.items()
    if all(model._meta.app_label == "conversations" for model in section.models)
}


def _adaptation_followed_up_and_evaluated(school):
    adaptation = adaptations.adaptation_create(
        actor=school.teacher, pupil=school.pupil, data=adaptation_input(school.teacher.person)
    )
    adaptations.adaptation_follow_up(
        actor=school.teacher,
        adaptation_id=adaptation.pk,
        date=today(),
        observation="Hinner mer.",
        effect=Effect.PARTLY,
        next_follow_up=None,
    )
    adaptations.adaptation_evaluate(
        actor=school.teacher,
        adaptation_id=adaptation.pk,
        date=today(),
        outcome="Fungerar.",
        effect=Effect.WORKS,
        next_step=NextStep.END,
    )


def _programme_followed_up_evaluated_and_appealed(school):
    decision, guardian = notified_decision(school, today())
    programmes.programme_follow_up(
        actor=school.teacher, programme_id=decision.programme_id, date=today(), text="Framåt."
    )
    programmes.programme_evaluate(
        actor=school.principal,
        programme_id=decision.programme_id,
        date=today(),
        text="Målen nådda delvis.",
        need_remains=True,
    )
    appeals.appeal_lodge(
        actor=school.guardian,
        decision_id=decision.pk,
        change_requested="Mer stöd.",
        grounds="Behovet är större.",
        attachments=[("intyg.png", b"\x89PNG\r\n\x1a\n bild")],
    )
    appeals.appeal_register(
        actor=school.principal,
        decision_id=decision.pk,
        appellant_id=guardian.pk,
        received_on=today(),
    )


def test_the_extract_of_a_pupil_with_everything_fills_every_registered_section(school):
    # given a pupil with the whole support chain, notified about and looked at
    _adaptation_followed_up_and_evaluated(school)
    investigations.referral_submit(
        actor=school.teacher, pupil=school.pupil, tried="Förlängd tid.", why="Ingen effekt."
    )
    _programme_followed_up_evaluated_and_appealed(school)
    access_pupil(actor=school.principal, pk=school.pupil.pk, purpose="test", right=Right.VIEW_PUPIL)
    # when the extract is made
    data = register_extract(school.pupil)
    # then it has every registered section, and none of the support chain's and the apps'
    # below it is empty (the development talk's sections are the conversations app's own)
    assert set(data) == set(EXTRACT_SECTIONS)
    assert [name for name, rows in data.items() if not rows and name not in TALK_SECTIONS] == []


def test_the_support_chain_registers_its_dates_and_notice_for_reminders():
    assert set(due_dates.SOURCES) <= set(DUE_SOURCES)
    assert due_dates.reminder_days in NOTICE_DAYS
