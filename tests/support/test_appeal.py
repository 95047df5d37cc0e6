"""Appeals (28 kap. skollagen): a party's appeal in time is forwarded and its ruling recorded; a
late one is dismissed by the school, not forwarded."""

from __future__ import annotations

import datetime as dt

import pytest

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.support import workflow as wf
from elevstod.support.models import Appeal
from elevstod.support.services import appeals
from tests.builders import notified_decision


def test_an_appeal_in_time_is_forwarded_and_the_ruling_recorded(school):
    decision, guardian = notified_decision(school, today())
    appeal = appeals.appeal_register(
        actor=school.principal,
        decision_id=decision.pk,
        appellant_id=guardian.pk,
        received_on=today(),
    )
    assert appeal.in_time
    appeals.appeal_forward(actor=school.principal, appeal_id=appeal.pk, forwarded_on=today())
    appeals.appeal_record_ruling(
        actor=school.principal,
        appeal_id=appeal.pk,
        ruling=Appeal.Ruling.UPHELD,
        ruling_on=today(),
        text="Avslås.",
    )
    appeal.refresh_from_db()
    assert appeal.state == wf.AppealState.RULED


def test_a_late_appeal_is_dismissed_not_forwarded(school, time_machine):
    decision, guardian = notified_decision(school, today())
    time_machine.move_to(dt.datetime.combine(today() + dt.timedelta(days=30), dt.time(12)))
    appeal = appeals.appeal_register(
        actor=school.principal,
        decision_id=decision.pk,
        appellant_id=guardian.pk,
        received_on=today(),
    )
    assert not appeal.in_time
    with pytest.raises(DomainError):
        appeals.appeal_forward(actor=school.principal, appeal_id=appeal.pk, forwarded_on=today())
    appeals.appeal_dismiss_late(
        actor=school.principal,
        appeal_id=appeal.pk,
        reasons="Överklagandet kom in för sent.",
        decided_on=today(),
    )
    appeal.refresh_from_db()
    assert appeal.state == wf.AppealState.DISMISSED_LATE


def test_an_appeal_in_time_cannot_be_dismissed_as_late(school):
    decision, guardian = notified_decision(school, today())
    appeal = appeals.appeal_register(
        actor=school.principal,
        decision_id=decision.pk,
        appellant_id=guardian.pk,
        received_on=today(),
    )
    with pytest.raises(DomainError):
        appeals.appeal_dismiss_late(
            actor=school.principal, appeal_id=appeal.pk, reasons="x", decided_on=today()
        )


def test_only_a_party_can_appeal(school):
    decision, _guardian = notified_decision(school, today())
    with pytest.raises(DomainError):
        appeals.appeal_register(
            actor=school.principal,
            decision_id=decision.pk,
            appellant_id=school.teacher.person.pk,
            received_on=today(),
        )
