"""Reads of the talks and plans for the pages, through ``access``: each page reaches its pupil
by ``access_talks`` (logged), and runs a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from elevstod.audit.services import access_log_record_many
from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied
from elevstod.core.models import active_on
from elevstod.core.timeutil import now
from elevstod.organisation.access import Reason, pupil_grant, pupils_visible_to
from elevstod.organisation.models import (
    Group,
    GroupMembership,
    Mentorship,
    Person,
    Placement,
    SchoolUnit,
    school_year_label,
)
from elevstod.support.models import ExtraAdaptation
from elevstod.support.selectors.family import family_support

from .access import TalkGrant, access_talks
from .models import (
    AdaptationSnapshot,
    ConversationSettings,
    DevelopmentPlan,
    DevelopmentTalk,
    PlanVersion,
    PreparationAnswer,
    PreparationQuestion,
    TalkSlot,
)
from .terms import Term, current_term, plan_allowed, plan_required, term_key


def access_talk(
    *, actor: AnyUser, pk: int, purpose: str, path: str = ""
) -> tuple[DevelopmentTalk, TalkGrant]:
    pupil_id = DevelopmentTalk.objects.filter(pk=pk).values_list("pupil_id", flat=True).first()
    grant = access_talks(actor=actor, pk=pupil_id or 0, purpose=purpose, path=path)
    talk = (
        DevelopmentTalk.objects.select_related("mentor", "unit")
        .prefetch_related("participants")
        .get(pk=pk)
    )
    return talk, grant


def access_plan(
    *, actor: AnyUser, pk: int, purpose: str, path: str = ""
) -> tuple[DevelopmentPlan, TalkGrant]:
    pupil_id = DevelopmentPlan.objects.filter(pk=pk).values_list("pupil_id", flat=True).first()
    grant = access_talks(actor=actor, pk=pupil_id or 0, purpose=purpose, path=path)
    plan = DevelopmentPlan.objects.select_related("unit", "talk").get(pk=pk)
    if grant.is_family and not plan.versions.exists():
        raise AccessDenied()  # the family reads the plan once it is fixed
    return plan, grant


@dataclass
class PupilTalks:
    term: Term
    placement: Placement | None
    talk: DevelopmentTalk | None
    plan: DevelopmentPlan | None
    plans: list[DevelopmentPlan]
    talks: list[DevelopmentTalk]
    slots: list[TalkSlot] = field(default_factory=list)
    booked: TalkSlot | None = None  # the offered time booked for the pupil
    plan_required: bool = False
    plan_allowed: bool = False


def pupil_talks(*, grant: TalkGrant) -> PupilTalks:
    """The pupil's talks and plans: this term's, and earlier terms' in history."""
    term = current_term()
    placement = (
        Placement.objects.active()
        .filter(pupil=grant.pupil)
        .select_related("unit")
        .order_by("-start_date")
        .first()
    )
    talks = list(DevelopmentTalk.objects.filter(pupil=grant.pupil).select_related("mentor"))
    plans = list(
        DevelopmentPlan.objects.filter(pupil=grant.pupil).prefetch_related(
            Prefetch("versions", queryset=PlanVersion.objects.order_by("-number"))
        )
    )
    if grant.is_family:
        plans = [p for p in plans if p.versions.all()]
    year = placement.school_year if placement else None
    other_years = plan_in_other_years(placement.unit_id) if placement else False
    slots = slots_for_pupil(grant.pupil) if grant.is_guardian else []
    return PupilTalks(
        term=term,
        placement=placement,
        talk=next((t for t in talks if t.term == term.code), None),
        plan=next((p for p in plans if p.term == term.code), None),
        plans=[p for p in plans if p.term != term.code],
        talks=[t for t in talks if t.term != term.code],
        slots=slots,
        booked=next((s for s in slots if s.pupil_id == grant.pupil.pk), None),
        plan_required=plan_required(year),
        plan_allowed=plan_allowed(year, other_years=other_years),
    )


@dataclass
class Respondent:
    """One who answered the preparation questions: the pupil, or a guardian answering the
    questions written to the pupil, with their answers."""

    person: Person
    is_pupil: bool
    answers: list[PreparationAnswer]


@dataclass
class TalkPage:
    talk: DevelopmentTalk
    questions: list[PreparationQuestion]
    answers: list[PreparationAnswer]
    my_answers: dict[int, str]
    respondents: list[Respondent] = field(default_factory=list)
    plan: DevelopmentPlan | None = None  # the term's plan, when the reader may open it
    family_adaptations: list[ExtraAdaptation] = field(default_factory=list)


