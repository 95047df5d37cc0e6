"""Demo development talks and plans, written through the services as the mentors, teachers and
guardians themselves: preparation questions per unit, times offered to each class of years 1-5
with some booked by guardians, talks held earlier this term with their record, and plans with
the school's efforts. At the units with the support module the plan holds a snapshot of the
extra adaptations; at the unit without it (Björkängsskolan) the adaptations are written under
the school's efforts. Run after the support demo, whose adaptations the snapshots picture."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from elevstod.accounts.models import User
from elevstod.core.models import active_on
from elevstod.core.timeutil import today
from elevstod.organisation.models import (
    Group,
    GroupMembership,
    Guardianship,
    Mentorship,
    Person,
    Placement,
    SchoolUnit,
    TeachingAssignment,
)
from elevstod.support.demo import login_for
from elevstod.support.models import ExtraAdaptation
from elevstod.support.services import adaptations

from .models import TalkSlot
from .services import booking, plans, talks
from .terms import REQUIRED_YEARS, current_term, plan_required

QUESTIONS = [
    "Vad är du bra på i skolan?",
    "Vad tycker du är roligast att lära dig just nu?",
    "Vad vill du bli bättre på den här terminen?",
    "Finns det något som är svårt eller jobbigt i skolan?",
]
STRENGTHS = {
    "GRGRSVE01": [
        "Läser gärna och berättar levande om det du läst.",
        "Skriver texter med tydlig början, mitt och slut.",
    ],
    "GRGRMAT01": [
        "Räknar säkert med de fyra räknesätten.",
        "Är nyfiken och provar gärna olika sätt att lösa problem.",
    ],
}
DEVELOPMENT = {
    "GRGRSVE01": ["Att använda stor bokstav och punkt.", "Att läsa lite varje dag hemma."],
    "GRGRMAT01": ["Att förklara hur du tänker.", "Att känna igen bråk i vardagen."],
}
PUPIL_WILL = [
    "Läsa 15 minuter varje dag och berätta om boken för någon hemma.",
    "Räcka upp handen och fråga när jag inte förstår.",
    "Träna multiplikationstabellerna med appen två gånger i veckan.",
]
GUARDIANS_WILL = [
    "Läsa tillsammans med barnet några kvällar i veckan.",
    "Fråga om skoldagen och titta på veckobrevet tillsammans.",
]
EFFORTS = [
    "Läraren ger korta genomgångar med bilder och skriver dagens plan på tavlan.",
    "Eleven får läsa i en läsgrupp två gånger i veckan.",
]
# Without the support module, the adaptations that change only once a term are written here.
EFFORTS_WITHOUT_MODULE = (
    "Extra anpassningar: förlängd skrivtid vid prov och instruktioner med bildstöd. "
    "Eleven sitter nära läraren vid genomgångar."
)
DEMO_GUARDIAN = "vardnadshavare"
# The demo guardian's child whose plan is fixed gets one adaptation shown to the family and one
# not, so that the family's view of the plan's snapshot shows the rule at work.
SHOWCASE = (
    ("Bildstöd vid genomgångar", "Läraren visar dagens steg med bilder på tavlan.", True),
    ("Enskilt rum vid prov", "Eleven skriver prov i grupprummet med extra tid.", False),
)
RECORD = "Vi pratade om vad som går bra och om målen för terminen. Eleven ledde samtalet."


@transaction.atomic
def conversations_demo_load(*, seed: int = 2026) -> int:
    """Talks and plans at every unit; returns how many plans were written."""
    rng = random.Random(seed)
    written = 0
    kinds = _demo_family_kinds()
    for unit in SchoolUnit.objects.order_by("pk"):
        talks.preparation_questions_set(actor=None, unit=unit, texts=QUESTIONS)
        for klass in _classes(unit):
            written += _class(rng, unit, klass, kinds)
    return written


HELD, BOOKED, NOT_YET = 0, 1, 2


def _demo_family_kinds() -> dict[int, int]:
    """The demo guardian's children: the elder had the talk (the plan is fixed), the younger's
    time is still to be booked, so that the demo login sees both."""
    guardian = User.objects.filter(username=DEMO_GUARDIAN).first()
    if guardian is None or guardian.person_id is None:
        return {}
    children = Guardianship.objects.filter(guardian_id=guardian.person_id).order_by(
        "pupil__civic_number"
    )
    ids = list(children.values_list("pupil_id", flat=True))
    return dict(zip(ids, (HELD, NOT_YET), strict=False))


def _classes(unit: SchoolUnit) -> list[Group]:
    return list(
        Group.objects.active().filter(
            unit=unit, kind=Group.Kind.CLASS, school_year__in=list(REQUIRED_YEARS)
        )
    )


def _mentees(klass: Group) -> dict[Person, list[Person]]:
    """The class's pupils, by their mentor."""
    members = GroupMembership.objects.filter(active_on(), group=klass).values("pupil_id")
    out: dict[Person, list[Person]] = {}
    for m in (
        Mentorship.objects.filter(active_on(), pupil_id__in=members)
        .select_related("mentor", "pupil")
        .order_by("pupil__family_name", "pupil_id")
    ):
        out.setdefault(m.mentor, []).append(m.pupil)
    return out


def _guardian_login(pupil: Person) -> User | None:
    link = Guardianship.objects.filter(pupil=pupil).select_related("guardian").first()
    return login_for(link.guardian) if link else None


