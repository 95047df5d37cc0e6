"""Reads of special support, through the access layer; every read is logged.

Programmes and decisions on them: staff who work with the pupil's support (teachers, mentors,
principal, pupil health of the pupil's unit), wherever the programme was decided: the history
follows the pupil. Investigations (and decisions on them): only the principal and pupil health
team of the pupil's unit and invited people. Referrals: the principal and pupil health team,
and the reporter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from elevstod.audit.services import access_log_record
from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied
from elevstod.core.timeutil import today
from elevstod.organisation.access import (
    Grant,
    Right,
    access_pupil,
    grant_annotations,
    grant_read_with,
    pupil_grant,
    pupils_with_support_access,
)
from elevstod.organisation.models import Person, Placement, SchoolUnit

from .. import workflow as wf
from ..access import (
    departed_programme_reason,
    investigation_reasons,
    referral_reasons,
    sees_all_referrals,
)
from ..models import ActionProgramme, Appeal, AppealAttachment, Decision, Investigation, Referral

RUNNING = wf.IN_FORCE


def _pupil_grant(actor: AnyUser, pupil_id: int | None, purpose: str, path: str) -> Grant:
    return access_pupil(
        actor=actor, pk=pupil_id or 0, purpose=purpose, right=Right.VIEW_SUPPORT, path=path
    )


def access_programme(
    *, actor: AnyUser, pk: int, path: str = "", purpose: str = "support.programme.page"
) -> ActionProgramme:
    """The programme ``pk`` with what its page shows of it (its renewal's id as
    ``renewal_pk``), once the actor's access is checked and logged."""
    programme = _programme_with_relations(actor, pk)
    departed = (
        departed_programme_reason(actor, programme.unit_id, programme.state)
        if programme is not None
        else None
    )
    if programme is not None and departed is not None:
        grant_read_with(actor, programme.pupil, programme)  # for the page's later checks
        access_log_record(
            actor=actor,
            pupil_id=programme.pupil_id,
            purpose=purpose,
            reasons=[departed],
            granted=True,
            path=path,
        )
        return programme
    if programme is None:
        _pupil_grant(actor, None, purpose, path)  # refused and logged, as a missing pupil
    assert programme is not None
    access_pupil(
        actor=actor,
        pk=programme.pupil_id,
        purpose=purpose,
        right=Right.VIEW_SUPPORT,
        path=path,
        read=(programme.pupil, programme),
    )
    return programme


def _programme_with_relations(actor: AnyUser, pk: int) -> ActionProgramme | None:
    """The programme with what its page shows, and the actor's grant on its pupil (one query)."""
    renewal = (
        ActionProgramme.objects.filter(previous_id=OuterRef("pk"))
        .exclude(state=wf.ProgrammeState.DISCARDED)
        .order_by("-pk")
        .values("pk")[:1]
    )
    return (
        ActionProgramme.objects.select_related(
            "pupil",
            "unit",
            "investigation__unit",
            "investigation__pupil",
            "previous",
            "follow_up_responsible",
            "evaluation_responsible",
            "evaluation",
        )
        .annotate(renewal_pk=Subquery(renewal), **grant_annotations(actor, ref="pupil_id"))
        .filter(pk=pk)
        .first()
    )


def _logged_read(
    actor: AnyUser, pupil_id: int | None, purpose: str, path: str, reasons: frozenset[str]
) -> None:
    """Log the read of an object of the support app with the reasons that are its basis (the
    investigator, the reporter…), or the refusal; refuse with the same 404 as a missing one."""
    access_log_record(
        actor=actor,
        pupil_id=pupil_id,
        purpose=purpose,
        reasons=reasons,
        granted=bool(reasons),
        path=path,
    )
    if not reasons:
        raise AccessDenied()


def access_investigation(
    *, actor: AnyUser, pk: int, path: str = "", purpose: str = "support.investigation.page"
) -> Investigation:
    related = ("pupil", "unit", "based_on")
    investigation = Investigation.objects.select_related(*related).filter(pk=pk).first()
    reasons = investigation_reasons(actor, investigation) if investigation else frozenset()
    pupil_id = investigation.pupil_id if investigation else None
    _logged_read(actor, pupil_id, purpose, path, reasons)
    assert investigation is not None
    return investigation


def access_referral(*, actor: AnyUser, pk: int, path: str = "") -> Referral:
    referral = Referral.objects.select_related("pupil", "unit", "reporter").filter(pk=pk).first()
    reasons: frozenset[str] = frozenset()
    if referral is not None:
        reasons = referral_reasons(actor, pupil_grant(actor, referral.pupil), referral)
    pupil_id = referral.pupil_id if referral else None
    _logged_read(actor, pupil_id, "support.referral.page", path, reasons)
    assert referral is not None
    return referral


