"""Deciding an action programme (3 kap. 9 §): by the principal or under the delegation order,
never delegated for the forms of support the law keeps for the principal; a decision is a
record, written once, with what was decided, and it tells the persons responsible."""

from __future__ import annotations

from django.db import DatabaseError, transaction

import pytest

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.models import Notification
from elevstod.support import workflow as wf
from elevstod.support.models import Decision
from elevstod.support.services import delegation, investigations, programmes
from elevstod.support.services.transitions import StepRefused
from tests.builders import (
    completed_investigation,
    decided_programme,
    draft_programme,
    programme_content,
)

P = wf.ProgrammeState


def test_teacher_without_delegation_drafts_and_submits_but_cannot_decide(school):
    programme = draft_programme(school)
    programme = programmes.programme_submit(
        actor=school.teacher, programme_id=programme.pk, expected_version=programme.version
    )
    assert programme.state == P.SUBMITTED
    with pytest.raises(DomainError):
        programmes.programme_decide(
            actor=school.teacher,
            programme_id=programme.pk,
            expected_version=programme.version,
            reasons="x",
            decided_on=today(),
        )
    programme.refresh_from_db()
    assert programme.state == P.SUBMITTED


def test_delegated_teacher_decides_an_ordinary_programme_under_the_delegation(school):
    grant = delegation.delegation_grant(
        actor=school.principal,
        unit=school.unit,
        delegate=school.teacher.person,
        kind=wf.DecisionKind.PROGRAMME,
        valid_from=today(),
    )
    programme = decided_programme(school, actor=school.teacher)
    decision = programme.decisions.get()
    assert decision.delegation == grant
    assert decision.decided_by == school.teacher.person


@pytest.mark.parametrize("form", sorted(wf.NON_DELEGABLE_FORMS))
def test_delegated_teacher_cannot_decide_special_group_individual_distance_or_adjusted_plan(
    school, form
):
    delegation.delegation_grant(
        actor=school.principal,
        unit=school.unit,
        delegate=school.teacher.person,
        kind=wf.DecisionKind.PROGRAMME,
        valid_from=today(),
    )
    programme = draft_programme(school, form)
    with pytest.raises(DomainError) as refused:
        programmes.programme_decide(
            actor=school.teacher,
            programme_id=programme.pk,
            expected_version=programme.version,
            reasons="x",
            decided_on=today(),
        )
    assert refused.value.code == "non_delegable"
    assert "kan inte delegeras" in str(refused.value.message) or "cannot be delegated" in str(
        refused.value.message
    )
    decided = programmes.programme_decide(
        actor=school.principal,
        programme_id=programme.pk,
        expected_version=programme.version,
        reasons="x",
        decided_on=today(),
    )
    assert decided.state == P.DECIDED


def test_delegated_teacher_cannot_decide_adjusted_study_plan(school):
    delegation.delegation_grant(
        actor=school.principal,
        unit=school.unit,
        delegate=school.teacher.person,
        kind=wf.DecisionKind.PROGRAMME,
        valid_from=today(),
    )
    programme = draft_programme(school, wf.SupportForm.ADJUSTED_STUDY_PLAN)
    with pytest.raises(DomainError) as refused:
        programmes.programme_decide(
            actor=school.teacher,
            programme_id=programme.pk,
            expected_version=programme.version,
            reasons="x",
            decided_on=today(),
        )
    assert str(refused.value.message) == (
        "Beslut om anpassad studiegång kan inte delegeras (3 kap. 12 § skollagen): "
        "bara rektor beslutar."
    )


def test_a_revoked_delegation_gives_no_right(school):
    grant = delegation.delegation_grant(
        actor=school.principal,
        unit=school.unit,
        delegate=school.teacher.person,
        kind=wf.DecisionKind.PROGRAMME,
        valid_from=today(),
    )
    delegation.delegation_revoke(actor=school.principal, grant=grant)
    with pytest.raises(DomainError):
        decided_programme(school, actor=school.teacher)


def test_a_decided_programme_is_locked(school):
    programme = decided_programme(school)
    with pytest.raises(DomainError):
        programmes.programme_update(
            actor=school.teacher,
            programme_id=programme.pk,
            expected_version=programme.version,
            data=programme_content(school),
        )


def test_an_incomplete_programme_cannot_be_decided(school):
    inv = completed_investigation(school)
    programme = investigations.investigation_conclude_with_programme(
        actor=school.principal, investigation_id=inv.pk, expected_version=inv.version
    )
    with pytest.raises(DomainError) as refused:
        programmes.programme_decide(
            actor=school.principal,
            programme_id=programme.pk,
            expected_version=programme.version,
            reasons="x",
            decided_on=today(),
        )
    assert "behov" in str(refused.value.message) or "needs" in str(refused.value.message)


def test_the_decision_records_what_was_decided(school):
    programme = decided_programme(school)
    decision = programme.decisions.get()
    assert decision.content["measures"][0]["what"] == "Lästräning"
    assert decision.law == "3 kap. 9 § skollagen"


def test_decisions_are_never_edited_the_database_refuses(school):
    decision = decided_programme(school).decisions.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(reasons="ändrad")
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).delete()
    decision.refresh_from_db()
    assert decision.reasons == "Utredningen visar behov."


def test_deciding_notifies_responsible_persons_and_the_principal(school):
    decided_programme(school, actor=school.principal)
    recipients = set(
        Notification.objects.filter(code="support.programme.decided").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {school.teacher.username}


def test_two_deciders_at_once_only_one_decision(school):
    programme = draft_programme(school)
    programmes.programme_decide(
        actor=school.principal,
        programme_id=programme.pk,
        expected_version=programme.version,
        reasons="Först.",
        decided_on=today(),
    )
    with pytest.raises(StepRefused):
        programmes.programme_decide(
            actor=school.principal,
            programme_id=programme.pk,
            expected_version=programme.version,
            reasons="Sen.",
            decided_on=today(),
        )
    assert Decision.objects.filter(programme=programme).count() == 1


def test_an_organisers_own_appeal_instructions_are_printed_on_its_decisions(school, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    text = tmp_path / "overklagande.txt"
    text.write_text(
        "Egen text: skicka överklagandet till {unit} inom tre veckor.", encoding="utf-8"
    )
    call_command(
        "set_appeal_instructions",
        school.unit.organiser.name,
        "--file",
        str(text),
        stdout=StringIO(),
    )
    decision = decided_programme(school).decisions.get()
    assert decision.appeal_instructions == (
        f"Egen text: skicka överklagandet till {school.unit.name} inom tre veckor."
    )