def _class(rng: random.Random, unit: SchoolUnit, klass: Group, kinds: dict[int, int]) -> int:
    written = 0
    for mentor_person, pupils in _mentees(klass).items():
        mentor = login_for(mentor_person)
        slots = _offer(rng, mentor, klass)
        for index, pupil in enumerate(pupils):
            kind = kinds.get(pupil.pk, index % 3)
            if kind == HELD:
                _held(rng, mentor, pupil)
                if pupil.pk in kinds and unit.support_module_enabled:
                    _showcase_adaptations(pupil)
                written += _plan(rng, mentor, pupil, unit, fix=True)
            elif kind == BOOKED:
                guardian = _guardian_login(pupil)
                free = [s for s in slots if s.pupil_id is None]
                if guardian is not None and free:
                    booking.slot_book(actor=guardian, pupil=pupil, slot_id=free[0].pk)
                    free[0].pupil_id = pupil.pk
                written += _plan(rng, mentor, pupil, unit, fix=False)
    return written


def _showcase_adaptations(pupil: Person) -> None:
    """Written by the pupil's teacher before the plan's snapshot is taken (see ``SHOWCASE``)."""
    teacher = _teacher_of(pupil, "GRGRSVE01") or _teacher_of(pupil, "GRGRMAT01")
    if teacher is None or teacher.person is None:
        return
    there = set(ExtraAdaptation.objects.filter(pupil=pupil).values_list("title", flat=True))
    for title, description, visible in SHOWCASE:
        if title in there:
            continue
        adaptations.adaptation_create(
            actor=teacher,
            pupil=pupil,
            data=adaptations.AdaptationInput(
                title=title,
                description=description,
                need="Behöver se och höra instruktionerna i små steg.",
                all_subjects=True,
                subject_ids=[],
                start_date=today() - dt.timedelta(days=30),
                responsible_id=teacher.person.pk,
                next_follow_up=today() + dt.timedelta(days=30),
                visible_to_family=visible,
            ),
        )


def _offer(rng: random.Random, mentor: User, klass: Group) -> list[TalkSlot]:
    day = today() + dt.timedelta(days=rng.randint(5, 12))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return booking.slots_offer(
        actor=mentor,
        group=klass,
        day=day,
        first=dt.time(13, 0),
        count=8,
        minutes=20,
        place=f"Klassrummet, {klass.name}",
    )


def _held(rng: random.Random, mentor: User, pupil: Person) -> None:
    term = current_term()
    day = max(term.start, today() - dt.timedelta(days=rng.randint(3, 40)))
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.choice([8, 10, 14]), 0)))
    people = [pupil.pk, mentor.person_id, *talks_guardians(pupil)]
    talk = talks.talk_plan(
        actor=mentor,
        pupil=pupil,
        data=talks.TalkInput(
            starts_at=starts_at,
            duration_minutes=30,
            place="Mentorsrummet",
            participant_ids=[p for p in people if p is not None],
            other_participants="",
        ),
    )
    talks.talk_record(
        actor=mentor,
        talk_id=talk.pk,
        expected_version=talk.version,
        data=talks.RecordInput(held_on=day, record=RECORD, internal_note=""),
    )


def talks_guardians(pupil: Person) -> list[int]:
    return list(Guardianship.objects.filter(pupil=pupil).values_list("guardian_id", flat=True))


def _plan(rng: random.Random, mentor: User, pupil: Person, unit: SchoolUnit, *, fix: bool) -> int:
    placement = Placement.objects.active().filter(pupil=pupil).first()
    if placement is None or not plan_required(placement.school_year):
        return 0
    plan = plans.plan_start(actor=mentor, pupil=pupil)
    efforts = rng.choice(EFFORTS)
    if not unit.support_module_enabled:
        efforts = f"{efforts} {EFFORTS_WITHOUT_MODULE}"
    plans.plan_update(
        actor=mentor,
        plan_id=plan.pk,
        data=plans.PlanInput(
            pupil_will=rng.choice(PUPIL_WILL),
            guardians_will=rng.choice(GUARDIANS_WILL),
            school_efforts=efforts,
        ),
    )
    for code in STRENGTHS:
        writer = _teacher_of(pupil, code) or mentor
        subject_id = _subject_of(pupil, code)
        if subject_id is None or subject_id not in plans.subjects_writable(writer, plan):
            continue
        plans.subject_note_save(
            actor=writer,
            plan_id=plan.pk,
            subject_id=subject_id,
            strengths=rng.choice(STRENGTHS[code]),
            development=rng.choice(DEVELOPMENT[code]),
        )
    if unit.support_module_enabled:
        plans.plan_snapshot(actor=mentor, plan_id=plan.pk)
    if fix:
        plans.plan_fix(actor=mentor, plan_id=plan.pk)
    return 1


def _subject_groups(pupil: Person, code: str) -> list[int]:
    return list(
        GroupMembership.objects.filter(
            active_on(), pupil=pupil, group__subject__code=code
        ).values_list("group_id", flat=True)
    )


def _subject_of(pupil: Person, code: str) -> int | None:
    group = Group.objects.filter(pk__in=_subject_groups(pupil, code)).first()
    return group.subject_id if group else None


def _teacher_of(pupil: Person, code: str) -> User | None:
    assignment = (
        TeachingAssignment.objects.filter(active_on(), group_id__in=_subject_groups(pupil, code))
        .select_related("teacher")
        .first()
    )
    return login_for(assignment.teacher) if assignment else None
