"""Who may act is asked in one place: ``steps.steps_for`` offers every transition of the
workflow table to exactly the actors the table names, and ``transitions.advance`` refuses the
others."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.access import pupil_grant
from elevstod.support import workflow as wf
from elevstod.support.models import (
    ActionProgramme,
    Appeal,
    Investigation,
    PartyNotification,
    Referral,
)
from elevstod.support.services import appeals, delegation, investigations, programmes
from elevstod.support.services.decisions import decision_notify_party
from elevstod.support.services.transitions import advance
from elevstod.support.steps import REGISTER_APPEAL, START_INVESTIGATION, pupil_steps, steps_for
from tests.builders import decided_programme

A = wf.Actor
ROLES = ("principal", "teacher", "mentor", "health", "colleague", "admin", "plain_principal")
ROLES_WITH_GUARDIAN = (*ROLES, "guardian")
DELEGATED = (wf.DecisionKind.PROGRAMME, wf.DecisionKind.NO_PROGRAMME)


def _kinds(role: str, t: wf.Transition) -> set[wf.Actor]:
    """What each role of the school is for the case below, written out by hand: the principal
    is everything; the teacher is responsible for a measure and the follow-up; the mentor has
    the unit's delegation for the programme and the investigation's decisions (not closing);
    pupil health investigates. The others do not work with the pupil's support."""
    delegated = (t.decision or wf.DecisionKind.PROGRAMME) in DELEGATED
    return {
        "principal": set(A),
        "teacher": {A.SUPPORT_STAFF, A.RESPONSIBLE},
        "mentor": {A.SUPPORT_STAFF, *([A.DECIDER] if delegated else [])},
        "health": {A.SUPPORT_STAFF, A.INVESTIGATOR},
    }.get(role, set())


def _content(school, form=wf.SupportForm.ORDINARY):
    return programmes.ProgrammeInput(
        needs="Stöd i läsförståelse.",
        follow_up_plan="Varannan vecka.",
        evaluation_date=today() + dt.timedelta(days=90),
        follow_up_responsible_id=school.teacher.person.pk,
        evaluation_responsible_id=school.principal.person.pk,
        pupil_participated=True,
        guardians_participated=True,
        participation_views="",
        measures=[
            programmes.MeasureInput(
                what="Lästräning",
                how="Enskilt",
                how_much="3 x 20 min/vecka",
                responsible_id=school.teacher.person.pk,
                support_form=form,
            )
        ],
    )


@pytest.fixture
def case(school):
    """A referral, its investigation, a decided programme on it and an appeal of the decision."""
    for kind in DELEGATED:
        delegation.delegation_grant(
            actor=school.principal,
            unit=school.unit,
            delegate=school.mentor.person,
            kind=kind,
            valid_from=today(),
        )
    referral = investigations.referral_submit(
        actor=school.teacher, pupil=school.pupil, tried="Extra tid.", why="Räcker inte."
    )
    inv = investigations.investigation_start(
        actor=school.principal,
        pupil=school.pupil,
        investigator_ids=[school.health.person.pk],
        planned_decision_date=today() + dt.timedelta(days=14),
        referral=referral,
    )
    inv = investigations.investigation_update(
        actor=school.health,
        investigation_id=inv.pk,
        expected_version=inv.version,
        data=investigations.InvestigationInput(
            mapping_individual="Läser långsamt.",
            mapping_group="Stor grupp.",
            mapping_school="Få speciallärare.",
            assessment="Behöver särskilt stöd.",
            health_consulted=True,
        ),
    )
    draft = investigations.investigation_conclude_with_programme(
        actor=school.principal, investigation_id=inv.pk, expected_version=inv.version
    )
    draft = programmes.programme_update(
        actor=school.teacher,
        programme_id=draft.pk,
        expected_version=draft.version,
        data=_content(school),
    )
    programme = programmes.programme_decide(
        actor=school.principal,
        programme_id=draft.pk,
        expected_version=draft.version,
        reasons="Utredningen visar behov.",
        decided_on=today(),
    )
    decision = programme.decisions.get()
    decision_notify_party(
        actor=school.principal,
        decision=decision,
        party=school.guardian.person,
        notified_on=today(),
        method=PartyNotification.Method.IN_PERSON,
    )
    appeal = appeals.appeal_register(
        actor=school.principal,
        decision_id=decision.pk,
        appellant_id=school.guardian.person.pk,
        received_on=today(),
    )
    referral.refresh_from_db()
    inv.refresh_from_db()
    objects = {
        wf.Entity.REFERRAL: referral,
        wf.Entity.INVESTIGATION: inv,
        wf.Entity.PROGRAMME: programme,
        wf.Entity.APPEAL: appeal,
    }
    return objects, decision


