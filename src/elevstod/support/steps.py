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

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Model
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.core.actors import AnyUser
from elevstod.core.compiled import Ids
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.core.unions import Branches, Rows
from elevstod.organisation.access import Grant, Right, pupil_grant
from elevstod.organisation.models import Person, Placement, SchoolUnit

from . import workflow as wf
from .access import (
    investigations_seen_by,
    is_principal_of,
    may_edit_delegation_order,
    may_edit_library,
    may_see_investigation,
    require_support_staff,
    support_unit_among,
)
from .authority import FORM_LABELS, active_delegations, not_the_principal
from .models import ActionProgramme, Appeal, Decision, Investigation, Measure, Referral

_KIND = {"text1": F("kind")}

# Affordances that are not transitions of the table.
START_INVESTIGATION = "start_investigation"  # from a referral (the principal)
SEE_INVESTIGATION = "see_investigation"  # open the investigation a referral/programme is on
SUPPORT_FORM_DECISION = "support_form_decision"  # the page of decisions on forms of support
EDIT_INVESTIGATION = "edit_investigation"  # write the mapping and assessment
INVITE_CONTRIBUTORS = "invite_contributors"  # the principal invites to an investigation
REGISTER_APPEAL = "register_appeal"  # the school registers an appeal of a decision
EDIT_DELEGATION_ORDER = "edit_delegation_order"  # the principal of the unit
EDIT_LIBRARY = "edit_library"  # the principal keeps the unit's library of adaptations

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


@dataclass(frozen=True)
class Known:
    """What a page has read already of what ``steps_for`` would ask (``programme_questions``):
    the programme's measures, the actor's delegations at its unit, whether they see its
    investigation. None: not read, asked when needed."""

    measures: list[Measure] | None = None
    delegated: frozenset[str] | None = None
    sees_investigation: bool | None = None


class _Resolver:
    """The actor kinds of one user for one object, each resolved once, when first asked."""

    def __init__(
        self, actor: AnyUser, obj: Any, grant: Grant | None = None, known: Known = Known()
    ) -> None:
        self.actor, self.obj = actor, obj
        self.person_id: int | None = getattr(actor, "person_id", None)
        self._cache: dict[str, bool] = {}
        if grant is not None:  # the actor's grant on the object's pupil, read already
            self._cache["support"] = grant.has(Right.VIEW_SUPPORT)
        if known.sees_investigation is not None:
            self._cache["investigator"] = known.sees_investigation
        self._delegated: frozenset[str] | None = known.delegated
        self._measures = known.measures
        self._forms: set[str] | None = None

    @property
    def unit(self) -> SchoolUnit:
        obj = self.obj
        return obj.decision.unit if isinstance(obj, Appeal) else obj.unit

    def _once(self, key: str, compute: Callable[[], bool]) -> bool:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @property
    def pupil(self) -> Person:
        obj = self.obj
        return obj.decision.pupil if isinstance(obj, Appeal) else obj.pupil

    def principal(self) -> bool:
        return self._once("principal", lambda: is_principal_of(self.actor, self.unit))

    def support_staff(self) -> bool:
        return self._once("support", self._works_with_support)

    def _works_with_support(self) -> bool:
        return pupil_grant(self.actor, self.pupil).has(Right.VIEW_SUPPORT)

    def responsible(self) -> bool:
        return self._once("responsible", self._is_responsible)

    def _is_responsible(self) -> bool:
        """Responsible for the follow-up, the evaluation or a measure, and working with the
        pupil's support: the one definition of ``Actor.RESPONSIBLE``."""
        p = self.obj
        if self.person_id is None or not isinstance(p, ActionProgramme) or is_new(p):
            return False
        if self.person_id in (p.follow_up_responsible_id, p.evaluation_responsible_id):
            return self.support_staff()
        if self._measures is not None:
            found = any(m.responsible_id == self.person_id for m in self._measures)
        else:
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
            if is_new(self.obj):  # a programme being drafted has no measures yet
                self._forms = set()
            elif self._measures is not None:
                self._forms = {m.support_form for m in self._measures}
            else:
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


