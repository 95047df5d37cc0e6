"""Which steps may this user take on this object now: the one question views, templates, the
services (through ``transitions.advance``) and the API ask.

A step is a transition of ``workflow.TRANSITIONS`` that the table allows from the object's
state, whose ``actors`` include a kind the user is for this object, and whose guard (below)
holds. Each ``wf.Actor`` kind is resolved at most once per call, and only when a transition
from the current state names it, so a page asks a bounded number of queries. A few page
affordances that are not transitions are answered here too (``START_INVESTIGATION``, ...), so
no template or view combines roles and states.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model

from elevstod.core.actors import AnyUser
from elevstod.organisation.access import Right, pupil_grant, scope_for
from elevstod.organisation.models import SchoolUnit

from . import workflow as wf
from .access import may_edit_delegation_order, may_see_investigation
from .authority import active_delegations
from .models import ActionProgramme, Appeal, Decision, Investigation, Referral

# Affordances that are not transitions of the table.
START_INVESTIGATION = "start_investigation"  # from a referral (the principal)
SEE_INVESTIGATION = "see_investigation"  # open the investigation a referral/programme is on
SUPPORT_FORM_DECISION = "support_form_decision"  # the page of decisions on forms of support
EDIT_INVESTIGATION = "edit_investigation"  # write the mapping and assessment
INVITE_CONTRIBUTORS = "invite_contributors"  # the principal invites to an investigation
REGISTER_APPEAL = "register_appeal"  # the school registers an appeal of a decision
EDIT_DELEGATION_ORDER = "edit_delegation_order"  # the principal of the unit

# Steps that carry out or follow a decision already taken, not decide: the forms of support
# the law reserves to the principal (3 kap. 11, 11 a, 12 §§) do not restrict them.
_NOT_DECIDING = frozenset({"follow_up", "evaluate", "replace", "keep_in_force"})

# Conditions beyond state and actor, by transition code.
_GUARDS: dict[str, Callable[[Any], bool]] = {
    "programme.discard": lambda p: bool(p.is_renewal_copy),
    "appeal.dismiss_late": lambda a: not a.in_time,
    "appeal.forward": lambda a: bool(a.in_time),
}

_ENTITIES: dict[type[Model], wf.Entity] = {
    Referral: wf.Entity.REFERRAL,
    Investigation: wf.Entity.INVESTIGATION,
    ActionProgramme: wf.Entity.PROGRAMME,
    Appeal: wf.Entity.APPEAL,
}


class _Resolver:
    """The actor kinds of one user for one object, each resolved once, when first asked."""

    def __init__(self, actor: AnyUser, obj: Any) -> None:
        self.actor, self.obj = actor, obj
        self.person_id: int | None = getattr(actor, "person_id", None)
        self._cache: dict[str, bool] = {}
        self._delegated: frozenset[str] | None = None
        self._forms: set[str] | None = None

    @property
    def unit(self) -> SchoolUnit:
        obj = self.obj
        return obj.decision.unit if isinstance(obj, Appeal) else obj.unit

    def _once(self, key: str, compute: Callable[[], bool]) -> bool:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def principal(self) -> bool:
        return self._once(
            "principal", lambda: self.unit.pk in scope_for(self.actor).principal_units
        )

    def support_staff(self) -> bool:
        pupil = self.obj.decision.pupil if isinstance(self.obj, Appeal) else self.obj.pupil
        return self._once("support", lambda: pupil_grant(self.actor, pupil).has(Right.VIEW_SUPPORT))

    def responsible(self) -> bool:
        return self._once("responsible", self._is_responsible)

    def _is_responsible(self) -> bool:
        p = self.obj
        if self.person_id is None or not isinstance(p, ActionProgramme):
            return False
        if self.person_id in (p.follow_up_responsible_id, p.evaluation_responsible_id):
            return self.support_staff()
        found = p.measures.filter(responsible_id=self.person_id).exists()
        return found and self.support_staff()

    def investigator(self) -> bool:
        inv = self.obj.investigation if isinstance(self.obj, ActionProgramme) else self.obj
        if not isinstance(inv, Investigation):
            return False
        return self._once("investigator", lambda: may_see_investigation(self.actor, inv))

    def decider(self, t: wf.Transition) -> bool:
        """The principal; or a delegate under the delegation order for the decision, unless
        the programme has a form of support that cannot be delegated."""
        if self.principal():
            return True
        kind = t.decision or wf.DecisionKind.PROGRAMME
        if not wf.DECISIONS[kind].delegable or kind not in self.delegated():
            return False
        if isinstance(self.obj, ActionProgramme) and t.name not in _NOT_DECIDING:
            return wf.non_delegable_law(self.forms()) is None
        return True

    def delegated(self) -> frozenset[str]:
        if self._delegated is None:
            grants = active_delegations(self.unit).filter(delegate_id=self.person_id or 0)
            self._delegated = frozenset(grants.values_list("kind", flat=True))
        return self._delegated

    def forms(self) -> set[str]:
        if self._forms is None:
            self._forms = set(self.obj.measures.values_list("support_form", flat=True))
        return self._forms

    def is_(self, kind: wf.Actor, t: wf.Transition) -> bool:
        resolve: dict[wf.Actor, Callable[[], bool]] = {
            wf.Actor.SUPPORT_STAFF: self.support_staff,
            wf.Actor.PRINCIPAL: self.principal,
            wf.Actor.DECIDER: lambda: self.decider(t),
            wf.Actor.INVESTIGATOR: self.investigator,
            wf.Actor.RESPONSIBLE: self.responsible,
            wf.Actor.SCHOOL: self.principal,  # the principal, on behalf of the decision maker
        }
        return resolve[kind]()

    def may(self, t: wf.Transition) -> bool:
        guard = _GUARDS.get(t.code)
        if guard is not None and not guard(self.obj):
            return False
        return any(self.is_(kind, t) for kind in sorted(t.actors))


def entity_of(obj: Any) -> wf.Entity:
    return _ENTITIES[type(obj)]


def _transition_steps(r: _Resolver) -> set[str]:
    return {t.name for t in wf.allowed_from(entity_of(r.obj), r.obj.state) if r.may(t)}


def steps_for(actor: AnyUser, obj: Any) -> frozenset[str]:
    """The names of the steps ``actor`` may take on ``obj`` (a referral, investigation,
    programme, appeal or decision) now: transitions of the table and page affordances."""
    r = _Resolver(actor, obj)
    if isinstance(obj, Decision):
        return _decision_steps(r)
    steps = _transition_steps(r)
    if isinstance(obj, Referral):
        if "handle" in steps:
            steps.add(START_INVESTIGATION)
        investigation = obj.investigation
        if investigation is not None and may_see_investigation(actor, investigation):
            steps.add(SEE_INVESTIGATION)
    elif isinstance(obj, Investigation):
        open_ = obj.state == wf.InvestigationState.IN_PROGRESS
        if open_ and r.investigator():
            steps.add(EDIT_INVESTIGATION)
        if open_ and r.principal():
            steps.add(INVITE_CONTRIBUTORS)
    elif isinstance(obj, ActionProgramme):
        if steps & set(wf.SUPPORT_FORM_DECISIONS.values()):
            steps.add(SUPPORT_FORM_DECISION)
        if r.investigator():
            steps.add(SEE_INVESTIGATION)
    return frozenset(steps)


def _decision_steps(r: _Resolver) -> frozenset[str]:
    register = wf.transition(wf.Entity.APPEAL, "register")
    if r.obj.appealable and r.may(register):
        return frozenset({REGISTER_APPEAL})
    return frozenset()


def unit_steps(actor: AnyUser, unit: SchoolUnit) -> frozenset[str]:
    """What the actor may do on the unit's own pages: the delegation order (the principal)."""
    if may_edit_delegation_order(actor, unit):
        return frozenset({EDIT_DELEGATION_ORDER})
    return frozenset()


def may_take(actor: AnyUser, obj: Any, t: wf.Transition) -> bool:
    """Whether ``actor`` is one of the actor kinds of ``t`` for ``obj`` (state not checked)."""
    return any(_Resolver(actor, obj).is_(kind, t) for kind in sorted(t.actors))
