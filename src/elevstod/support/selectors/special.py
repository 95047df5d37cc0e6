"""Reads of special support, through the access layer; every read is logged.

Programmes and decisions on them: staff who work with the pupil's support (teachers, mentors,
principal, pupil health of the pupil's unit), wherever the programme was decided: the history
follows the pupil. Investigations (and decisions on them): only the principal and pupil health
team of the pupil's unit and invited people. Referrals: the principal and pupil health team,
and the reporter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from elevstod.audit.services import access_log_record
from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied
from elevstod.core.timeutil import today
from elevstod.organisation.access import (
    Grant,
    Right,
    access_pupil,
    pupils_with_support_access,
)
from elevstod.organisation.civic import civic_number_birth_date
from elevstod.organisation.models import Guardianship, Person, Placement, SchoolUnit

from .. import workflow as wf
from ..access import (
    departed_programme_reason,
    may_see_investigation,
    referral_reasons,
    sees_all_referrals,
)
from ..models import ActionProgramme, Appeal, Decision, Investigation, Referral

RUNNING = wf.IN_FORCE


def _pupil_grant(actor: AnyUser, pupil_id: int | None, purpose: str, path: str) -> Grant:
    return access_pupil(
        actor=actor, pk=pupil_id or 0, purpose=purpose, right=Right.VIEW_SUPPORT, path=path
    )


def access_programme(*, actor: AnyUser, pk: int, path: str = "") -> ActionProgramme:
    row = ActionProgramme.objects.filter(pk=pk).values("pupil_id", "unit_id", "state").first()
    departed = departed_programme_reason(actor, row["unit_id"], row["state"]) if row else None
    if row and departed is not None:
        access_log_record(
            actor=actor,
            pupil_id=row["pupil_id"],
            purpose="support.programme.page",
            reasons=[departed],
            granted=True,
            path=path,
        )
    else:
        _pupil_grant(actor, row["pupil_id"] if row else None, "support.programme.page", path)
    return ActionProgramme.objects.select_related(
        "pupil",
        "unit",
        "investigation",
        "previous",
        "follow_up_responsible",
        "evaluation_responsible",
    ).get(pk=pk)


def access_investigation(*, actor: AnyUser, pk: int, path: str = "") -> Investigation:
    pupil_id = Investigation.objects.filter(pk=pk).values_list("pupil_id", flat=True).first()
    _pupil_grant(actor, pupil_id, "support.investigation.page", path)
    investigation = Investigation.objects.select_related("pupil", "unit", "based_on").get(pk=pk)
    if not may_see_investigation(actor, investigation):
        raise AccessDenied()
    return investigation


def access_referral(*, actor: AnyUser, pk: int, path: str = "") -> Referral:
    pupil_id = Referral.objects.filter(pk=pk).values_list("pupil_id", flat=True).first()
    grant = _pupil_grant(actor, pupil_id, "support.referral.page", path)
    referral = Referral.objects.select_related("pupil", "unit", "reporter").get(pk=pk)
    if not referral_reasons(actor, grant, referral):
        raise AccessDenied()
    return referral


def access_decision(*, actor: AnyUser, pk: int, path: str = "") -> Decision:
    pupil_id = Decision.objects.filter(pk=pk).values_list("pupil_id", flat=True).first()
    _pupil_grant(actor, pupil_id, "support.decision.page", path)
    decision = Decision.objects.select_related(
        "pupil",
        "unit",
        "decided_by",
        "delegation",
        "programme",
        "investigation",
        "appeal",
    ).get(pk=pk)
    if decision.investigation_id and not decision.programme_id:
        assert decision.investigation is not None
        if not may_see_investigation(actor, decision.investigation):
            raise AccessDenied()
    return decision


def access_appeal(*, actor: AnyUser, pk: int, path: str = "") -> Appeal:
    decision_id = Appeal.objects.filter(pk=pk).values_list("decision_id", flat=True).first()
    access_decision(actor=actor, pk=decision_id or 0, path=path)
    return Appeal.objects.select_related("decision__unit", "decision__pupil", "appellant").get(
        pk=pk
    )


@dataclass
class PupilSpecialSupport:
    referrals: list[Referral]
    investigations: list[Investigation]
    programmes: list[ActionProgramme]
    decisions: list[Decision]


def pupil_special_support(*, actor: AnyUser, grant: Grant) -> PupilSpecialSupport:
    """The pupil's special support, current and archived, as far as the actor may see it."""
    if not grant.has(Right.VIEW_SUPPORT):
        return PupilSpecialSupport([], [], [], [])
    pupil = grant.pupil
    heads = sees_all_referrals(grant)
    referrals = Referral.objects.filter(pupil=pupil).select_related("unit", "reporter")
    if not heads:
        referrals = referrals.filter(reported_by_id=actor.pk)
    investigations = [
        i
        for i in Investigation.objects.filter(pupil=pupil)
        .select_related("unit")
        .prefetch_related("investigators", "contributors")
        if heads or _named(actor, i)
    ]
    programmes = list(ActionProgramme.objects.filter(pupil=pupil).select_related("unit"))
    visible_inv = {i.pk for i in investigations}
    decisions = [
        d
        for d in Decision.objects.filter(pupil=pupil).select_related("unit")
        if d.programme_id or d.appeal_id or d.investigation_id in visible_inv
    ]
    return PupilSpecialSupport(list(referrals), investigations, programmes, decisions)


