"""The declared workflow of special support (Skollagen 2010:800, 3 kap.; Förvaltningslagen
2017:900): the states, the allowed transitions, who may take each, which decisions they record,
which decisions are appealable and under which paragraph. Plain Python, no database.

Services look transitions up here and refuse anything that is not in the table; the table is
also what ``docs/workflow.md`` is generated from (``manage.py workflow_doc``). When the law moves
(SOU 2025:44 proposes new support forms from about 2028) this file is where it changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .appeal_period import (
    APPEAL_PERIOD,
    APPEAL_PERIOD_LAW,
    appeal_deadline,
    appeal_in_time,
    appeal_last_day,
    days_that_move_a_deadline,
)
from .decision_rules import (
    DECISIONS,
    NON_DELEGABLE_FORMS,
    PUPIL_PARTY_AGE,
    SUPPORT_FORM_DECISIONS,
    DecisionKind,
    DecisionRule,
    SupportForm,
    non_delegable_law,
)

# The appeal period and the decisions are part of the table; kept in modules of their own for
# the calendar arithmetic and the rules of each decision in law.
__all__ = [
    "APPEAL_PERIOD",
    "APPEAL_PERIOD_LAW",
    "DECISIONS",
    "NON_DELEGABLE_FORMS",
    "PUPIL_PARTY_AGE",
    "SUPPORT_FORM_DECISIONS",
    "DecisionKind",
    "DecisionRule",
    "SupportForm",
    "appeal_deadline",
    "appeal_in_time",
    "appeal_last_day",
    "days_that_move_a_deadline",
    "non_delegable_law",
]


class Entity(StrEnum):
    REFERRAL = "referral"
    INVESTIGATION = "investigation"
    PROGRAMME = "programme"
    APPEAL = "appeal"


class Actor(StrEnum):
    """Who may take a transition. Resolved against a pupil and a unit by the services."""

    SUPPORT_STAFF = "support_staff"  # teacher, mentor, principal or pupil health of the pupil
    PRINCIPAL = "principal"  # the principal of the unit
    DECIDER = "decider"  # the principal, or a delegate under the unit's delegation order
    INVESTIGATOR = "investigator"  # the principal, pupil health, named investigators/contributors
    RESPONSIBLE = "responsible"  # a person responsible for the programme or one of its measures
    SCHOOL = "school"  # the principal (on behalf of the decision maker) handling an appeal


class ReferralState(StrEnum):
    OPEN = "OPEN"
    HANDLED = "HANDLED"


class InvestigationState(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    PROGRAMME_TO_BE_DRAWN_UP = "PROGRAMME_TO_BE_DRAWN_UP"
    NO_PROGRAMME = "NO_PROGRAMME"


class ProgrammeState(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    DECIDED = "DECIDED"
    EVALUATED = "EVALUATED"
    # A new programme is drafted as a copy; this one stays in force until the copy is decided.
    BEING_RENEWED = "BEING_RENEWED"
    REPLACED = "REPLACED"
    CLOSED = "CLOSED"
    DISCARDED = "DISCARDED"  # an undecided renewal copy that was not wanted


class AppealState(StrEnum):
    RECEIVED = "RECEIVED"
    DISMISSED_LATE = "DISMISSED_LATE"
    RECONSIDERED = "RECONSIDERED"
    FORWARDED = "FORWARDED"
    RULED = "RULED"


@dataclass(frozen=True)
class Transition:
    entity: Entity
    name: str
    sources: frozenset[str]  # empty: the transition creates the entity
    target: str
    actors: frozenset[Actor]
    decision: DecisionKind | None = None
    law: str = ""
    note: str = ""

    @property
    def code(self) -> str:
        return f"{self.entity}.{self.name}"


def _t(
    entity: Entity,
    name: str,
    sources: tuple[str, ...],
    target: str,
    *actors: Actor,
    decision: DecisionKind | None = None,
    law: str = "",
    note: str = "",
) -> Transition:
    return Transition(
        entity, name, frozenset(sources), target, frozenset(actors), decision, law, note
    )


R, Inv, P, A = ReferralState, InvestigationState, ProgrammeState, AppealState

# The states in which a programme is in force: decided and not yet closed or replaced. A
# programme being renewed stays in force until the new one is decided (DOMAIN.md, validity).
IN_FORCE: tuple[ProgrammeState, ...] = (P.DECIDED, P.EVALUATED, P.BEING_RENEWED)
# Not yet decided: the programme can still be edited (and is locked once decided).
UNDECIDED: tuple[ProgrammeState, ...] = (P.DRAFT, P.SUBMITTED)
# When the pupil has special support going on, which the family is told exists (not what).
ONGOING_PROGRAMME: tuple[ProgrammeState, ...] = (*UNDECIDED, *IN_FORCE)
ONGOING_INVESTIGATION: tuple[InvestigationState, ...] = (Inv.IN_PROGRESS,)

TRANSITIONS: tuple[Transition, ...] = (
    _t(
        Entity.REFERRAL,
        "submit",
        (),
        R.OPEN,
        Actor.SUPPORT_STAFF,
        law="3 kap. 7 § skollagen",
        note="Any staff member of the pupil reports to the principal.",
    ),
    _t(
        Entity.REFERRAL,
        "handle",
        (R.OPEN,),
        R.HANDLED,
        Actor.PRINCIPAL,
        law="3 kap. 7 § skollagen",
        note="The principal starts or links an investigation.",
    ),
    _t(
        Entity.INVESTIGATION,
        "start",
        (),
        Inv.IN_PROGRESS,
        Actor.PRINCIPAL,
        law="3 kap. 7 § skollagen",
        note="Promptly; may start from an existing investigation of an earlier unit.",
    ),
    _t(
        Entity.INVESTIGATION,
        "conclude_with_programme",
        (Inv.IN_PROGRESS,),
        Inv.PROGRAMME_TO_BE_DRAWN_UP,
        Actor.DECIDER,
        law="3 kap. 9 § skollagen",
        note="The investigation shows a need of special support: a programme is drafted.",
    ),
    _t(
        Entity.INVESTIGATION,
        "conclude_without_programme",
        (Inv.IN_PROGRESS,),
        Inv.NO_PROGRAMME,
        Actor.DECIDER,
        decision=DecisionKind.NO_PROGRAMME,
        law="3 kap. 9 § skollagen",
    ),
    _t(
        Entity.PROGRAMME,
        "draft",
        (),
        P.DRAFT,
        Actor.DECIDER,
        note="From an investigation that concluded with a programme, or as a new programme.",
    ),
    _t(
        Entity.PROGRAMME,
        "edit",
        (P.DRAFT, P.SUBMITTED),
        "",
        Actor.SUPPORT_STAFF,
        note="Target empty: the state does not change. A decided programme is locked.",
    ),
    _t(
        Entity.PROGRAMME,
        "submit",
        (P.DRAFT,),
        P.SUBMITTED,
        Actor.SUPPORT_STAFF,
        note="A drafter without delegation submits the programme for decision.",
    ),
    _t(Entity.PROGRAMME, "return_to_draft", (P.SUBMITTED,), P.DRAFT, Actor.DECIDER),
    _t(
        Entity.PROGRAMME,
        "decide",
        (P.DRAFT, P.SUBMITTED),
        P.DECIDED,
        Actor.DECIDER,
        decision=DecisionKind.PROGRAMME,
        law="3 kap. 9 § skollagen",
    ),
    _t(
        Entity.PROGRAMME,
        "follow_up",
        (P.DECIDED,),
        "",
        Actor.RESPONSIBLE,
        Actor.DECIDER,
        note="Any number of follow-ups, at any time.",
    ),
    _t(
        Entity.PROGRAMME,
        "evaluate",
        (P.DECIDED,),
        P.EVALUATED,
        Actor.RESPONSIBLE,
        Actor.DECIDER,
        note="Exactly one evaluation per programme.",
    ),
    _t(
        Entity.PROGRAMME,
        "renew",
        (P.EVALUATED,),
        P.BEING_RENEWED,
        Actor.DECIDER,
        note="After confirmation, a new programme: an editable copy on the same investigation, "
        "decided anew. This one stays in force until the copy is decided.",
    ),
    _t(
        Entity.PROGRAMME,
        "replace",
        (P.BEING_RENEWED,),
        P.REPLACED,
        Actor.DECIDER,
        law="3 kap. 9 § skollagen",
        note="Only in the same transaction as the decision on the new programme.",
    ),
    _t(
        Entity.PROGRAMME,
        "discard",
        (P.DRAFT, P.SUBMITTED),
        P.DISCARDED,
        Actor.DECIDER,
        note="Only an undecided renewal copy; the programme it copies stays in force.",
    ),
    _t(
        Entity.PROGRAMME,
        "keep_in_force",
        (P.BEING_RENEWED,),
        P.EVALUATED,
        Actor.DECIDER,
        note="Its renewal copy was discarded: the programme goes on as before.",
    ),
    *(
        _t(
            Entity.PROGRAMME,
            name,
            IN_FORCE,
            "",
            Actor.PRINCIPAL,
            decision=kind,
            law=DECISIONS[kind].law,
            note="A decision of its own beside the programme; the principal only.",
        )
        for kind, name in SUPPORT_FORM_DECISIONS.items()
    ),
    _t(
        Entity.PROGRAMME,
        "close",
        (P.DECIDED, P.EVALUATED),
        P.CLOSED,
        Actor.DECIDER,
        decision=DecisionKind.CLOSE_PROGRAMME,
        law="3 kap. 9 § skollagen",
        note="When the need is gone, the pupil leaves the unit, or a new investigation is due.",
    ),
    _t(
        Entity.APPEAL,
        "register",
        (),
        A.RECEIVED,
        Actor.SCHOOL,
        law="43 § förvaltningslagen",
        note="The appeal is lodged with the school.",
    ),
    _t(
        Entity.APPEAL,
        "dismiss_late",
        (A.RECEIVED,),
        A.DISMISSED_LATE,
        Actor.SCHOOL,
        decision=DecisionKind.APPEAL_DISMISSED,
        law="45 § förvaltningslagen",
        note="Only an appeal that came in after the period.",
    ),
    _t(
        Entity.APPEAL,
        "reconsider",
        (A.RECEIVED,),
        A.RECONSIDERED,
        Actor.SCHOOL,
        law="37–39 §§ förvaltningslagen",
        note="The school changes its decision as the appellant asks: the appeal lapses.",
    ),
    _t(
        Entity.APPEAL,
        "forward",
        (A.RECEIVED,),
        A.FORWARDED,
        Actor.SCHOOL,
        law="46 § förvaltningslagen",
        note="Forwarded to the School Appeals Board (Skolväsendets överklagandenämnd).",
    ),
    _t(
        Entity.APPEAL,
        "record_ruling",
        (A.FORWARDED,),
        A.RULED,
        Actor.SCHOOL,
        law="28 kap. 16 § skollagen",
        note="The Board's ruling is final.",
    ),
)

STATES: dict[Entity, tuple[str, ...]] = {
    Entity.REFERRAL: tuple(ReferralState),
    Entity.INVESTIGATION: tuple(InvestigationState),
    Entity.PROGRAMME: tuple(ProgrammeState),
    Entity.APPEAL: tuple(AppealState),
}
FINAL_STATES: dict[Entity, frozenset[str]] = {
    Entity.REFERRAL: frozenset({R.HANDLED}),
    Entity.INVESTIGATION: frozenset({Inv.PROGRAMME_TO_BE_DRAWN_UP, Inv.NO_PROGRAMME}),
    Entity.PROGRAMME: frozenset({P.REPLACED, P.CLOSED, P.DISCARDED}),
    Entity.APPEAL: frozenset({A.DISMISSED_LATE, A.RECONSIDERED, A.RULED}),
}

_BY_CODE: dict[str, Transition] = {t.code: t for t in TRANSITIONS}


class TransitionRefused(Exception):
    """The table has no such transition from the current state."""

    def __init__(self, code: str, state: str | None) -> None:
        super().__init__(f"{code} is not allowed from {state!r}")
        self.code = code
        self.state = state


def transition(entity: Entity, name: str) -> Transition:
    return _BY_CODE[f"{entity}.{name}"]


def check(entity: Entity, name: str, state: str | None) -> Transition:
    """The transition, if the table allows it from ``state`` (None: the entity is new)."""
    t = transition(entity, name)
    allowed = (state is None and not t.sources) or (state is not None and state in t.sources)
    if not allowed:
        raise TransitionRefused(t.code, state)
    return t


def target_state(t: Transition, state: str | None) -> str:
    """Where the transition leads; transitions with an empty target keep the state."""
    return t.target or (state or "")


def allowed_from(entity: Entity, state: str | None) -> list[Transition]:
    """The transitions of ``entity`` from ``state``; from None (a new one) those creating it."""
    if state is None:
        return [t for t in TRANSITIONS if t.entity == entity and not t.sources]
    return [t for t in TRANSITIONS if t.entity == entity and state in t.sources]