def _meeting_its_guard(obj, t: wf.Transition, state: str):
    """The object as it stands in ``state`` (in memory), with the transition's own condition
    met: a renewal copy to discard, a late appeal to dismiss, one in time to forward."""
    obj.state = state
    if t.entity == wf.Entity.PROGRAMME:
        obj.previous_id = obj.pk if t.name == "discard" else None
    if t.entity == wf.Entity.APPEAL:
        obj.in_time = t.name != "dismiss_late"
    return obj


def _new(school, objects, decision, entity: wf.Entity):
    """An object of ``entity`` not yet written, as the service creating it builds it."""
    unit, pupil = school.unit, school.pupil
    return {
        wf.Entity.REFERRAL: lambda: Referral(pupil=pupil, unit=unit),
        wf.Entity.INVESTIGATION: lambda: Investigation(pupil=pupil, unit=unit),
        wf.Entity.PROGRAMME: lambda: ActionProgramme(
            pupil=pupil, unit=unit, investigation=objects[wf.Entity.INVESTIGATION]
        ),
        wf.Entity.APPEAL: lambda: Appeal(decision=decision),
    }[entity]()


def test_four_transitions_of_the_table_create_a_case():
    creating = {t.code for t in wf.TRANSITIONS if not t.sources}
    assert creating == {
        "referral.submit",
        "investigation.start",
        "programme.draft",
        "appeal.register",
    }


@pytest.mark.parametrize("t", wf.TRANSITIONS, ids=lambda t: t.code)
def test_every_transition_is_offered_to_exactly_the_actors_the_table_names(school, case, t):
    objects, decision = case
    if not t.sources:  # it creates the object: asked of one not yet written
        for role in ROLES_WITH_GUARDIAN:
            offered = t.name in steps_for(
                getattr(school, role), _new(school, objects, decision, t.entity)
            )
            assert offered == bool(_kinds(role, t) & t.actors), role
        return
    obj = objects[t.entity]
    for state in sorted(t.sources):
        _meeting_its_guard(obj, t, state)
        for role in ROLES_WITH_GUARDIAN:
            offered = t.name in steps_for(getattr(school, role), obj)
            expected = bool(_kinds(role, t) & t.actors)
            assert offered == expected, (role, state)


@pytest.mark.parametrize("code", ["referral.submit", "investigation.start"])
def test_the_pupil_page_offers_to_start_a_case_to_exactly_the_actors_the_table_names(school, code):
    t = wf.transition(*code.split("."))
    for role in ROLES_WITH_GUARDIAN:
        user = getattr(school, role)
        offered = code in pupil_steps(user, pupil_grant(user, school.pupil))
        assert offered == bool(_kinds(role, t) & t.actors), role


@pytest.mark.parametrize(
    "start",
    [
        lambda s: investigations.referral_submit(
            actor=s.admin, pupil=s.pupil, tried="Extra tid.", why="Räcker inte."
        ),
        lambda s: investigations.investigation_start(
            actor=s.health, pupil=s.pupil, investigator_ids=[], planned_decision_date=None
        ),
    ],
    ids=["an administrator reports", "pupil health starts an investigation"],
)
def test_a_case_is_not_created_by_an_actor_the_table_does_not_name(school, start):
    with pytest.raises(DomainError) as refused:
        start(school)
    assert refused.value.code == "forbidden"
    assert not Referral.objects.exists()
    assert not Investigation.objects.exists()


def test_an_appeal_is_registered_only_by_the_school(school, case):
    _objects, decision = case
    with pytest.raises(DomainError) as refused:
        appeals.appeal_register(
            actor=school.mentor,
            decision_id=decision.pk,
            appellant_id=school.guardian.person.pk,
            received_on=today(),
        )
    assert refused.value.code == "forbidden"
    assert decision.appeals.count() == 1  # the one the principal registered


