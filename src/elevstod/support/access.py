"""Who may see and work with the support of a pupil: the rules on the support app's own objects
(referrals, investigations, a departed pupil's running programme), built on the primitives of
``organisation.access``. Each rule is a named ``Reason``; a page refuses with ``AccessDenied``
(the same 404 as a missing object), a service with ``DomainError(code="forbidden")``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import access_log_record
from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.access import (
    Grant,
    Reason,
    Right,
    pupil_grant,
    scope_for,
)
from elevstod.organisation.civic import civic_number_birth_date
from elevstod.organisation.models import Guardianship, Person, Placement, SchoolUnit

from . import workflow as wf
from .models import Decision, Investigation, Referral

# The staff who lead a unit's support: they see every referral and investigation of its pupils.
HEADS = frozenset({Reason.PRINCIPAL, Reason.PUPIL_HEALTH})


def support_unit_among(placements: Iterable[Placement]) -> SchoolUnit | None:
    """Of a pupil's placements (read with their units), the unit where the pupil's support is
    documented: a current placement, one at a unit with the module first, then the latest."""
    current = [p for p in placements if p.is_active()]
    current.sort(key=lambda p: (p.unit.support_module_enabled, p.start_date), reverse=True)
    return current[0].unit if current else None


def support_unit_for(pupil: Person) -> SchoolUnit:
    """The unit where the pupil's support is documented (``support_unit_among``): the current
    placement, with the module."""
    placements = Placement.objects.active().filter(pupil=pupil).select_related("unit")
    unit = support_unit_among(placements)
    if unit is None:
        raise DomainError(_("The pupil has no current placement at a school unit."))
    if not unit.support_module_enabled:
        raise DomainError(_("The support module is not enabled at %(unit)s.") % {"unit": unit.name})
    return unit


def acting_person(actor: User) -> Person:
    """The person a staff member acts as (who decides, reports, investigates): a login without a
    person works with no pupil's support."""
    if actor.person is None:
        raise DomainError(_("You do not work with this pupil's support."), code="forbidden")
    return actor.person


def require_support_staff(actor: AnyUser, pupil: Person) -> Grant:
    """Refuse unless the actor works with the pupil's support (teacher, mentor, principal or
    pupil health, at a unit with the module). A staff member who may see the pupil is told
    when the reason is the missing support module."""
    grant = pupil_grant(actor, pupil)
    if grant.has(Right.VIEW_SUPPORT):
        return grant
    if grant.has(Right.VIEW_PUPIL) and not grant.support_module:
        support_unit_for(pupil)  # raises the "module not enabled" message
    raise DomainError(_("You do not work with this pupil's support."), code="forbidden")


def is_principal_of(actor: AnyUser, unit: SchoolUnit | int) -> bool:
    """Whether the actor is the principal of ``unit`` (an active duty there): the one test of
    "the principal of this unit" (deciding, the delegation order, the library, an appeal)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return unit_id in scope_for(actor).principal_units


def _named(person_id: int) -> Q:
    return Q(investigators__pk=person_id) | Q(contributors__pk=person_id)


def investigations_seen_by(actor: AnyUser, grant: Grant) -> QuerySet[Investigation]:
    """The investigations of the grant's pupil that the actor sees: all of them for the
    principal and pupil health team of the pupil's current unit (also "earlier support" and
    reuse), else those naming the actor as investigator or contributor; nothing for anyone who
    does not work with the pupil's support. The list and ``investigation_reasons`` both ask it."""
    investigations = Investigation.objects.filter(pupil=grant.pupil)
    person_id = getattr(actor, "person_id", None)
    if person_id is None or not grant.has(Right.VIEW_SUPPORT):
        return investigations.none()
    if grant.reasons & HEADS:
        return investigations
    named_ids = Investigation.objects.filter(_named(person_id)).values("pk")
    return investigations.filter(pk__in=named_ids)


