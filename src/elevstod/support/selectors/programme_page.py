"""The lists of the programme page (its measures, decisions and follow-ups) read in one query
(``core.unions``), as unsaved model objects holding what the page shows. The caller has the
programme from ``special.access_programme``, which checked and logged the read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F

from elevstod.accounts.models import User
from elevstod.core.unions import Branches, Rows, compiled_union_rows
from elevstod.organisation.models import Person

from ..models import ActionProgramme, Decision, Measure, ProgrammeFollowUp
from ..steps import Questions

_MEASURE = {
    "id": F("pk"),
    "number": F("position"),
    "ref": F("responsible_id"),
    "text1": F("what"),
    "text2": F("how"),
    "text3": F("how_much"),
    "text4": F("support_form"),
    "text5": F("responsible__given_name"),
    "text6": F("responsible__family_name"),
}
_DECISION = {
    "id": F("pk"),
    "ref": F("decided_by_id"),
    "ref2": F("delegation_id"),
    "text1": F("kind"),
    "text5": F("decided_by__given_name"),
    "text6": F("decided_by__family_name"),
    "at": F("decided_at"),
    "date1": F("decided_on"),
}
_FOLLOW_UP = {
    "id": F("pk"),
    "ref": F("created_by_id"),
    "ref2": F("created_by__person_id"),
    "text1": F("text"),
    "text2": F("created_by__username"),
    "text5": F("created_by__person__given_name"),
    "text6": F("created_by__person__family_name"),
    "date1": F("date"),
}


_LISTS = frozenset({"measure", "decision", "follow_up"})


@dataclass
class ProgrammeLists:
    measures: list[Measure]
    decisions: list[Decision]
    follow_ups: list[ProgrammeFollowUp]
    answers: Rows  # the rows of the other branches asked with the lists


def _person(pk: int | None, row: dict[str, Any]) -> Person | None:
    if pk is None:
        return None
    return Person(pk=pk, given_name=row["text5"], family_name=row["text6"])


def _measure(programme: ActionProgramme, row: dict[str, Any]) -> Measure:
    return Measure(
        pk=row["id"],
        programme=programme,
        position=row["number"],
        what=row["text1"],
        how=row["text2"],
        how_much=row["text3"],
        support_form=row["text4"],
        responsible=_person(row["ref"], row),
    )


def _decision(programme: ActionProgramme, row: dict[str, Any]) -> Decision:
    return Decision(
        pk=row["id"],
        programme=programme,
        kind=row["text1"],
        decided_at=row["at"],
        decided_on=row["date1"],
        decided_by=_person(row["ref"], row),
        delegation_id=row["ref2"],
    )


def _follow_up(programme: ActionProgramme, row: dict[str, Any]) -> ProgrammeFollowUp:
    author = User(pk=row["ref"], username=row["text2"], person=_person(row["ref2"], row))
    return ProgrammeFollowUp(
        pk=row["id"], programme=programme, date=row["date1"], text=row["text1"], created_by=author
    )


def programme_lists(programme: ActionProgramme, questions: Questions) -> ProgrammeLists:
    """The programme's measures (in their order), decisions (oldest first) and follow-ups
    (newest first), in one query compiled once per shape (``core.compiled``), with the rows
    of ``questions`` (more branches of the page, by kind) as ``answers``."""

    def branches(**ids: Any) -> Branches:
        pk = ids["programme"]
        return {
            "measure": (Measure.objects.filter(programme_id=pk), _MEASURE),
            "decision": (Decision.objects.filter(programme_id=pk), _DECISION),
            "follow_up": (ProgrammeFollowUp.objects.filter(programme_id=pk), _FOLLOW_UP),
            **questions.build(**ids),
        }

    ids = {"programme": programme.pk, **questions.ids}
    rows = compiled_union_rows(("programme lists", questions.shape), branches, **ids)
    measures = [_measure(programme, r) for r in rows["measure"]]
    decisions = [_decision(programme, r) for r in rows["decision"]]
    follow_ups = [_follow_up(programme, r) for r in rows["follow_up"]]
    return ProgrammeLists(
        measures=sorted(measures, key=lambda m: (m.position, m.pk)),
        decisions=sorted(decisions, key=lambda d: d.decided_at),
        follow_ups=sorted(follow_ups, key=lambda f: (f.date, f.pk), reverse=True),
        answers={kind: r for kind, r in rows.items() if kind not in _LISTS},
    )
