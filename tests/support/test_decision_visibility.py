"""Who sees a decision, a referral, an investigation and a running programme: one rule each in
``support.access``, which the pupil's list and the pages of single objects both ask, and the
access log names the basis of the read."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

import pytest
import time_machine

from elevstod.audit.models import AccessLogEntry
from elevstod.core.timeutil import today
from elevstod.organisation import services as org
from elevstod.organisation.access import Reason, pupil_grant
from elevstod.organisation.models import Placement
from elevstod.support import access
from elevstod.support.models import Decision, PartyNotification
from elevstod.support.selectors.special import pupil_special_support
from elevstod.support.services import appeals, investigations
from elevstod.support.services.decisions import decision_notify_party
from tests.builders import completed_investigation, decided_programme, notified_decision

CAST = ("principal", "teacher", "mentor", "health", "colleague", "admin", "plain_principal")
CAST_WITH_FAMILY = (*CAST, "guardian")


def _no_programme_decision(school) -> Decision:
    """A decision not to draw up a programme, of which the guardian was told a month ago."""
    inv = completed_investigation(school)  # pupil health investigates; the teacher is not named
    investigations.investigation_conclude_without_programme(
        actor=school.principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        reasons="Inget behov av särskilt stöd.",
        decided_on=today() - dt.timedelta(days=30),
    )
    decision = Decision.objects.get(investigation=inv)
    decision_notify_party(
        actor=school.principal,
        decision=decision,
        party=school.guardian.person,
        notified_on=today() - dt.timedelta(days=30),
        method=PartyNotification.Method.IN_PERSON,
    )
    return decision


@pytest.fixture
def late_appeal_dismissed(school):
    """The no-programme decision, the guardian's late appeal of it and its dismissal."""
    decision = _no_programme_decision(school)
    appeal = appeals.appeal_register(
        actor=school.principal,
        decision_id=decision.pk,
        appellant_id=school.guardian.person.pk,
        received_on=today(),
    )
    assert not appeal.in_time
    appeals.appeal_dismiss_late(
        actor=school.principal, appeal_id=appeal.pk, reasons="För sent.", decided_on=today()
    )
    return decision, appeal, Decision.objects.get(appeal=appeal)


def _status(client, user, name, pk):
    client.force_login(user)
    return client.get(reverse(f"support:{name}", args=[pk])).status_code


def test_a_teacher_who_may_not_see_a_decision_does_not_see_the_dismissal_of_its_appeal(
    client, school, late_appeal_dismissed
):
    decision, appeal, dismissal = late_appeal_dismissed
    assert _status(client, school.teacher, "decision_detail", decision.pk) == 404
    assert _status(client, school.teacher, "appeal_detail", appeal.pk) == 404
    assert _status(client, school.teacher, "decision_detail", dismissal.pk) == 404
    listed = pupil_special_support(
        actor=school.teacher, grant=pupil_grant(school.teacher, school.pupil)
    )
    assert dismissal not in listed.decisions
    assert decision not in listed.decisions


def test_the_investigator_sees_the_decision_its_appeal_and_the_dismissal(
    client, school, late_appeal_dismissed
):
    decision, appeal, dismissal = late_appeal_dismissed
    assert _status(client, school.health, "decision_detail", decision.pk) == 200
    assert _status(client, school.health, "appeal_detail", appeal.pk) == 200
    assert _status(client, school.health, "decision_detail", dismissal.pk) == 200
    listed = pupil_special_support(
        actor=school.health, grant=pupil_grant(school.health, school.pupil)
    )
    assert {decision, dismissal} <= set(listed.decisions)


def test_the_dismissal_of_an_appeal_of_a_programme_decision_is_seen_by_the_pupils_teachers(
    client, school
):
    with time_machine.travel(today() - dt.timedelta(days=30)):
        decision, _guardian = notified_decision(school, today())
    appeal = appeals.appeal_register(
        actor=school.principal,
        decision_id=decision.pk,
        appellant_id=school.guardian.person.pk,
        received_on=today(),
    )
    appeals.appeal_dismiss_late(
        actor=school.principal, appeal_id=appeal.pk, reasons="För sent.", decided_on=today()
    )
    dismissal = Decision.objects.get(appeal=appeal)
    assert access.decision_reasons(school.teacher, dismissal) == {Reason.TEACHER}
    assert _status(client, school.teacher, "decision_detail", dismissal.pk) == 200
    assert access.decision_reasons(school.admin, dismissal) == frozenset()


def test_the_pupils_list_and_the_single_reads_agree_for_the_whole_cast(
    school, late_appeal_dismissed
):
    investigations.referral_submit(
        actor=school.teacher, pupil=school.pupil, tried="Extra tid.", why="Räcker inte."
    )
    decided_programme(school)  # its investigation names pupil health; the teacher is responsible
    for role in CAST_WITH_FAMILY:
        user = getattr(school, role)
        listed = pupil_special_support(actor=user, grant=pupil_grant(user, school.pupil))
        grant = pupil_grant(user, school.pupil)
        for referral in school.pupil.referrals.all():
            seen = bool(access.referral_reasons(user, grant, referral))
            assert seen == (referral in listed.referrals), (role, referral)
        for inv in school.pupil.investigations.all():
            assert access.may_see_investigation(user, inv) == (inv in listed.investigations), role
        for decision in Decision.objects.filter(pupil=school.pupil):
            seen = bool(access.decision_reasons(user, decision))
            assert seen == (decision in listed.decisions), (role, decision.kind)
    teacher = pupil_special_support(
        actor=school.teacher, grant=pupil_grant(school.teacher, school.pupil)
    )
    assert len(teacher.referrals) == 1  # the comparison above is not over empty lists
    assert not teacher.investigations


# --- a running programme: the principal's read and the departed pupil's ---------------------


def _logged(purpose):
    entry = AccessLogEntry.objects.filter(purpose=purpose).latest("pk")
    return entry.granted, set(filter(None, entry.reasons.split(",")))


def test_the_principals_read_of_a_placed_pupils_programme_is_logged_as_the_principals(
    client, school
):
    programme = decided_programme(school)
    assert _status(client, school.principal, "programme_detail", programme.pk) == 200
    assert _logged("support.programme.page") == (True, {Reason.PRINCIPAL})


def test_the_principal_of_the_unit_reads_a_departed_pupils_running_programme_to_close_it(
    client, school
):
    programme = decided_programme(school)
    placement = Placement.objects.get(pupil=school.pupil, unit=school.unit)
    with transaction.atomic():
        org.placement_end(actor=None, placement=placement, end_date=today() - dt.timedelta(days=1))
    assert _status(client, school.principal, "programme_detail", programme.pk) == 200
    assert _logged("support.programme.page") == (True, {Reason.PRINCIPAL_OF_PROGRAMME_UNIT})
    assert _status(client, school.teacher, "programme_detail", programme.pk) == 404
    assert _logged("support.programme.page") == (False, set())