def is_new(obj: Any) -> bool:
    """An object not yet written: its steps are the transitions that create it."""
    return obj.pk is None


def _transition_steps(r: _Resolver) -> set[str]:
    state = None if is_new(r.obj) else r.obj.state
    return {t.name for t in wf.allowed_from(entity_of(r.obj), state) if r.may(t)}


def steps_for(actor: AnyUser, obj: Any, known: Known = Known()) -> frozenset[str]:
    """The names of the steps ``actor`` may take on ``obj`` (a referral, investigation,
    programme, appeal or decision) now: transitions of the table and page affordances. On an
    object not yet written (``Referral(pupil=…, unit=…)``), the transitions that create it.
    ``known``: what the page read already of what would be asked."""
    r = _Resolver(actor, obj, known=known)
    if isinstance(obj, Decision):
        return _decision_steps(r)
    steps = _transition_steps(r)
    if is_new(obj):
        return frozenset(steps)
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


@dataclass(frozen=True)
class Questions:
    """Branches for a page's one query (``core.unions``), built from ids (``core.compiled``):
    ``build(**ids)`` uses the ids only as filter values, ``shape`` names all else."""

    shape: Hashable
    ids: Ids
    build: Callable[..., Branches]


def programme_questions(actor: AnyUser, programme: ActionProgramme) -> Questions:
    """What ``steps_for`` would ask the database of a programme for an actor who is not the
    principal of its unit: the actor's delegations at the unit (``delegated``) and whether the
    actor sees the investigation (``may_see_investigation``); ``known_from`` reads the answers.
    The principal needs none."""
    if is_principal_of(actor, programme.unit_id):
        return Questions("none", {}, lambda **ids: {})
    grant = pupil_grant(actor, programme.investigation.pupil)
    security = grant.pupil.security_marking

    def build(**ids: Any) -> Branches:
        pupil = Person(pk=ids["pupil"], security_marking=security)
        reader = User(pk=ids["actor"], person_id=ids["person"])
        seen = investigations_seen_by(reader, Grant(pupil, grant.reasons, grant.support_module))
        delegations = active_delegations(SchoolUnit(pk=ids["unit"]))
        return {
            "delegation": (delegations.filter(delegate_id=ids["person"] or 0), _KIND),
            "investigation": (seen.filter(pk=ids["investigation"]), {"id": F("pk")}),
        }

    ids = {
        "pupil": grant.pupil.pk,
        "actor": actor.pk,
        "person": getattr(actor, "person_id", None),
        "unit": programme.unit_id,
        "investigation": programme.investigation_id,
    }
    return Questions((grant.reasons, grant.rights, today()), ids, build)


def known_from(rows: Rows, measures: list[Measure]) -> Known:
    """The answers to ``programme_questions`` (if asked) and the programme's measures."""
    if "delegation" not in rows:
        return Known(measures=measures)
    delegated = frozenset(r["text1"] for r in rows["delegation"])
    sees = bool(rows["investigation"])
    return Known(measures=measures, delegated=delegated, sees_investigation=sees)


def _decision_steps(r: _Resolver) -> frozenset[str]:
    if r.obj.appealable and "register" in steps_for(r.actor, Appeal(decision=r.obj)):
        return frozenset({REGISTER_APPEAL})
    return frozenset()


# What is started on the pupil page, by the transitions that create the case.
REPORT_TO_PRINCIPAL = "referral.submit"
START_NEW_INVESTIGATION = "investigation.start"


