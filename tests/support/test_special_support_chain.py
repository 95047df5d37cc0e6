"""The special support chain through the services: referral, investigation, decisions,
programme, follow-up, evaluation, new programme, close, appeals, delegation and moving school."""

from __future__ import annotations

import datetime as dt

from django.db import DatabaseError, IntegrityError, transaction

import pytest

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.models import Notification
from elevstod.organisation import services as org
from elevstod.support import workflow as wf
from elevstod.support.models import (
    ActionProgramme,
    Appeal,
    Decision,
    Investigation,
    PartyNotification,
    ProgrammeEvaluation,
    Referral,
)
from elevstod.support.services import appeals, delegation, investigations, programmes
from elevstod.support.services.decisions import decision_notify_party
from elevstod.support.services.transitions import StepRefused

P = wf.ProgrammeState


def _investigation(school, **kw):
    return investigations.investigation_start(
        actor=school.principal,
        pupil=school.pupil,
        investigator_ids=[school.health.person.pk],
        planned_decision_date=today() + dt.timedelta(days=14),
        **kw,
    )


def _completed(school):
    inv = _investigation(school)
    return investigations.investigation_update(
        actor=school.health,
        investigation_id=inv.pk,
        expected_version=inv.version,
        data=investigations.InvestigationInput(
            mapping_individual="Läser långsamt.",
            mapping_group="Stor grupp.",
            mapping_school="Få speciallärare.",
            assessment="Behöver särskilt stöd i läsning.",
            health_consulted=True,
        ),
    )


def _content(school, form=wf.SupportForm.ORDINARY, responsible=None):
    responsible = responsible or school.teacher.person
    return programmes.ProgrammeInput(
        needs="Stöd i läsförståelse.",
        follow_up_plan="Varannan vecka.",
        evaluation_date=today() + dt.timedelta(days=90),
        follow_up_responsible_id=school.teacher.person.pk,
        evaluation_responsible_id=school.principal.person.pk,
        pupil_participated=True,
        guardians_participated=True,
        participation_views="Eleven vill ha stöd i mindre grupp.",
        measures=[
            programmes.MeasureInput(
                what="Lästräning",
                how="Enskilt med speciallärare",
                how_much="3 x 20 min/vecka",
                responsible_id=responsible.pk,
                support_form=form,
            )
        ],
    )


def _draft(school, form=wf.SupportForm.ORDINARY):
    inv = _completed(school)
    programme = investigations.investigation_conclude_with_programme(
        actor=school.principal, investigation_id=inv.pk, expected_version=inv.version
    )
    return programmes.programme_update(
        actor=school.teacher,
        programme_id=programme.pk,
        expected_version=programme.version,
        data=_content(school, form),
    )


def _decided(school, actor=None, form=wf.SupportForm.ORDINARY):
    programme = _draft(school, form)
    return programmes.programme_decide(
        actor=actor or school.principal,
        programme_id=programme.pk,
        expected_version=programme.version,
        reasons="Utredningen visar behov.",
        decided_on=today(),
    )


def test_teacher_reports_to_the_principal_who_is_notified(school):
    referral = investigations.referral_submit(
        actor=school.teacher,
        pupil=school.pupil,
        tried="Förlängd skrivtid.",
        why="Ingen effekt efter sex veckor.",
    )
    assert referral.state == wf.ReferralState.OPEN
    assert Notification.objects.filter(
        recipient=school.principal, code="support.referral.submitted"
    ).exists()


def test_colleague_without_the_pupil_cannot_report(school):
    with pytest.raises(DomainError):
        investigations.referral_submit(
            actor=school.colleague, pupil=school.pupil, tried="x", why="y"
        )
    assert not Referral.objects.exists()


def test_starting_an_investigation_handles_the_referral(school):
    referral = investigations.referral_submit(
        actor=school.teacher, pupil=school.pupil, tried="x", why="y"
    )
    inv = _investigation(school, referral=referral)
    referral.refresh_from_db()
    assert referral.state == wf.ReferralState.HANDLED
    assert referral.investigation == inv


def test_only_the_principal_starts_an_investigation(school):
    with pytest.raises(DomainError):
        investigations.investigation_start(
            actor=school.teacher,
            pupil=school.pupil,
            investigator_ids=[],
            planned_decision_date=None,
        )
    assert not Investigation.objects.exists()


def test_not_consulting_pupil_health_needs_a_reason(school):
    inv = _investigation(school)
    with pytest.raises(DomainError):
        investigations.investigation_update(
            actor=school.principal,
            investigation_id=inv.pk,
            expected_version=inv.version,
            data=investigations.InvestigationInput(
                mapping_individual="x", assessment="y", health_consulted=False
            ),
        )


def test_decision_not_to_draw_up_a_programme_is_appealable_with_instructions(school):
    inv = _completed(school)
    investigations.investigation_conclude_without_programme(
        actor=school.principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        reasons="Behoven kan mötas med extra anpassningar.",
        decided_on=today(),
    )
    decision = Decision.objects.get(kind=wf.DecisionKind.NO_PROGRAMME)
    assert decision.appealable
    assert "Skolväsendets överklagandenämnd" in decision.appeal_instructions
    assert "tre veckor" in decision.appeal_instructions
    assert decision.decided_by == school.principal.person
    assert decision.delegation is None


def test_a_decision_without_reasons_is_refused(school):
    inv = _completed(school)
    with pytest.raises(DomainError):
        investigations.investigation_conclude_without_programme(
            actor=school.principal,
            investigation_id=inv.pk,
            expected_version=inv.version,
            reasons="  ",
            decided_on=today(),
        )
    assert not Decision.objects.exists()
    inv.refresh_from_db()
    assert inv.state == wf.InvestigationState.IN_PROGRESS


