"""The workflow table alone: no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elevstod.support import workflow as wf


def _reachable(entity: wf.Entity) -> set[str]:
    start = {t.target for t in wf.TRANSITIONS if t.entity == entity and not t.sources}
    seen, frontier = set(start), list(start)
    while frontier:
        state = frontier.pop()
        for t in wf.allowed_from(entity, state):
            nxt = wf.target_state(t, state)
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return seen


@pytest.mark.parametrize("entity", list(wf.Entity))
def test_every_state_is_reachable(entity):
    assert _reachable(entity) == set(wf.STATES[entity])


@pytest.mark.parametrize("entity", list(wf.Entity))
def test_final_states_have_no_way_out(entity):
    for state in wf.FINAL_STATES[entity]:
        assert wf.allowed_from(entity, state) == []


def test_closed_programme_cannot_be_reopened_edited_or_evaluated():
    for name in ("edit", "decide", "evaluate", "follow_up", "renew", "close"):
        with pytest.raises(wf.TransitionRefused):
            wf.check(wf.Entity.PROGRAMME, name, wf.ProgrammeState.CLOSED)


def test_decided_programme_is_locked_against_editing():
    with pytest.raises(wf.TransitionRefused):
        wf.check(wf.Entity.PROGRAMME, "edit", wf.ProgrammeState.DECIDED)
    assert wf.check(wf.Entity.PROGRAMME, "edit", wf.ProgrammeState.DRAFT)


def test_there_is_exactly_one_evaluation_per_programme():
    wf.check(wf.Entity.PROGRAMME, "evaluate", wf.ProgrammeState.DECIDED)
    with pytest.raises(wf.TransitionRefused):
        wf.check(wf.Entity.PROGRAMME, "evaluate", wf.ProgrammeState.EVALUATED)


def test_decisions_that_the_law_makes_appealable_are_appealable():
    for kind in (
        wf.DecisionKind.PROGRAMME,
        wf.DecisionKind.NO_PROGRAMME,
        wf.DecisionKind.CLOSE_PROGRAMME,
    ):
        rule = wf.DECISIONS[kind]
        assert rule.appealable
        assert rule.appeal_law.startswith("28 kap. 16 §")


def test_every_deciding_transition_names_its_law():
    for t in wf.TRANSITIONS:
        if t.decision is not None:
            assert t.law
            assert wf.DECISIONS[t.decision].law


@pytest.mark.parametrize(
    ("form", "law"),
    [
        (wf.SupportForm.SPECIAL_GROUP, "3 kap. 11 §"),
        (wf.SupportForm.INDIVIDUAL, "3 kap. 11 §"),
        (wf.SupportForm.DISTANCE, "3 kap. 11 a §"),
        (wf.SupportForm.ADJUSTED_STUDY_PLAN, "3 kap. 12 §"),
    ],
)
def test_special_group_individual_distance_and_adjusted_study_plan_are_not_delegable(form, law):
    assert law in (wf.non_delegable_law({form}) or "")


def test_ordinary_measures_are_delegable():
    assert wf.non_delegable_law({wf.SupportForm.ORDINARY}) is None


def test_the_appeal_period_is_three_weeks_from_notification():
    notified = dt.date(2026, 11, 2)  # a Monday
    assert wf.appeal_deadline(notified) == dt.date(2026, 11, 23)
    assert wf.appeal_in_time(notified_on=notified, received_on=dt.date(2026, 11, 23))
    assert not wf.appeal_in_time(notified_on=notified, received_on=dt.date(2026, 11, 24))


def test_an_appeal_period_ending_on_a_sunday_runs_to_monday():
    notified = dt.date(2026, 11, 8)  # a Sunday: three weeks later is a Sunday
    assert wf.appeal_in_time(notified_on=notified, received_on=dt.date(2026, 11, 30))
    assert not wf.appeal_in_time(notified_on=notified, received_on=dt.date(2026, 12, 1))


def test_a_party_never_notified_is_always_in_time():
    assert wf.appeal_in_time(notified_on=None, received_on=dt.date(2030, 1, 1))


NAMES = sorted({t.name for t in wf.TRANSITIONS if t.entity == wf.Entity.PROGRAMME and t.sources})


@given(st.lists(st.sampled_from(NAMES), max_size=30))
def test_random_sequences_of_programme_steps_keep_the_invariants(steps):
    """Whatever users try, in any order: a programme is decided before it is evaluated,
    evaluated at most once, and nothing moves after it is closed or replaced."""
    state = wf.ProgrammeState.DRAFT
    decided = evaluations = 0
    for name in steps:
        try:
            t = wf.check(wf.Entity.PROGRAMME, name, state)
        except wf.TransitionRefused:
            continue
        assert state not in wf.FINAL_STATES[wf.Entity.PROGRAMME]
        if name == "decide":
            decided += 1
        if name == "evaluate":
            assert decided == 1
            evaluations += 1
        state = wf.ProgrammeState(wf.target_state(t, state))
    assert decided <= 1
    assert evaluations <= 1


def test_docs_workflow_md_is_generated_from_the_table():
    from pathlib import Path

    from django.conf import settings

    from elevstod.support.workflow_doc import render

    doc = Path(settings.PROJECT_DIR) / "docs" / "workflow.md"
    assert doc.read_text(encoding="utf-8") == render(), "run `python manage.py workflow_doc`"


@pytest.mark.parametrize(
    ("notified", "last_day"),
    [
        (dt.date(2026, 12, 3), dt.date(2026, 12, 28)),  # julafton, juldagen, weekend
        (dt.date(2026, 5, 29), dt.date(2026, 6, 22)),  # midsommarafton, midsommardagen
        (dt.date(2026, 3, 13), dt.date(2026, 4, 7)),  # långfredag .. annandag påsk
        (dt.date(2026, 11, 2), dt.date(2026, 11, 23)),  # an ordinary Monday
    ],
)
def test_an_appeal_period_ending_on_a_holiday_or_eve_runs_to_the_next_weekday(notified, last_day):
    assert wf.appeal_last_day(notified) == last_day
    assert wf.appeal_in_time(notified_on=notified, received_on=last_day)
    assert not wf.appeal_in_time(notified_on=notified, received_on=last_day + dt.timedelta(days=1))


# --- renewal: the old programme stays in force until the new one is decided --------------------


def test_a_programme_being_renewed_is_still_in_force():
    t = wf.check(wf.Entity.PROGRAMME, "renew", wf.ProgrammeState.EVALUATED)
    assert t.target == wf.ProgrammeState.BEING_RENEWED
    assert wf.ProgrammeState.BEING_RENEWED in wf.IN_FORCE
    assert wf.ProgrammeState.REPLACED not in wf.IN_FORCE


def test_only_a_programme_being_renewed_can_be_replaced():
    wf.check(wf.Entity.PROGRAMME, "replace", wf.ProgrammeState.BEING_RENEWED)
    for state in set(wf.ProgrammeState) - {wf.ProgrammeState.BEING_RENEWED}:
        with pytest.raises(wf.TransitionRefused):
            wf.check(wf.Entity.PROGRAMME, "replace", state)


def test_a_decided_programme_cannot_be_discarded():
    wf.check(wf.Entity.PROGRAMME, "discard", wf.ProgrammeState.DRAFT)
    for state in wf.IN_FORCE:
        with pytest.raises(wf.TransitionRefused):
            wf.check(wf.Entity.PROGRAMME, "discard", state)


@given(st.lists(st.sampled_from(["renew", "discard", "decide_copy", "close"]), max_size=30))
def test_random_renewals_leave_exactly_one_programme_in_force(steps):
    """An evaluated programme and its copies, whatever is tried in whatever order: until the
    old one is closed, exactly one programme is in force at every moment."""
    old: str = wf.ProgrammeState.EVALUATED
    copy: str | None = None

    def take(state: str, name: str) -> str | None:
        try:
            return wf.target_state(wf.check(wf.Entity.PROGRAMME, name, state), state)
        except wf.TransitionRefused:
            return None

    for step in steps:
        if step == "renew" and (new_old := take(old, "renew")):
            old, copy = new_old, wf.ProgrammeState.DRAFT
        elif step == "discard" and copy and (gone := take(copy, "discard")):
            kept = take(old, "keep_in_force")
            assert kept is not None
            old, copy = kept, None
            assert gone == wf.ProgrammeState.DISCARDED
        elif step == "decide_copy" and copy and (decided := take(copy, "decide")):
            replaced = take(old, "replace")
            assert replaced is not None  # the service replaces it in the same transaction
            old, copy = decided, None
        elif step == "close" and (closed := take(old, "close")):
            old = closed
        in_force = [s for s in (old, copy) if s in wf.IN_FORCE]
        if old != wf.ProgrammeState.CLOSED:
            assert len(in_force) == 1


# --- every decision the law knows --------------------------------------------------------------


def test_every_decision_kind_has_its_rule_with_its_paragraph():
    assert set(wf.DECISIONS) == set(wf.DecisionKind)
    for kind, rule in wf.DECISIONS.items():
        assert rule.kind == kind
        assert rule.law
        assert rule.appeal_law


@pytest.mark.parametrize(
    ("kind", "law"),
    [
        (wf.DecisionKind.SPECIAL_GROUP, "3 kap. 11 §"),
        (wf.DecisionKind.INDIVIDUAL_TUITION, "3 kap. 11 §"),
        (wf.DecisionKind.ADJUSTED_STUDY_PLAN, "3 kap. 12 §"),
    ],
)
def test_special_group_individual_tuition_and_study_plan_are_appealable_and_the_principals(
    kind, law
):
    rule = wf.DECISIONS[kind]
    assert rule.appealable
    assert law in rule.law
    assert rule.appeal_law.startswith("28 kap. 16 §")
    assert not rule.delegable


def test_a_decision_not_to_place_in_a_special_group_cannot_be_appealed():
    rule = wf.DECISIONS[wf.DecisionKind.NO_SPECIAL_GROUP]
    assert not rule.appealable
    assert rule.appeal_law.startswith("28 kap. 16 §")
    assert "3 kap. 11 §" in rule.law


@pytest.mark.parametrize("kind", list(wf.SUPPORT_FORM_DECISIONS))
def test_each_decision_on_a_form_of_support_is_the_principals_transition_on_a_programme_in_force(
    kind,
):
    t = wf.transition(wf.Entity.PROGRAMME, wf.SUPPORT_FORM_DECISIONS[kind])
    assert t.decision == kind
    assert t.actors == {wf.Actor.PRINCIPAL}
    assert t.sources == set(wf.IN_FORCE)
    assert t.target == ""  # the programme's state does not change