def investigation_reasons(actor: AnyUser, investigation: Investigation) -> frozenset[str]:
    """Why the actor may see the investigation (empty: not at all), by
    ``investigations_seen_by``: the reasons of the unit's heads, or ``INVESTIGATOR``."""
    grant = pupil_grant(actor, investigation.pupil)
    if leads(grant):
        return grant.reasons & HEADS
    seen = investigations_seen_by(actor, grant).filter(pk=investigation.pk).exists()
    return frozenset({Reason.INVESTIGATOR}) if seen else frozenset()


def may_see_investigation(actor: AnyUser, investigation: Investigation) -> bool:
    return bool(investigation_reasons(actor, investigation))


def referrals_seen_by(actor: AnyUser, grant: Grant) -> QuerySet[Referral]:
    """The referrals of the grant's pupil that the actor sees: all of them for the principal
    and pupil health team of the pupil's unit, else those the actor reported; nothing for
    anyone who does not work with the pupil's support. The list and ``referral_reasons`` both
    ask it."""
    referrals = Referral.objects.filter(pupil=grant.pupil)
    if not grant.has(Right.VIEW_SUPPORT) or not actor.is_authenticated:
        return referrals.none()
    if grant.reasons & HEADS:
        return referrals
    return referrals.filter(reported_by_id=actor.pk)


def referral_reasons(actor: AnyUser, grant: Grant, referral: Referral) -> frozenset[str]:
    """Why the actor may see the referral (``referrals_seen_by``): the reasons of the unit's
    heads, or ``REPORTER``."""
    if leads(grant):
        return grant.reasons & HEADS
    if referrals_seen_by(actor, grant).filter(pk=referral.pk).exists():
        return frozenset({Reason.REPORTER})
    return frozenset()


# A decision's appealed decision, looked up by the appeal's id (None: not found).
AppealedDecision = Callable[[int], "Decision | None"]


def decision_investigation_id(decision: Decision, appealed: AppealedDecision) -> int | None:
    """The investigation whose visibility a decision has: a decision after an investigation
    (not to draw up a programme) is seen by those who see the investigation, a decision on an
    appeal (its dismissal as late) by those who see the appealed decision. None: the decision
    is seen by everyone who works with the pupil's support (programmes and their decisions)."""
    followed: set[int] = set()
    while decision.appeal_id is not None and decision.pk not in followed:
        followed.add(decision.pk)
        parent = appealed(decision.appeal_id)
        if parent is None:
            break
        decision = parent
    if decision.investigation_id is not None and decision.programme_id is None:
        return decision.investigation_id
    return None


def _appealed_in_db(appeal_id: int) -> Decision | None:
    return Decision.objects.filter(appeals__pk=appeal_id).first()


def decision_reasons(actor: AnyUser, decision: Decision) -> frozenset[str]:
    """Why the actor may see the decision (empty: not at all), by ``decisions_seen_by``: after
    an investigation (``decision_investigation_id``) the investigation's reasons, else the
    reasons of working with the pupil's support."""
    grant = pupil_grant(actor, decision.pupil)
    if not decisions_seen_by(actor, grant).filter(pk=decision.pk).exists():
        return frozenset()
    if decision_investigation_id(decision, _appealed_in_db) is None:
        return grant.reasons
    return grant.reasons & HEADS or frozenset({Reason.INVESTIGATOR})


# How far a decision on an appeal is followed back to the decision appealed (a late appeal
# dismissed, that dismissal appealed late and dismissed…); a longer chain is refused.
APPEAL_CHAIN = 3


