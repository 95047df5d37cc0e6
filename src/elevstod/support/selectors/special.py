"""Reads of special support, through the access layer; every read is logged.

Programmes and decisions on them: staff who work with the pupil's support (teachers, mentors,
principal, pupil health of the pupil's unit), wherever the programme was decided: the history
follows the pupil. Investigations (and decisions on them): only the principal and pupil health
team of the pupil's unit and invited people. Referrals: the principal and pupil health team,
and the reporter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from elevstod.audit.services import access_log_record
from elevstod.core.actors import AnyUser
from elevstod.core.compiled import compiled_objects
from elevstod.core.errors import AccessDenied
from elevstod.core.timeutil import today
from elevstod.organisation.access import (
    Grant,
    Right,
    grant_annotations,
    grant_read_with,
    pupil_grant,
    scope_for,
)
from elevstod.organisation.models import Person

from .. import workflow as wf
from ..access import (
    decision_reasons,
    decisions_seen_by,
    departed_programme_reason,
    investigation_reasons,
    investigations_seen_by,
    referral_reasons,
    referrals_seen_by,
)
from ..models import ActionProgramme, Appeal, AppealAttachment, Decision, Investigation, Referral

RUNNING = wf.IN_FORCE


def access_programme(
    *, actor: AnyUser, pk: int, path: str = "", purpose: str = "support.programme.page"
) -> ActionProgramme:
    """The programme ``pk`` with what its page shows of it (its renewal's id as
    ``renewal_pk``), once the actor's access is checked and logged: by the ordinary rules of
    working with the pupil's support, else (the pupil has left) as the principal of the
    programme's unit while it runs (``departed_programme_reason``)."""
    programme = _programme_with_relations(actor, pk)
    reasons: frozenset[str] = frozenset()
    if programme is not None:
        grant = grant_read_with(actor, programme.pupil, programme)  # read with it
        if grant.has(Right.VIEW_SUPPORT):
            reasons = grant.reasons
        else:
            departed = departed_programme_reason(actor, programme.unit_id, programme.state)
            reasons = frozenset({departed}) if departed is not None else frozenset()
    pupil_id = programme.pupil_id if programme is not None else None
    _logged_read(actor, pupil_id, purpose, path, reasons)
    assert programme is not None  # a missing programme was refused above
    return programme


def _programme_with_relations(actor: AnyUser, pk: int) -> ActionProgramme | None:
    """The programme with what its page shows, and the actor's grant on its pupil (one query,
    compiled once per scope and day: ``core.compiled``; the grant's rules are the scope's)."""
    found = compiled_objects(
        ("programme page", scope_for(actor), today()),
        lambda *, pk: _programme_query(actor).filter(pk=pk),
        pk=pk,
    )
    programme: ActionProgramme | None = found[0] if found else None
    # A programme's investigation is of the same pupil, whom the programme has read already.
    if programme is not None and programme.investigation.pupil_id == programme.pupil_id:
        programme.investigation.pupil = programme.pupil
    return programme


def _programme_query(actor: AnyUser) -> QuerySet[ActionProgramme]:
    renewal = (
        ActionProgramme.objects.filter(previous_id=OuterRef("pk"))
        .exclude(state=wf.ProgrammeState.DISCARDED)
        .order_by("-pk")
        .values("pk")[:1]
    )
    # Fewer joins than relations: a join more costs PostgreSQL's planner more than the row.
    # The page names the previous programme by its id only.
    related = ("pupil", "unit", "investigation__unit", "follow_up_responsible")
    return ActionProgramme.objects.select_related(
        *related, "evaluation_responsible", "evaluation"
    ).annotate(renewal_pk=Subquery(renewal), **grant_annotations(actor, ref="pupil_id"))


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
    reasons = decision_reasons(actor, decision) if decision is not None else frozenset()
    _logged_read(actor, decision.pupil_id if decision else None, purpose, path, reasons)
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


def pupil_special_support(*, actor: AnyUser, grant: Grant) -> PupilSpecialSupport:
    """The pupil's special support, current and archived, as far as the actor may see it."""
    if not grant.has(Right.VIEW_SUPPORT):
        return PupilSpecialSupport([], [], [], [])
    return PupilSpecialSupport(
        list(referrals_seen_by(actor, grant).select_related("unit", "reporter")),
        list(investigations_seen_by(actor, grant).select_related("unit")),
        list(ActionProgramme.objects.filter(pupil=grant.pupil).select_related("unit")),
        list(decisions_seen_by(actor, grant).select_related("unit")),
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