def test_a_step_is_offered_only_from_the_states_the_table_allows(school, case):
    objects, _decision = case
    programme = objects[wf.Entity.PROGRAMME]
    assert "close" in steps_for(school.principal, programme)
    programme.state = wf.ProgrammeState.DRAFT
    assert "close" not in steps_for(school.principal, programme)


def test_only_the_school_is_offered_to_register_an_appeal(school, case):
    _objects, decision = case
    for role in ROLES_WITH_GUARDIAN:
        offered = REGISTER_APPEAL in steps_for(getattr(school, role), decision)
        assert offered == (role == "principal"), role


def test_only_the_principal_is_offered_to_start_an_investigation_from_a_referral(school, case):
    objects, _decision = case
    referral = objects[wf.Entity.REFERRAL]
    referral.state = wf.ReferralState.OPEN
    for role in ROLES_WITH_GUARDIAN:
        offered = START_INVESTIGATION in steps_for(getattr(school, role), referral)
        assert offered == (role == "principal"), role


def test_a_handled_referral_offers_no_new_investigation(school, case):
    objects, _decision = case
    assert START_INVESTIGATION not in steps_for(school.principal, objects[wf.Entity.REFERRAL])


def test_delegated_teacher_is_offered_to_decide_an_ordinary_programme(school, case):
    objects, _decision = case
    programme = objects[wf.Entity.PROGRAMME]
    programme.state = wf.ProgrammeState.SUBMITTED
    assert "decide" in steps_for(school.mentor, programme)


def test_delegated_teacher_is_not_offered_to_decide_a_special_teaching_group(school, case):
    objects, _decision = case
    programme = objects[wf.Entity.PROGRAMME]
    programme.measures.update(support_form=wf.SupportForm.SPECIAL_GROUP)
    programme.state = wf.ProgrammeState.SUBMITTED
    assert "decide" not in steps_for(school.mentor, programme)
    assert "decide" in steps_for(school.principal, programme)


def test_advance_refuses_an_actor_the_table_does_not_name(school, case):
    objects, _decision = case
    programme = objects[wf.Entity.PROGRAMME]
    with pytest.raises(DomainError) as refused:
        advance(programme, wf.Entity.PROGRAMME, "close", actor=school.mentor)
    assert refused.value.code == "forbidden"
    programme.refresh_from_db()
    assert programme.state == wf.ProgrammeState.DECIDED


def test_advance_lets_the_responsible_teacher_take_the_step(school, case):
    objects, _decision = case
    programme = objects[wf.Entity.PROGRAMME]
    advance(programme, wf.Entity.PROGRAMME, "evaluate", actor=school.teacher)
    assert programme.state == wf.ProgrammeState.EVALUATED


def test_the_steps_of_a_programme_take_a_bounded_number_of_queries(
    school, case, django_assert_max_num_queries
):
    objects, _decision = case
    programme = objects[wf.Entity.PROGRAMME]
    steps_for(school.mentor, programme)  # the user's scope is read once per request
    with django_assert_max_num_queries(6):
        steps_for(school.mentor, programme)


def test_a_service_asks_the_table_so_a_changed_actor_list_is_followed(school, monkeypatch):
    # given a table in which anyone who works with the pupil's support follows up a programme
    programme = decided_programme(school)  # the teacher is responsible; the mentor is not
    follow_up = wf.transition(wf.Entity.PROGRAMME, "follow_up")
    with pytest.raises(DomainError):
        programmes.programme_follow_up(
            actor=school.mentor, programme_id=programme.pk, date=today(), text="Går bra."
        )
    wider = dataclasses.replace(follow_up, actors=frozenset({A.SUPPORT_STAFF}))
    monkeypatch.setitem(wf._BY_CODE, follow_up.code, wider)
    # when the mentor follows it up, then the service lets them: no second rule refuses
    done = programmes.programme_follow_up(
        actor=school.mentor, programme_id=programme.pk, date=today(), text="Går bra."
    )
    assert done.created_by == school.mentor