def _named(actor: AnyUser, investigation: Investigation) -> bool:
    person_id = getattr(actor, "person_id", None)
    return any(p.pk == person_id for p in investigation.investigators.all()) or any(
        p.pk == person_id for p in investigation.contributors.all()
    )


@dataclass
class UnitSpecialSupport:
    open_referrals: list[Referral]
    investigations: list[Investigation]
    to_decide: list[ActionProgramme]
    running: list[ActionProgramme]
    to_close: list[ActionProgramme]


def unit_special_support(*, actor: AnyUser, unit: SchoolUnit) -> UnitSpecialSupport:
    """The principal's and pupil health team's view of the unit's special support."""
    visible = pupils_with_support_access(actor)
    programmes = ActionProgramme.objects.filter(unit=unit, pupil__in=visible).select_related(
        "pupil"
    )
    placed = Placement.objects.active().filter(unit=unit).values("pupil_id")
    running = list(RUNNING)
    return UnitSpecialSupport(
        open_referrals=list(
            Referral.objects.filter(unit=unit, pupil__in=visible, state=wf.ReferralState.OPEN)
            .select_related("pupil", "reporter")
            .order_by("created_at")
        ),
        investigations=list(
            Investigation.objects.filter(
                unit=unit, pupil__in=visible, state=wf.InvestigationState.IN_PROGRESS
            )
            .select_related("pupil")
            .order_by("planned_decision_date")
        ),
        to_decide=list(
            programmes.filter(state__in=[wf.ProgrammeState.DRAFT, wf.ProgrammeState.SUBMITTED])
        ),
        running=list(programmes.filter(state__in=running).order_by("evaluation_date")),
        # A programme is valid only at its unit: when the pupil has left, close it.
        to_close=list(
            ActionProgramme.objects.filter(unit=unit, state__in=running)
            .exclude(pupil_id__in=placed)
            .select_related("pupil")
        ),
    )


def waiting_days(referral: Referral, day: dt.date | None = None) -> int:
    """How long a referral has waited: the principal must act promptly (3 kap. 7 §)."""
    return ((day or today()) - referral.created_at.date()).days


def decisions_of(programme: ActionProgramme) -> QuerySet[Decision]:
    return programme.decisions.select_related("decided_by", "delegation").order_by("decided_at")


def renewal_of(programme: ActionProgramme) -> ActionProgramme | None:
    """The new programme drafted or decided as a copy of this one (not a discarded copy)."""
    return programme.renewals.exclude(state=wf.ProgrammeState.DISCARDED).order_by("-pk").first()


def reusable_investigations(pupil: Person) -> list[Investigation]:
    """Existing investigations of the pupil (any unit), newest first, for a fresh start."""
    return list(
        Investigation.objects.filter(pupil=pupil).select_related("unit").order_by("-created_at")
    )


def parties_of(pupil: Person, *, on: dt.date | None = None) -> list[Person]:
    """The parties to notify: the guardians, and the pupil from 16 (age from the civic number)."""
    return _parties(pupil, _guardians(pupil), on or today())


def parties_by_decision(pupil: Person, decisions: list[Decision]) -> dict[int, list[Person]]:
    """``parties_of`` for each of the pupil's ``decisions`` (on its date), in one query."""
    guardians = _guardians(pupil)
    return {d.pk: _parties(pupil, guardians, d.decided_on) for d in decisions}


def _guardians(pupil: Person) -> list[Person]:
    return [g.guardian for g in Guardianship.objects.filter(pupil=pupil).select_related("guardian")]


def _parties(pupil: Person, guardians: list[Person], on: dt.date) -> list[Person]:
    if pupil_age(pupil, on) >= wf.PUPIL_PARTY_AGE:
        return [*guardians, pupil]
    return list(guardians)


def pupil_age(pupil: Person, on: dt.date) -> int:
    """Whole years on ``on``; 0 without a readable civic number."""
    born = civic_number_birth_date(pupil.civic_number)
    if born is None:
        return 0
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
