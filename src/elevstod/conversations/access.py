"""Who may see a pupil's development talks and plans, and who may do what with them. Built on
``organisation.access``: each rule is a named ``Reason``, every read is logged there, protected
identity holds (a teacher does not reach a protected pupil), and a refusal is ``AccessDenied``,
the same 404 a missing page gets.

- the pupil (``SELF``) and the guardians with custody (``GUARDIAN``, *vårdnadshavare*: a current
  guardianship with ``custody``, as for the parties of a decision) see the talk, the fixed plan
  and the adaptations marked visible to them, and book and prepare the talk; a parent without
  custody is no vårdnadshavare (Skollagen 10 kap. 12 §: the talk is with the pupil and the
  vårdnadshavare) and reaches none of it;
- the staff who teach the pupil (``TEACHER``) and the mentor (``MENTOR``) see it all, internal
  notes included; a teacher writes the part of the subjects they teach the pupil;
- the mentor plans the talk, offers times, drafts, snapshots and fixes the plan;
- the principal (``PRINCIPAL``) sees the unit's overview (held, fixed, missing), not the content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from elevstod.audit.services import access_log_record
from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied
from elevstod.core.models import active_on
from elevstod.core.timeutil import today
from elevstod.organisation.access import (
    FAMILY_REASONS,
    Grant,
    Reason,
    Right,
    pupil_grant,
    scope_for,
)
from elevstod.organisation.models import (
    GroupMembership,
    Mentorship,
    Person,
    SchoolUnit,
    TeachingAssignment,
)
from elevstod.organisation.standing import own_mentorships
from elevstod.support.access import guardian_parties

# Who reads a pupil's talks and plans, and why (issue: "SIUP content is for the pupil, the
# guardians and the staff who teach the pupil").
STAFF_READERS = frozenset({Reason.TEACHER, Reason.MENTOR})
READERS = STAFF_READERS | FAMILY_REASONS


@dataclass(frozen=True)
class TalkGrant:
    """What the actor may do with one pupil's talks and plans, and why."""

    pupil: Person
    reasons: frozenset[str]

    @property
    def is_staff(self) -> bool:
        return bool(self.reasons & STAFF_READERS)

    @property
    def is_family(self) -> bool:
        return bool(self.reasons & FAMILY_REASONS) and not self.is_staff

    @property
    def is_mentor(self) -> bool:
        return Reason.MENTOR in self.reasons

    @property
    def is_guardian(self) -> bool:
        return Reason.GUARDIAN in self.reasons

    @property
    def sees_internal_notes(self) -> bool:
        return self.is_staff


def talk_reasons(actor: AnyUser, grant: Grant) -> frozenset[str]:
    """Why the actor reaches the grant's pupil's talks and plans (empty: not at all): the
    reasons above, ``GUARDIAN`` only for a guardian with custody (``has_custody``)."""
    reasons = grant.reasons & READERS
    if Reason.GUARDIAN in reasons and not has_custody(actor, grant.pupil):
        reasons -= {Reason.GUARDIAN}
    return reasons


def has_custody(actor: AnyUser, pupil: Person) -> bool:
    """Whether the actor is a vårdnadshavare of the pupil today: a current guardianship with
    custody (``support.access.guardian_parties``, the rule of a decision's parties)."""
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return False
    return guardian_parties().filter(guardian_id=person_id, pupil=pupil).exists()


def access_talks(*, actor: AnyUser, pk: int, purpose: str, path: str = "") -> TalkGrant:
    """The only way for a page to reach one pupil's talks and plans. Logs the read or the
    refusal; raises ``AccessDenied`` for anyone without a reason above."""
    pupil = Person.objects.filter(pk=pk).first()
    reasons = talk_reasons(actor, pupil_grant(actor, pupil)) if pupil else frozenset()
    access_log_record(
        actor=actor,
        pupil_id=pupil.pk if pupil is not None else None,
        purpose=purpose,
        reasons=reasons,
        granted=bool(reasons),
        path=path,
    )
    if pupil is None or not reasons:
        raise AccessDenied()
    return TalkGrant(pupil, reasons)


def require_mentor(grant: TalkGrant) -> None:
    if not grant.is_mentor:
        raise AccessDenied()


def sees_adaptations(actor: AnyUser, pupil: Person) -> bool:
    """Whether the actor works with the pupil's extra adaptations: staff of the pupil placed at
    a unit with the support module (``Right.VIEW_SUPPORT``). Without it there is nothing to
    picture or link: the unit writes its adaptations under the school's efforts."""
    return pupil_grant(actor, pupil).has(Right.VIEW_SUPPORT)


def mentor_of(pupil: Person, day: dt.date | None = None) -> Person | None:
    """The pupil's mentor today (the first, when there are several)."""
    mentorship = (
        Mentorship.objects.filter(active_on(day or today()), pupil=pupil)
        .select_related("mentor", "unit")
        .order_by("start_date", "pk")
        .first()
    )
    return mentorship.mentor if mentorship else None


def subjects_taught_to(actor: AnyUser, pupil: Person, day: dt.date | None = None) -> set[int]:
    """The subjects the actor teaches the pupil today (through a group with a subject)."""
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return set()
    day = day or today()
    groups = GroupMembership.objects.filter(
        active_on(day), active_on(day, prefix="group__"), pupil=pupil
    ).values("group_id")
    return set(
        TeachingAssignment.objects.filter(
            active_on(day),
            teacher_id=person_id,
            group_id__in=groups,
            group__subject__isnull=False,
        ).values_list("group__subject_id", flat=True)
    )


def overview_units(actor: AnyUser) -> frozenset[int]:
    """Units whose overview the actor may open: as principal, or as a mentor there."""
    scope = scope_for(actor)
    mentored = {unit_id for _pupil_id, unit_id in own_mentorships(actor)}
    return frozenset(scope.principal_units | mentored)


def access_overview(*, actor: AnyUser, pk: int) -> tuple[SchoolUnit, bool]:
    """The unit, and whether the actor sees every pupil of it (the principal) or only their
    mentees (a mentor)."""
    if pk not in overview_units(actor):
        raise AccessDenied()
    unit = SchoolUnit.objects.get(pk=pk)
    return unit, pk in scope_for(actor).principal_units