def pupil_steps(
    actor: AnyUser, grant: Grant, placements: Iterable[Placement] | None = None
) -> frozenset[str]:
    """What ``actor`` may start for the grant's pupil at the unit where the pupil's support is
    documented: a report to the principal and an investigation (the codes of the creating
    transitions, by the table's actors); nothing without such a unit. ``placements``: the
    pupil's placements with their units, if the page read them (else one query)."""
    pupil = grant.pupil
    if placements is None:
        placements = Placement.objects.active().filter(pupil=pupil).select_related("unit")
    unit = support_unit_among(placements)
    if unit is None or not unit.support_module_enabled:
        return frozenset()
    steps: set[str] = set()
    for new in (Referral(pupil=pupil, unit=unit), Investigation(pupil=pupil, unit=unit)):
        r = _Resolver(actor, new, grant)
        steps |= {t.code for t in wf.allowed_from(entity_of(new), None) if r.may(t)}
    return frozenset(steps)


def unit_steps(actor: AnyUser, unit: SchoolUnit) -> frozenset[str]:
    """What the actor may do on the unit's own pages: the delegation order and the library of
    adaptations (the principal)."""
    steps = set()
    if may_edit_delegation_order(actor, unit):
        steps.add(EDIT_DELEGATION_ORDER)
    if may_edit_library(actor, unit):
        steps.add(EDIT_LIBRARY)
    return frozenset(steps)


def may_take(actor: AnyUser, obj: Any, t: wf.Transition) -> bool:
    """Whether ``actor`` is one of the actor kinds of ``t`` for ``obj`` (state not checked)."""
    return any(_Resolver(actor, obj).is_(kind, t) for kind in sorted(t.actors))


def refusal(actor: AnyUser, obj: Any, t: wf.Transition) -> DomainError:
    """What the actor is told when ``t``'s actors do not include them on ``obj``: by the kinds
    the table names, so the message follows the table."""
    r, kinds = _Resolver(actor, obj), t.actors
    if wf.Actor.RESPONSIBLE in kinds:
        message = _("Only the people responsible for the programme may do this.")
        return DomainError(message, code="forbidden")
    if wf.Actor.DECIDER in kinds:
        return _decider_refusal(r, t)
    if wf.Actor.PRINCIPAL in kinds and t.decision and not wf.DECISIONS[t.decision].delegable:
        return _not_delegable(wf.DECISIONS[t.decision])
    if kinds & {wf.Actor.PRINCIPAL, wf.Actor.SCHOOL}:
        return not_the_principal(r.unit)
    if wf.Actor.INVESTIGATOR in kinds:
        return DomainError(_("You do not take part in this investigation."), code="forbidden")
    try:
        require_support_staff(actor, r.pupil)
    except DomainError as refused:
        return refused
    return DomainError(_("This step is not possible for you on this case now."), code="forbidden")


def _not_delegable(rule: wf.DecisionRule) -> DomainError:
    return DomainError(
        _("Only the principal takes this decision (%(law)s): it cannot be delegated.")
        % {"law": rule.law},
        code="non_delegable",
    )


def _decider_refusal(r: _Resolver, t: wf.Transition) -> DomainError:
    """Why a non-principal may not decide: a form of support the law reserves to the principal,
    a decision that cannot be delegated, or no delegation for it."""
    deciding = isinstance(r.obj, ActionProgramme) and t.name not in _NOT_DECIDING
    law = wf.non_delegable_law(r.forms()) if deciding else None
    if law is not None:
        form = next(f for f in sorted(r.forms()) if f in wf.NON_DELEGABLE_FORMS)
        return DomainError(
            _("A decision on %(form)s cannot be delegated (%(law)s): only the principal decides.")
            % {"form": FORM_LABELS[wf.SupportForm(form)], "law": law},
            code="non_delegable",
        )
    rule = wf.DECISIONS[t.decision or wf.DecisionKind.PROGRAMME]
    if not rule.delegable:
        return _not_delegable(rule)
    message = _(
        "You have no delegation to take this decision. The principal decides, or gives "
        "you the right in the unit's delegation order."
    )
    return DomainError(message, code="forbidden")
