"""The support section of the pupil page: the pupil's extra adaptations (with their subjects)
and special support (referrals, investigations, programmes, decisions) as the actor may see
them, read in one query (``core.unions``) from the same querysets as ``adaptations_for_pupil``
and ``pupil_special_support``, as unsaved model objects holding what the page shows."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from elevstod.core.actors import AnyUser
from elevstod.core.timeutil import today
from elevstod.core.unions import Branches, Rows
from elevstod.organisation.access import Grant, Right
from elevstod.organisation.models import Person, SchoolUnit

from ..access import decisions_seen_by, investigations_seen_by, referrals_seen_by
from ..models import ActionProgramme, Decision, ExtraAdaptation, Investigation, Referral
from .adaptations import PupilAdaptations, due_state
from .special import PupilSpecialSupport

_CASE = {"id": F("pk"), "at": F("created_at"), "text2": F("state"), "text3": F("unit__name")}


def support_summary_branches(actor: AnyUser, grant: Grant) -> Branches:
    """The kinds of rows of ``pupil_support_summary`` (the grant must give VIEW_SUPPORT), for
    ``core.unions.union_rows``."""
    assert grant.has(Right.VIEW_SUPPORT)
    pupil = grant.pupil
    adaptations = ExtraAdaptation.objects.filter(pupil=pupil)
    return {
        "adaptation": (
            adaptations,
            {
                "id": F("pk"),
                "ref": F("responsible_id"),
                "text1": F("title"),
                "text2": F("status"),
                "text4": F("responsible__given_name"),
                "text5": F("responsible__family_name"),
                "flag1": F("all_subjects"),
                "date1": F("start_date"),
                "date2": F("end_date"),
                "date3": F("next_follow_up"),
            },
        ),
        "subject": (
            ExtraAdaptation.subjects.through.objects.filter(extraadaptation__pupil=pupil),
            {"id": F("subject_id"), "ref": F("extraadaptation_id"), "text1": F("subject__name")},
        ),
        "referral": (
            referrals_seen_by(actor, grant),
            {"id": F("pk"), "at": F("created_at"), "text2": F("state")},
        ),
        "investigation": (investigations_seen_by(actor, grant), _CASE),
        "programme": (ActionProgramme.objects.filter(pupil=pupil), _CASE),
        "decision": (
            decisions_seen_by(actor, grant),
            {"id": F("pk"), "text2": F("kind"), "text3": F("unit__name"), "date1": F("decided_on")},
        ),
    }


def _adaptation(row: dict[str, Any], subjects: dict[int, list[str]]) -> ExtraAdaptation:
    responsible = None
    if row["ref"] is not None:
        responsible = Person(pk=row["ref"], given_name=row["text4"], family_name=row["text5"])
    adaptation = ExtraAdaptation(
        pk=row["id"],
        title=row["text1"],
        status=row["text2"],
        responsible=responsible,
        all_subjects=row["flag1"],
        start_date=row["date1"],
        end_date=row["date2"],
        next_follow_up=row["date3"],
    )
    adaptation.subject_names = sorted(subjects.get(adaptation.pk, []))  # type: ignore[attr-defined]
    return adaptation


def _adaptations(rows: Rows) -> PupilAdaptations:
    subjects: dict[int, list[str]] = {}
    for row in rows["subject"]:
        subjects.setdefault(row["ref"], []).append(row["text1"])
    adaptations = [_adaptation(row, subjects) for row in rows["adaptation"]]
    adaptations.sort(key=lambda a: (a.start_date, a.pk), reverse=True)
    day = today()
    for a in adaptations:
        a.due = due_state(a, day) if a.is_active else ""  # type: ignore[attr-defined]
    return PupilAdaptations(
        active=[a for a in adaptations if a.is_active],
        ended=[a for a in adaptations if not a.is_active],
    )


def _newest_first(objects: list[Any], key: str) -> list[Any]:
    return sorted(objects, key=lambda o: (getattr(o, key), o.pk), reverse=True)


def _special(rows: Rows) -> PupilSpecialSupport:
    def unit(row: dict[str, Any]) -> SchoolUnit:
        return SchoolUnit(name=row["text3"])

    referrals = [
        Referral(pk=r["id"], created_at=r["at"], state=r["text2"]) for r in rows["referral"]
    ]
    investigations = [
        Investigation(pk=r["id"], created_at=r["at"], state=r["text2"], unit=unit(r))
        for r in rows["investigation"]
    ]
    programmes = [
        ActionProgramme(pk=r["id"], created_at=r["at"], state=r["text2"], unit=unit(r))
        for r in rows["programme"]
    ]
    decisions = [
        Decision(pk=r["id"], kind=r["text2"], decided_on=r["date1"], unit=unit(r))
        for r in rows["decision"]
    ]
    return PupilSpecialSupport(
        _newest_first(referrals, "created_at"),
        _newest_first(investigations, "created_at"),
        _newest_first(programmes, "created_at"),
        _newest_first(decisions, "decided_on"),
    )


def support_summary_from(rows: Rows) -> tuple[PupilAdaptations, PupilSpecialSupport]:
    """The adaptations and the special support from the rows of ``support_summary_branches``."""
    return _adaptations(rows), _special(rows)