def decisions_seen_by(actor: AnyUser, grant: Grant) -> QuerySet[Decision]:
    """The decisions of the grant's pupil that the actor sees: one after an investigation (not
    to draw up a programme) by those who see the investigation (``investigations_seen_by``), any
    other (on programmes, forms of support) by everyone who works with the pupil's support, and
    one on an appeal (its dismissal as late) as the decision appealed
    (``decision_investigation_id``). The lists, the pupil page and ``decision_reasons`` ask it."""
    decisions = Decision.objects.filter(pupil=grant.pupil)
    if not grant.has(Right.VIEW_SUPPORT):
        return decisions.none()
    seen = investigations_seen_by(actor, grant).order_by().values("pk")
    visible, chain, at = Q(pk__in=[]), Q(), ""
    for _level in range(APPEAL_CHAIN + 1):
        own = (
            Q(**{f"{at}investigation_id__isnull": True})
            | Q(**{f"{at}programme_id__isnull": False})
            | Q(**{f"{at}investigation_id__in": seen})
        )
        visible |= chain & Q(**{f"{at}appeal_id__isnull": True}) & own
        chain &= Q(**{f"{at}appeal_id__isnull": False})
        at += "appeal__decision__"
    return decisions.filter(visible)


def departed_programme_reason(actor: AnyUser, unit_id: int, state: str) -> Reason | None:
    """The pupil has left: the principal of the programme's unit may still see a running
    programme, to close it (DOMAIN.md, validity and moving school). Asked only when the
    ordinary rules refuse the read."""
    if state in wf.IN_FORCE and is_principal_of(actor, unit_id):
        return Reason.PRINCIPAL_OF_PROGRAMME_UNIT
    return None


# --- the unit's lists: the same rules, over every pupil of a unit --------------------------


def leads(grant: Grant) -> bool:
    """Whether the actor sees the grant's pupil's support as one of the heads of a current
    unit of the pupil (``HEADS``): every referral and investigation of theirs is theirs to see."""
    return grant.has(Right.VIEW_SUPPORT) and bool(grant.reasons & HEADS)


def unit_referral_seen(actor: AnyUser, grant: Grant, reported_by_id: int | None) -> bool:
    """Whether the actor sees a referral of the unit's list, by the rule of
    ``referrals_seen_by``: those of the pupils the actor leads, and those the actor reported,
    of pupils whose support they see."""
    reported = actor.is_authenticated and reported_by_id == actor.pk
    return leads(grant) or (grant.has(Right.VIEW_SUPPORT) and reported)


def naming(actor: AnyUser) -> QuerySet[Investigation]:
    """The investigations naming the actor as investigator or contributor."""
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return Investigation.objects.none()
    return Investigation.objects.filter(_named(person_id))


def unit_investigation_seen(grant: Grant, named: bool) -> bool:
    """Whether the actor sees an investigation of the unit's list, by the rule of
    ``investigations_seen_by``: those of the pupils the actor leads, and those naming the
    actor (``naming``), of pupils whose support they see."""
    return grant.has(Right.VIEW_SUPPORT) and (bool(grant.reasons & HEADS) or named)


def departed_programme_seen(actor: AnyUser, unit: SchoolUnit, state: str, placed: bool) -> bool:
    """Whether the actor sees a programme of the unit whose pupil has left it (``placed``: the
    pupil is placed at the unit today): a running one, for the principal of the unit to close
    (``departed_programme_reason``); none for anyone else."""
    return not placed and departed_programme_reason(actor, unit.pk, state) is not None


def may_edit_delegation_order(actor: AnyUser, unit: SchoolUnit) -> bool:
    """The principal of the unit writes its delegation order (3 kap. 9 §)."""
    return is_principal_of(actor, unit)


def may_edit_library(actor: AnyUser, unit: SchoolUnit) -> bool:
    """The principal of the unit keeps the unit's library of adaptations."""
    return is_principal_of(actor, unit)


# --- the parties of a decision (förvaltningslagen; DOMAIN.md, decisions and appeals) -----------


def party_age_from(pupil: Person) -> dt.date | None:
    """The day the pupil turns ``PUPIL_PARTY_AGE`` (a 29 February birthday: 1 March); None
    without a readable civic number."""
    born = civic_number_birth_date(pupil.civic_number)
    if born is None:
        return None
    year = born.year + wf.PUPIL_PARTY_AGE
    if (born.month, born.day) == (2, 29):
        return dt.date(year, 3, 1)
    return born.replace(year=year)


