"""What each document says, read from the same selectors and rules as the pages: the
programme as decided (the decision's snapshot), a decision with its parties and the last day to
appeal per notified party (``workflow.appeal_last_day``), an investigation, and the pupil's
support history for a hand-over to a new school (3 kap. 12 j § skollagen).

The caller has already been let in by the page's own access function; nothing here decides who
may read. Addresses of the parties are shown only where the pupil page would show the guardians'
contact details: never for a pupil with protected identity, nor for a guardian of one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from elevstod.core.actors import AnyUser
from elevstod.core.timeutil import today
from elevstod.organisation.access import Grant, Right, pupil_grant
from elevstod.organisation.civic import civic_number_display
from elevstod.organisation.models import Group, GroupMembership, Person, SchoolUnit
from elevstod.organisation.pupil_page import pupil_page
from elevstod.support import workflow as wf
from elevstod.support.access import parties_of
from elevstod.support.models import (
    ActionProgramme,
    Appeal,
    Decision,
    ExtraAdaptation,
    Investigation,
    Measure,
    PartyNotification,
)
from elevstod.support.selectors import adaptations as adaptation_selectors
from elevstod.support.selectors import special
from elevstod.support.services.programme_content import snapshot


@dataclass(frozen=True)
class PupilLines:
    """The head of every document: who it is about, where."""

    name: str
    civic_number: str
    unit: str
    classes: str
    protected: bool


@dataclass(frozen=True)
class PartyLine:
    name: str
    address: str
    notification: PartyNotification | None
    last_day: dt.date | None


@dataclass(frozen=True)
class DecisionSheet:
    decision: Decision
    rule: wf.DecisionRule
    parties: list[PartyLine]
    appeal: Appeal | None  # the appeal a dismissal concerns
    programme: ProgrammeContent | None  # what a programme decision decided
    for_party: bool = False  # the family's copy: only the reader's own notification


@dataclass(frozen=True)
class ProgrammeContent:
    """The content of a programme: the decision's snapshot, or the draft as it stands."""

    needs: str
    measures: list[dict[str, Any]]
    follow_up_plan: str
    follow_up_responsible: str
    evaluation_date: dt.date | None
    evaluation_responsible: str
    pupil_participated: bool
    guardians_participated: bool
    participation_views: str


@dataclass(frozen=True)
class ProgrammeSheet:
    pupil: PupilLines
    programme: ActionProgramme
    content: ProgrammeContent
    decision: DecisionSheet | None  # None: not decided yet (a draft)


@dataclass(frozen=True)
class InvestigationSheet:
    pupil: PupilLines
    investigation: Investigation
    investigators: list[Person]
    contributors: list[Person]
    decisions: list[Decision]


@dataclass(frozen=True)
class HistorySheet:
    pupil: PupilLines
    made_on: dt.date
    adaptations: list[ExtraAdaptation]
    investigations: list[Investigation]
    programmes: list[tuple[ActionProgramme, list[Measure]]]
    decisions: list[Decision]


def pupil_lines(pupil: Person, unit: SchoolUnit) -> PupilLines:
    classes = (
        GroupMembership.objects.active()
        .filter(pupil=pupil, group__unit=unit, group__kind=Group.Kind.CLASS)
        .values_list("group__name", flat=True)
    )
    return PupilLines(
        name=pupil.full_name,
        civic_number=civic_number_display(pupil.civic_number),
        unit=unit.name,
        classes=", ".join(sorted(classes)),
        protected=pupil.has_protected_identity,
    )


def _addresses(actor: AnyUser, pupil: Person, parties: list[Person]) -> dict[int, str]:
    """The parties' addresses, where the pupil page would show the guardians' contacts."""
    if pupil.has_protected_identity:
        return {}
    grant = pupil_grant(actor, pupil)
    if not grant.has(Right.VIEW_GUARDIAN_CONTACTS):
        return {}
    page = pupil_page(grant=grant)
    # Only the addresses the pupil page shows: the current guardians' (not those hidden for a
    # protected household) and the pupil's own; a former guardian's is not the school's to print.
    shown = {g.guardian_id for g in page.guardians} - page.guardians_without_contacts
    shown.add(pupil.pk)
    return {
        p.pk: p.address
        for p in parties
        if p.address and p.pk in shown and not p.has_protected_identity
    }