def access_decision(
    *, actor: AnyUser, pk: int, path: str = "", purpose: str = "support.decision.page"
) -> Decision:
    related = ("pupil", "unit", "decided_by", "delegation", "programme", "investigation", "appeal")
    decision = Decision.objects.select_related(*related).filter(pk=pk).first()
    if decision is not None and decision.investigation and not decision.programme_id:
        # a decision after an investigation: seen by those who see the investigation
        reasons = investigation_reasons(actor, decision.investigation)
        _logged_read(actor, decision.pupil_id, purpose, path, reasons)
    else:
        _pupil_grant(actor, decision.pupil_id if decision else None, purpose, path)
    assert decision is not None
    return decision


def access_appeal(*, actor: AnyUser, pk: int, path: str = "") -> Appeal:
    decision_id = Appeal.objects.filter(pk=pk).values_list("decision_id", flat=True).first()
    access_decision(actor=actor, pk=decision_id or 0, path=path)
    return Appeal.objects.select_related("decision__unit", "decision__pupil", "appellant").get(
        pk=pk
    )


def appeal_attachment(*, actor: AnyUser, pk: int, path: str = "") -> AppealAttachment:
    """An attachment of an online appeal, for staff who may see the appeal (read logged)."""
    appeal_id = AppealAttachment.objects.filter(pk=pk).values_list("appeal_id", flat=True).first()
    access_appeal(actor=actor, pk=appeal_id or 0, path=path)
    return AppealAttachment.objects.get(pk=pk)


@dataclass
class PupilSpecialSupport:
    referrals: list[Referral]
    investigations: list[Investigation]
    programmes: list[ActionProgramme]
    decisions: list[Decision]


def visible_referrals(actor: AnyUser, grant: Grant) -> QuerySet[Referral]:
    """The pupil's referrals the actor sees (the grant must give VIEW_SUPPORT): all of them for
    the principal and pupil health team, else those the actor reported."""
    referrals = Referral.objects.filter(pupil=grant.pupil)
    return referrals if sees_all_referrals(grant) else referrals.filter(reported_by_id=actor.pk)


def visible_investigations(actor: AnyUser, grant: Grant) -> QuerySet[Investigation]:
    """The pupil's investigations the actor sees (the grant must give VIEW_SUPPORT): all of
    them for the principal and pupil health team, else those the actor investigates or
    contributes to (``named_in``)."""
    seen = Investigation.objects.filter(pupil=grant.pupil)
    if sees_all_referrals(grant):
        return seen
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return seen.none()
    named = Q(investigators__pk=person_id) | Q(contributors__pk=person_id)
    return seen.filter(pk__in=Investigation.objects.filter(named).values("pk"))


def visible_decisions(actor: AnyUser, grant: Grant) -> QuerySet[Decision]:
    """The pupil's decisions the actor sees: those on programmes and appeals, and those after
    an investigation the actor sees."""
    seen = visible_investigations(actor, grant).order_by().values("pk")
    return Decision.objects.filter(
        Q(programme_id__isnull=False) | Q(appeal_id__isnull=False) | Q(investigation_id__in=seen),
        pupil=grant.pupil,
    )


def pupil_special_support(*, actor: AnyUser, grant: Grant) -> PupilSpecialSupport:
    """The pupil's special support, current and archived, as far as the actor may see it."""
    if not grant.has(Right.VIEW_SUPPORT):
        return PupilSpecialSupport([], [], [], [])
    return PupilSpecialSupport(
        list(visible_referrals(actor, grant).select_related("unit", "reporter")),
        list(visible_investigations(actor, grant).select_related("unit")),
        list(ActionProgramme.objects.filter(pupil=grant.pupil).select_related("unit")),
        list(visible_decisions(actor, grant).select_related("unit")),
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


def renewal_of(programme: ActionProgramme) -> int | None:
    """The id of the new programme drafted or decided as a copy of this one (not a discarded
    copy); read with the programme by ``access_programme``."""
    if hasattr(programme, "renewal_pk"):
        return programme.renewal_pk  # type: ignore[no-any-return]
    renewals = programme.renewals.exclude(state=wf.ProgrammeState.DISCARDED).order_by("-pk")
    return renewals.values_list("pk", flat=True).first()


def reusable_investigations(pupil: Person) -> list[Investigation]:
    """Existing investigations of the pupil (any unit), newest first, for a fresh start."""
    return list(
        Investigation.objects.filter(pupil=pupil).select_related("unit").order_by("-created_at")
    )
