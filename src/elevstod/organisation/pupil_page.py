"""What the pupil page (and its family view and printed documents) shows of the pupil's school
data: placements, current groups, mentors and guardians, read in one query (``core.unions``)
and handed out as unsaved model objects, so that templates and documents read them as before."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef

from elevstod.core.models import active_on
from elevstod.core.timeutil import today
from elevstod.core.unions import Branches, Rows, union_rows

from .access import Grant, Right
from .models import (
    Group,
    GroupMembership,
    Guardianship,
    Mentorship,
    Person,
    Placement,
    SchoolUnit,
    Subject,
)


@dataclass
class PupilPage:
    grant: Grant
    placements: list[Placement]
    memberships: list[GroupMembership]
    mentors: list[Mentorship]
    guardians: list[Guardianship]
    # Guardians whose contact details are never shown: they, or any child of theirs, have a
    # protected identity (DOMAIN.md §4), whichever pupil's page lists them.
    guardians_without_contacts: frozenset[int] = frozenset()

    @property
    def current_placement(self) -> Placement | None:
        day = today()
        return next((p for p in self.placements if p.is_active(day)), None)


# What each kind of row puts in the shared columns of ``core.unions``.
_PLACEMENT = {
    "id": F("pk"),
    "ref": F("unit_id"),
    "number": F("school_year"),
    "text1": F("unit__name"),
    "flag1": F("unit__support_module_enabled"),
    "date1": F("start_date"),
    "date2": F("end_date"),
}
_MEMBERSHIP = {
    "id": F("pk"),
    "ref": F("group_id"),
    "ref2": F("group__subject_id"),
    "text1": F("group__name"),
    "text2": F("group__kind"),
    "text3": F("group__subject__name"),
}
_MENTOR = {
    "id": F("pk"),
    "ref": F("mentor_id"),
    "text1": F("mentor__given_name"),
    "text2": F("mentor__family_name"),
}
_GUARDIAN = {
    "id": F("pk"),
    "ref": F("guardian_id"),
    "text1": F("guardian__given_name"),
    "text2": F("guardian__family_name"),
    "text3": F("guardian__mobile"),
    "text4": F("guardian__email"),
    "text5": F("guardian__security_marking"),
    "flag1": F("custody"),
}


def pupil_page_branches(grant: Grant, day: dt.date | None = None) -> Branches:
    """The kinds of rows of ``pupil_page``, for ``core.unions.union_rows`` (a page may read
    them in one query with rows of its own)."""
    day = day or today()
    pupil_id = grant.pupil.pk
    branches: Branches = {
        "placement": (Placement.objects.filter(pupil_id=pupil_id), _PLACEMENT),
        "membership": (
            GroupMembership.objects.filter(active_on(day), pupil_id=pupil_id),
            _MEMBERSHIP,
        ),
        "mentor": (Mentorship.objects.filter(active_on(day), pupil_id=pupil_id), _MENTOR),
    }
    if grant.has(Right.VIEW_PUPIL):
        # Any ward, also one whose guardianship has ended: the contact details of a protected
        # child's household stay hidden after the child has turned 18 or moved.
        protected_ward = Guardianship.objects.filter(guardian_id=OuterRef("guardian_id")).exclude(
            pupil__security_marking=Person.SecurityMarking.NONE
        )
        branches["guardian"] = (
            Guardianship.objects.current(day).filter(pupil_id=pupil_id),
            {**_GUARDIAN, "flag2": Exists(protected_ward)},
        )
    return branches


def _placement(pupil: Person, row: dict[str, Any]) -> Placement:
    unit = SchoolUnit(pk=row["ref"], name=row["text1"], support_module_enabled=row["flag1"])
    return Placement(
        pk=row["id"],
        pupil=pupil,
        unit=unit,
        school_year=row["number"],
        start_date=row["date1"],
        end_date=row["date2"],
    )


def _membership(pupil: Person, row: dict[str, Any]) -> GroupMembership:
    subject = Subject(pk=row["ref2"], name=row["text3"]) if row["ref2"] is not None else None
    group = Group(pk=row["ref"], name=row["text1"], kind=row["text2"], subject=subject)
    return GroupMembership(pk=row["id"], pupil=pupil, group=group)


def _mentorship(pupil: Person, row: dict[str, Any]) -> Mentorship:
    mentor = Person(pk=row["ref"], given_name=row["text1"], family_name=row["text2"])
    return Mentorship(pk=row["id"], pupil=pupil, mentor=mentor)


def _guardianship(pupil: Person, row: dict[str, Any]) -> Guardianship:
    guardian = Person(
        pk=row["ref"],
        given_name=row["text1"],
        family_name=row["text2"],
        mobile=row["text3"],
        email=row["text4"],
        security_marking=row["text5"],
    )
    link = Guardianship(pk=row["id"], pupil=pupil, guardian=guardian, custody=row["flag1"])
    link.protected_ward = row["flag2"]  # type: ignore[attr-defined]
    return link


def pupil_page(*, grant: Grant) -> PupilPage:
    """What the pupil page shows, given a grant from ``access_pupil``: the pupil's placements,
    current groups, mentors and (with VIEW_PUPIL) guardians, read in one query."""
    return pupil_page_from(grant, union_rows(pupil_page_branches(grant)))


def pupil_page_from(grant: Grant, rows: Rows) -> PupilPage:
    """``pupil_page`` from the rows of ``pupil_page_branches``."""
    pupil = grant.pupil
    placements = [_placement(pupil, r) for r in rows["placement"]]
    placements.sort(key=lambda p: p.start_date, reverse=True)
    memberships = [_membership(pupil, r) for r in rows["membership"]]
    memberships.sort(key=lambda m: (m.group.kind, m.group.name))
    mentors = sorted((_mentorship(pupil, r) for r in rows["mentor"]), key=lambda m: m.pk)
    guardians = sorted(
        (_guardianship(pupil, r) for r in rows.get("guardian", [])), key=lambda g: g.pk
    )
    hidden = frozenset(
        g.guardian_id
        for g in guardians
        if g.protected_ward or g.guardian.has_protected_identity  # type: ignore[attr-defined]
    )
    return PupilPage(grant, placements, memberships, mentors, guardians, hidden)