def talk_page(*, talk: DevelopmentTalk, grant: TalkGrant, actor: AnyUser) -> TalkPage:
    questions = list(PreparationQuestion.objects.filter(unit_id=talk.unit_id, is_active=True))
    answers = list(talk.answers.select_related("question", "respondent"))
    person_id = getattr(actor, "person_id", None)
    mine = {a.question_id: a.text for a in answers if a.respondent_id == person_id}
    page = TalkPage(talk, questions, answers, mine, respondents_of(talk, answers))
    plans = talk.plans.all()
    if grant.is_family:  # the family reads the plan once it is fixed: no link to a draft
        plans = plans.filter(versions__isnull=False)
    page.plan = plans.first()
    if page.plan is not None:
        page.family_adaptations = family_adaptations(actor=actor, grant=grant)
    return page


def family_adaptations(*, actor: AnyUser, grant: TalkGrant) -> list[ExtraAdaptation]:
    """For the pupil and the guardians: the pupil's current extra adaptations the school marked
    "show to pupil and guardian", through the support app's family view (never a hidden one),
    so that the plan and the adaptations are seen together (seed 001). Staff get none here:
    they follow the link to the adaptations themselves."""
    if not grant.is_family:
        return []
    return family_support(grant=pupil_grant(actor, grant.pupil)).adaptations


def respondents_of(talk: DevelopmentTalk, answers: list[PreparationAnswer]) -> list[Respondent]:
    """The answers by who gave them: the pupil first, then each guardian."""
    by_person: dict[int, Respondent] = {}
    for a in answers:
        who = a.respondent
        by_person.setdefault(who.pk, Respondent(who, who.pk == talk.pupil_id, [])).answers.append(a)
    return sorted(by_person.values(), key=lambda r: (not r.is_pupil, r.person.full_name))


def visible_items(items: list[dict[str, Any]], *, all_items: bool) -> list[dict[str, Any]]:
    """The adaptations of a snapshot the actor sees: the pupil and guardians only those the
    school marked "show to pupil and guardian" (seed 001); staff all (``all_items``)."""
    if all_items:
        return items
    return [item for item in items if item.get("visible_to_family")]


@dataclass
class PlanPage:
    plan: DevelopmentPlan
    content: dict[str, Any]  # what is shown: the draft (staff) or the last fixed version
    versions: list[PlanVersion]
    shown_version: PlanVersion | None
    snapshot_items: list[dict[str, Any]]


def plan_page(*, plan: DevelopmentPlan, grant: TalkGrant, all_items: bool) -> PlanPage:
    versions = list(plan.versions.select_related("fixed_by"))
    shown = versions[0] if versions else None
    # the family reads what was fixed; staff the plan as it stands (the draft of a new version)
    content = shown.content if grant.is_family and shown is not None else plan_content(plan)
    snapshot = content.get("snapshot") or {}
    items = visible_items(list(snapshot.get("items", [])), all_items=all_items and grant.is_staff)
    return PlanPage(plan, content, versions, shown, items)


def plan_of_adaptation(
    *, adaptation_id: int, grant: TalkGrant, term: Term
) -> DevelopmentPlan | None:
    """The latest plan of the pupil whose adaptation snapshot holds the adaptation, else the
    plan of ``term``; the family only reaches fixed plans."""
    plans = DevelopmentPlan.objects.filter(pupil=grant.pupil)
    if grant.is_family:
        plans = plans.filter(versions__isnull=False).distinct()
    snapshots = AdaptationSnapshot.objects.filter(plan__in=plans).select_related("plan")
    holding = [s.plan for s in snapshots if any(i.get("id") == adaptation_id for i in s.items)]
    if holding:
        return max(holding, key=lambda p: term_key(p.term))
    return plans.filter(term=term.code).first()


@dataclass
class OverviewRow:
    pupil: Person
    school_year: int
    talk: DevelopmentTalk | None
    plan: DevelopmentPlan | None
    plan_expected: bool  # the unit writes the plan in the pupil's year: without one it is missing

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


