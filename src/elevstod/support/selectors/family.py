"""What the family (the pupil and the guardians) sees of the pupil's support, and the decisions
of which they are parties (guardians with custody; the pupil from 16): every read of decisions
goes through ``access.party_decisions`` / ``access.access_party_decision`` and is logged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from elevstod.audit.services import access_log_record
from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied
from elevstod.organisation.access import Grant, Reason, Right
from elevstod.organisation.models import Person

from .. import workflow as wf
from ..access import access_party_decision, parties_of, party_decisions
from ..models import (
    ActionProgramme,
    Appeal,
    AppealAttachment,
    Decision,
    ExtraAdaptation,
    Investigation,
    PartyNotification,
)


@dataclass
class FamilySupport:
    """What a pupil and their guardians see: *that* support exists, and the adaptations the
    school marked "show to pupil and guardian". Nothing else (DOMAIN.md §3, seed 001)."""

    has_support: bool
    adaptations: list[ExtraAdaptation]


def family_support(*, grant: Grant) -> FamilySupport:
    """Support exists when the pupil has an active adaptation, an investigation in progress or
    an action programme not closed (drafted or in force); of special support only that."""
    if not grant.has(Right.FAMILY_VIEW):
        return FamilySupport(False, [])
    active = ExtraAdaptation.objects.filter(pupil=grant.pupil, status=ExtraAdaptation.Status.ACTIVE)
    shown = list(active.filter(visible_to_family=True).prefetch_related("subjects"))
    return FamilySupport(bool(shown) or active.exists() or _special_support(grant.pupil), shown)


def _special_support(pupil: Person) -> bool:
    ongoing = Investigation.objects.filter(pupil=pupil, state__in=wf.ONGOING_INVESTIGATION)
    programmes = ActionProgramme.objects.filter(pupil=pupil, state__in=wf.ONGOING_PROGRAMME)
    return ongoing.exists() or programmes.exists()


# --- the decisions of which the reader is a party ---------------------------------------------


@dataclass
class PartyDecision:
    """One decision as its party sees it: the record, the programme as decided (never an
    investigation's content), the party's own notification and last day to appeal, and the
    party's own appeals."""

    decision: Decision
    programme: dict[str, Any] | None
    notification: PartyNotification | None
    last_day: dt.date | None
    appeals: list[Appeal]

    @property
    def may_appeal(self) -> bool:
        return self.decision.appealable


@dataclass
class FamilyDecisions:
    decisions: list[PartyDecision]
    # Only that an investigation is in progress, and its planned decision date (may be None).
    investigations: list[dt.date | None]


def _decided_programme(decision: Decision) -> dict[str, Any] | None:
    """The programme a decision concerns, as it stood when decided (from the decision record)."""
    if decision.programme_id is None:
        return None
    content = decision.content or {}
    programme = content.get("closed_programme", content)
    return programme if "measures" in programme else None


def _with_party_rows(decisions: QuerySet[Decision], person_id: int) -> QuerySet[Decision]:
    return decisions.select_related("unit", "decided_by").prefetch_related(
        Prefetch(
            "notifications",
            queryset=PartyNotification.objects.filter(party_id=person_id),
            to_attr="party_notifications",
        ),
        Prefetch(
            "appeals",
            queryset=Appeal.objects.filter(appellant_id=person_id).prefetch_related(
                Prefetch("attachments", queryset=AppealAttachment.objects.defer("data"))
            ),
            to_attr="party_appeals",
        ),
    )


def _party_view(decision: Decision) -> PartyDecision:
    notified = next(iter(getattr(decision, "party_notifications", [])), None)
    last_day = wf.appeal_last_day(notified.notified_on) if notified else None
    appeals = list(getattr(decision, "party_appeals", []))
    return PartyDecision(decision, _decided_programme(decision), notified, last_day, appeals)


def family_decisions(*, actor: AnyUser, grant: Grant, path: str = "") -> FamilyDecisions:
    """The decisions on the pupil of which ``actor`` is a party (``access.party_decisions``),
    newest first, and the investigations in progress as a mere mention. Logged as a read."""
    person_id = getattr(actor, "person_id", None)
    if not grant.has(Right.FAMILY_VIEW) or person_id is None:
        return FamilyDecisions([], [])
    is_party = person_id in {p.pk for p in parties_of(grant.pupil)}
    decisions = party_decisions(actor, grant.pupil)
    rows = [_party_view(d) for d in _with_party_rows(decisions, person_id)]
    if not (rows or is_party):
        return FamilyDecisions([], [])
    access_log_record(
        actor=actor,
        pupil_id=grant.pupil.pk,
        purpose="support.decision.party_list",
        reasons=(Reason.PARTY,),
        granted=True,
        path=path,
    )
    ongoing = Investigation.objects.filter(pupil=grant.pupil, state__in=wf.ONGOING_INVESTIGATION)
    planned = list(ongoing.order_by("pk").values_list("planned_decision_date", flat=True))
    return FamilyDecisions(rows, planned if is_party else [])


def party_decision(
    *, actor: AnyUser, pk: int, path: str = "", purpose: str = "support.decision.party_page"
) -> PartyDecision:
    """One decision for its party, through ``access.access_party_decision`` (logged)."""
    access_party_decision(actor=actor, pk=pk, path=path, purpose=purpose)
    person_id = getattr(actor, "person_id", None) or 0
    decision = _with_party_rows(Decision.objects.filter(pk=pk), person_id).select_related(
        "pupil", "delegation"
    )
    return _party_view(decision.get())


def party_appeal(
    *, actor: AnyUser, pk: int, path: str = "", purpose: str = "support.appeal.party_page"
) -> tuple[PartyDecision, Appeal]:
    """An appeal the actor lodged, with its decision, for the party's own page (logged)."""
    appeal = Appeal.objects.filter(pk=pk).values_list("decision_id", "appellant_id").first()
    person_id = getattr(actor, "person_id", None)
    if appeal is None or appeal[1] != person_id:
        access_log_record(
            actor=actor,
            pupil_id=None,
            purpose=purpose,
            reasons=(),
            granted=False,
            path=path,
        )
        raise AccessDenied()
    view = party_decision(actor=actor, pk=appeal[0], path=path, purpose=purpose)
    return view, next(a for a in view.appeals if a.pk == pk)


def party_attachment(*, actor: AnyUser, pk: int, path: str = "") -> AppealAttachment:
    """An attachment of the actor's own appeal, for the party (logged, refused as a 404)."""
    appeal_id = AppealAttachment.objects.filter(pk=pk).values_list("appeal_id", flat=True).first()
    party_appeal(actor=actor, pk=appeal_id or 0, path=path, purpose="support.appeal.attachment")
    return AppealAttachment.objects.get(pk=pk)