def pupil_age(pupil: Person, on: dt.date) -> int:
    """Whole years on ``on``; 0 without a readable civic number."""
    born = civic_number_birth_date(pupil.civic_number)
    if born is None:
        return 0
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def guardian_parties(on: dt.date | None = None) -> QuerySet[Guardianship]:
    """The guardianships that make a guardian a party of the decisions on the pupil: those
    with custody (a parent without custody is no party) that have not ended by ``on`` (today)."""
    return Guardianship.objects.current(on).filter(custody=True)


def parties_of(pupil: Person, *, on: dt.date | None = None) -> list[Person]:
    """The parties of a decision on ``pupil`` taken ``on``: the guardians with custody on that
    day (one whose guardianship ended later stays a party of it), and the pupil from 16 (age
    from the civic number)."""
    day = on or today()
    return _parties(pupil, _guardians_on(_custody_links(pupil), day), day)


def parties_by_decision(pupil: Person, decisions: list[Decision]) -> dict[int, list[Person]]:
    """``parties_of`` for each of the pupil's ``decisions`` (on its date), in one query."""
    links = _custody_links(pupil)
    return {
        d.pk: _parties(pupil, _guardians_on(links, d.decided_on), d.decided_on) for d in decisions
    }


def _custody_links(pupil: Person) -> list[Guardianship]:
    links = Guardianship.objects.filter(pupil=pupil, custody=True).select_related("guardian")
    return list(links.order_by("pk"))


def _guardians_on(links: list[Guardianship], on: dt.date) -> list[Person]:
    return [g.guardian for g in links if g.is_current(on)]


def _parties(pupil: Person, guardians: list[Person], on: dt.date) -> list[Person]:
    if pupil_age(pupil, on) >= wf.PUPIL_PARTY_AGE:
        return [*guardians, pupil]
    return list(guardians)


def party_decisions(actor: AnyUser, pupil: Person) -> QuerySet[Decision]:
    """The decisions on ``pupil`` of which ``actor`` is a party (``Reason.PARTY``): all of them
    for a guardian with custody, those taken from the pupil's 16th birthday for the pupil;
    none for anyone else (a guardian without custody, another family, staff). The one rule
    every family read of decisions goes through."""
    person_id = getattr(actor, "person_id", None) if actor.is_authenticated else None
    decisions = Decision.objects.filter(pupil=pupil)
    if person_id is None:
        return decisions.none()
    if person_id == pupil.pk:
        since = party_age_from(pupil)
        return decisions.filter(decided_on__gte=since) if since else decisions.none()
    custody = guardian_parties().filter(guardian_id=person_id, pupil=pupil)
    return decisions if custody.exists() else decisions.none()


def party_reason(actor: AnyUser, decision: Decision) -> Reason | None:
    """``Reason.PARTY`` when ``actor`` is a party of ``decision``, else None."""
    if party_decisions(actor, decision.pupil).filter(pk=decision.pk).exists():
        return Reason.PARTY
    return None


def access_party_decision(
    *, actor: AnyUser, pk: int, purpose: str = "support.decision.party_page", path: str = ""
) -> Decision:
    """The only way for a family page (or its PDF) to get one decision: the actor must be its
    party. Logs the read, or the refusal, and raises ``AccessDenied`` otherwise: the same answer
    whether the decision exists."""
    decision = (
        Decision.objects.select_related("pupil", "unit", "decided_by", "programme")
        .filter(pk=pk)
        .first()
    )
    reason = party_reason(actor, decision) if decision is not None else None
    access_log_record(
        actor=actor,
        pupil_id=decision.pupil_id if decision is not None else None,
        purpose=purpose,
        reasons=(reason,) if reason else (),
        granted=reason is not None,
        path=path,
    )
    if decision is None or reason is None:
        raise AccessDenied()
    return decision