def unit_overview(
    *, actor: AnyUser, unit: SchoolUnit, everyone: bool, term: Term | None = None, path: str = ""
) -> list[OverviewRow]:
    """The unit's pupils (the principal) or the actor's mentees there (a mentor), with this
    term's talk and plan; the read of each pupil shown is logged. A fixed number of queries,
    however many pupils."""
    term = term or current_term()
    rows = _overview_placements(actor, unit, everyone)
    ids = [p.pupil_id for p in rows]
    talks = {
        t.pupil_id: t for t in DevelopmentTalk.objects.filter(pupil_id__in=ids, term=term.code)
    }
    plans = {
        p.pupil_id: p for p in DevelopmentPlan.objects.filter(pupil_id__in=ids, term=term.code)
    }
    other_years = plan_in_other_years(unit.pk)
    access_log_record_many(
        actor=actor,
        pupil_ids=ids,
        purpose="conversations.overview.page",
        reasons=[Reason.PRINCIPAL if everyone else Reason.MENTOR],
        granted=True,
        path=path,
    )
    return [
        OverviewRow(
            p.pupil,
            p.school_year,
            talks.get(p.pupil_id),
            plans.get(p.pupil_id),
            plan_allowed(p.school_year, other_years=other_years),
        )
        for p in rows
    ]


def _overview_placements(actor: AnyUser, unit: SchoolUnit, everyone: bool) -> list[Placement]:
    placements = Placement.objects.active().filter(unit=unit)
    pupils = pupils_visible_to(actor).filter(pk__in=placements.values("pupil_id"))
    if not everyone:
        mentees = Mentorship.objects.filter(
            active_on(), mentor_id=getattr(actor, "person_id", None), unit=unit
        ).values("pupil_id")
        pupils = pupils.filter(pk__in=mentees)
    return list(
        placements.filter(pupil__in=pupils)
        .select_related("pupil")
        .order_by("school_year", "pupil__family_name", "pupil__given_name")
    )


def group_schedule(*, actor: AnyUser, group: Group, path: str = "") -> list[TalkSlot]:
    """The times the actor offered for the group, with who booked them (each pupil named is a
    read, logged)."""
    slots = list(
        TalkSlot.objects.filter(group=group, mentor_id=getattr(actor, "person_id", None))
        .select_related("pupil")
        .order_by("starts_at")
    )
    access_log_record_many(
        actor=actor,
        pupil_ids=sorted({s.pupil_id for s in slots if s.pupil_id is not None}),
        purpose="conversations.group_times.page",
        reasons=[Reason.MENTOR],
        granted=True,
        path=path,
    )
    return slots


def own_slot(*, actor: AnyUser, pk: int) -> TalkSlot:
    """A time the actor offered, with who booked it; anyone else's is not found."""
    slot = (
        TalkSlot.objects.select_related("pupil", "group")
        .filter(pk=pk, mentor_id=getattr(actor, "person_id", None))
        .first()
    )
    if slot is None:
        raise AccessDenied()
    return slot


def mentor_groups(*, actor: AnyUser) -> list[Group]:
    """The active groups with pupils the actor mentors (to offer times to)."""
    person_id = getattr(actor, "person_id", None)
    mentees = Mentorship.objects.filter(active_on(), mentor_id=person_id).values("pupil_id")
    return list(
        Group.objects.active()
        .filter(
            kind=Group.Kind.CLASS,
            memberships__pupil_id__in=mentees,
        )
        .filter(active_on(prefix="memberships__"))
        .distinct()
        .select_related("unit")
    )


def plan_in_other_years(unit_id: int) -> bool:
    return ConversationSettings.objects.filter(unit_id=unit_id, plan_in_other_years=True).exists()


def slots_for_pupil(pupil: Person) -> list[TalkSlot]:
    """The times offered to the pupil's family: future times of the pupil's groups by the
    pupil's mentors, free or booked for this pupil."""
    groups = GroupMembership.objects.filter(active_on(), pupil=pupil).values("group_id")
    mentors = Mentorship.objects.filter(active_on(), pupil=pupil).values("mentor_id")
    return list(
        TalkSlot.objects.filter(
            group_id__in=groups, mentor_id__in=mentors, starts_at__gte=now()
        ).select_related("mentor", "pupil")
    )


def plan_content(plan: DevelopmentPlan) -> dict[str, Any]:
    """What a version of the plan says, as a record."""
    snapshot = plan.snapshots.first()
    return {
        "term": plan.term,
        "school_year": plan.school_year,
        "pupil_will": plan.pupil_will,
        "guardians_will": plan.guardians_will,
        "school_efforts": plan.school_efforts,
        "subjects": [
            {
                "subject": n.subject.name,
                "strengths": n.strengths,
                "development": n.development,
                "written_by": n.written_by.full_name,
            }
            for n in plan.subjects.select_related("subject", "written_by")
        ],
        "snapshot": (
            {"taken_on": snapshot.taken_on.isoformat(), "items": snapshot.items}
            if snapshot
            else None
        ),
    }


def unit_questions(*, unit: SchoolUnit) -> list[str]:
    return list(
        PreparationQuestion.objects.filter(unit=unit, is_active=True).values_list("text", flat=True)
    )