def decision_sheet(
    *, actor: AnyUser, decision: Decision, party_id: int | None = None
) -> DecisionSheet:
    """The decision with its parties' notifications; with ``party_id`` (the family's copy, for
    that party) only their own: another guardian's notification is not theirs to read."""
    if party_id is None:
        parties = parties_of(decision.pupil, on=decision.decided_on)
    else:
        parties = list(Person.objects.filter(pk=party_id))
    notified = {n.party_id: n for n in decision.notifications.all()}
    addresses = _addresses(actor, decision.pupil, parties)
    lines = [
        PartyLine(
            name=p.full_name,
            address=addresses.get(p.pk, ""),
            notification=notified.get(p.pk),
            last_day=(
                wf.appeal_last_day(notified[p.pk].notified_on)
                if decision.appealable and p.pk in notified
                else None
            ),
        )
        for p in parties
    ]
    appeal = None
    if decision.appeal_id is not None:
        appeal = Appeal.objects.select_related("appellant").get(pk=decision.appeal_id)
    content = decision.content if decision.kind == wf.DecisionKind.PROGRAMME else None
    return DecisionSheet(
        decision=decision,
        rule=wf.DECISIONS[wf.DecisionKind(decision.kind)],
        parties=lines,
        appeal=appeal,
        programme=programme_content(content) if content else None,
        for_party=party_id is not None,
    )


def programme_content(data: dict[str, Any]) -> ProgrammeContent:
    """A programme's content from its snapshot (``programme_content.snapshot``)."""
    ids = [data.get("follow_up_responsible_id"), data.get("evaluation_responsible_id")]
    names = {p.pk: p.full_name for p in Person.objects.filter(pk__in=[i for i in ids if i])}
    evaluation = data.get("evaluation_date")
    return ProgrammeContent(
        needs=data.get("needs", ""),
        measures=list(data.get("measures", [])),
        follow_up_plan=data.get("follow_up_plan", ""),
        follow_up_responsible=names.get(ids[0] or 0, ""),
        evaluation_date=dt.date.fromisoformat(evaluation) if evaluation else None,
        evaluation_responsible=names.get(ids[1] or 0, ""),
        pupil_participated=bool(data.get("pupil_participated")),
        guardians_participated=bool(data.get("guardians_participated")),
        participation_views=data.get("participation_views", ""),
    )


def deciding_decision(programme: ActionProgramme) -> Decision | None:
    """The decision that decided the programme (its content is what was decided)."""
    return next(
        (d for d in special.decisions_of(programme) if d.kind == wf.DecisionKind.PROGRAMME), None
    )


def programme_sheet(*, actor: AnyUser, programme: ActionProgramme) -> ProgrammeSheet:
    decision = deciding_decision(programme)
    if decision is None:
        return ProgrammeSheet(
            pupil_lines(programme.pupil, programme.unit),
            programme,
            programme_content(snapshot(programme)),
            None,
        )
    decision.pupil = programme.pupil
    decision.unit = programme.unit
    sheet = decision_sheet(actor=actor, decision=decision)
    assert sheet.programme is not None
    return ProgrammeSheet(
        pupil_lines(programme.pupil, programme.unit), programme, sheet.programme, sheet
    )


def investigation_sheet(*, investigation: Investigation) -> InvestigationSheet:
    return InvestigationSheet(
        pupil=pupil_lines(investigation.pupil, investigation.unit),
        investigation=investigation,
        investigators=list(investigation.investigators.all()),
        contributors=list(investigation.contributors.all()),
        decisions=list(investigation.decisions.select_related("decided_by")),
    )


def history_sheet(*, actor: AnyUser, grant: Grant, unit: SchoolUnit) -> HistorySheet:
    """The pupil's support at every unit, as far as the reader may see it: extra adaptations,
    investigations, action programmes with their measures, and decisions."""
    adaptations = adaptation_selectors.adaptations_for_pupil(grant=grant)
    support = special.pupil_special_support(actor=actor, grant=grant)
    measures: dict[int, list[Measure]] = {p.pk: [] for p in support.programmes}
    for m in Measure.objects.filter(programme__in=support.programmes).select_related("responsible"):
        measures[m.programme_id].append(m)
    return HistorySheet(
        pupil=pupil_lines(grant.pupil, unit),
        made_on=today(),
        adaptations=[*adaptations.active, *adaptations.ended],
        investigations=support.investigations,
        programmes=[(p, measures[p.pk]) for p in support.programmes],
        decisions=support.decisions,
    )