def test_teacher_without_delegation_drafts_and_submits_but_cannot_decide(school):
    programme = _draft(school)
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
    programme = _decided(school, actor=school.teacher)
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
    programme = _draft(school, form)
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
    programme = _draft(school, wf.SupportForm.ADJUSTED_STUDY_PLAN)
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
        _decided(school, actor=school.teacher)


def test_a_decided_programme_is_locked(school):
    programme = _decided(school)
    with pytest.raises(DomainError):
        programmes.programme_update(
            actor=school.teacher,
            programme_id=programme.pk,
            expected_version=programme.version,
            data=_content(school),
        )


def test_an_incomplete_programme_cannot_be_decided(school):
    inv = _completed(school)
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
    programme = _decided(school)
    decision = programme.decisions.get()
    assert decision.content["measures"][0]["what"] == "Lästräning"
    assert decision.law == "3 kap. 9 § skollagen"


def test_decisions_are_never_edited_the_database_refuses(school):
    decision = _decided(school).decisions.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(reasons="ändrad")
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).delete()
    decision.refresh_from_db()
    assert decision.reasons == "Utredningen visar behov."


def test_deciding_notifies_responsible_persons_and_the_principal(school):
    _decided(school, actor=school.principal)
    recipients = set(
        Notification.objects.filter(code="support.programme.decided").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {school.teacher.username}


def test_follow_ups_any_number_and_exactly_one_evaluation(school):
    programme = _decided(school)
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
    programme = _decided(school)
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
    programme = _decided(school)
    with pytest.raises(DomainError):
        programmes.programme_follow_up(
            actor=school.colleague, programme_id=programme.pk, date=today(), text="x"
        )


def test_new_programme_is_an_editable_copy_on_the_same_investigation_needing_a_decision(school):
    programme = _decided(school)
    programmes.programme_evaluate(
        actor=school.principal,
        programme_id=programme.pk,
        date=today(),
        text="Behovet kvarstår.",
        need_remains=True,
    )
    renewed = programmes.programme_renew(actor=school.principal, programme_id=programme.pk)
    programme.refresh_from_db()
    assert programme.state == P.BEING_RENEWED
    assert renewed.state == P.DRAFT
    assert renewed.previous == programme
    assert renewed.investigation == programme.investigation
    assert renewed.needs == programme.needs
    assert [m.what for m in renewed.measures.all()] == ["Lästräning"]
    assert not renewed.decisions.exists()


def test_renewal_before_evaluation_is_refused(school):
    programme = _decided(school)
    with pytest.raises(StepRefused):
        programmes.programme_renew(actor=school.principal, programme_id=programme.pk)


def test_closing_is_an_appealable_decision_and_the_programme_stays(school):
    programme = _decided(school)
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


def test_two_deciders_at_once_only_one_decision(school):
    programme = _draft(school)
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


def _notified_decision(school, notified_on):
    decision = _decided(school).decisions.get()
    guardian = school.guardian.person
    decision_notify_party(
        actor=school.principal,
        decision=decision,
        party=guardian,
        notified_on=notified_on,
        method=PartyNotification.Method.IN_PERSON,
    )
    return decision, guardian


def test_an_appeal_in_time_is_forwarded_and_the_ruling_recorded(school):
    decision, guardian = _notified_decision(school, today())
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
    decision, guardian = _notified_decision(school, today())
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
    decision, guardian = _notified_decision(school, today())
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
    decision, _guardian = _notified_decision(school, today())
    with pytest.raises(DomainError):
        appeals.appeal_register(
            actor=school.principal,
            decision_id=decision.pk,
            appellant_id=school.teacher.person.pk,
            received_on=today(),
        )


def test_moving_school_new_unit_reuses_the_existing_investigation(school):
    programme = _decided(school)
    # the pupil leaves: the old unit closes the programme
    programmes.programme_close(
        actor=school.principal,
        programme_id=programme.pk,
        reasons="Eleven byter skola.",
        decided_on=today(),
    )
    old_placement = school.pupil.placements.get()
    org.placement_end(actor=None, placement=old_placement, end_date=today())
    new_unit = org.unit_create(
        actor=None,
        organiser=school.unit.organiser,
        name="Lönnskolan",
        school_unit_code="10000003",
        support_module_enabled=True,
    )
    org.placement_start(
        actor=None, pupil=school.pupil, unit=new_unit, school_year=5, start_date=today()
    )
    from .conftest import _staff

    new_principal = _staff("Nils Nyrektor", new_unit, "PRINCIPAL", today())
    new_inv = investigations.investigation_start(
        actor=new_principal,
        pupil=school.pupil,
        investigator_ids=[],
        planned_decision_date=None,
        based_on=programme.investigation,
    )
    assert new_inv.unit == new_unit
    assert new_inv.based_on == programme.investigation
    assert new_inv.assessment == programme.investigation.assessment
    # the old principal no longer reaches the pupil
    with pytest.raises(DomainError):
        investigations.investigation_start(
            actor=school.principal,
            pupil=school.pupil,
            investigator_ids=[],
            planned_decision_date=None,
        )


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
    decision = _decided(school).decisions.get()
    assert decision.appeal_instructions == (
        f"Egen text: skicka överklagandet till {school.unit.name} inom tre veckor."
    )


def test_a_second_investigation_cannot_start_while_one_is_in_progress(school):
    _investigation(school)
    with pytest.raises(DomainError):
        _investigation(school)
    assert Investigation.objects.filter(pupil=school.pupil).count() == 1
