"""What the conversations app contributes to others: the texts of its notifications, its
sections of the register extract, the talks' dates for reminders, and the link from an extra
adaptation to the development plan of its term. Imported from ``ConversationsConfig.ready()``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevstod.audit.registry import ExtractSection, register_extract_section, rows_of
from elevstod.core.actors import AnyUser
from elevstod.notifications.messages import CATEGORIES, MESSAGES
from elevstod.notifications.registry import Due, register_due_source
from elevstod.organisation.access import Grant
from elevstod.organisation.models import Person
from elevstod.support.access import guardian_parties
from elevstod.support.links import RelatedLink, register_adaptation_link, register_efforts_link
from elevstod.support.models import ExtraAdaptation

from .access import talk_reasons
from .models import (
    AdaptationSnapshot,
    DevelopmentPlan,
    DevelopmentTalk,
    PlanVersion,
    PreparationAnswer,
    SubjectNote,
    TalkSlot,
)

TALK_REMINDER = "reminder.talk"

MESSAGES.update(
    {
        "conversations.talk.planned": _(
            "%(actor)s planned the development talk for %(pupil)s on %(date)s."
        ),
        "conversations.talk.booked": _(
            "%(actor)s booked %(date)s for the development talk of %(pupil)s."
        ),
        "conversations.talk.rebooked": _(
            "%(actor)s moved the development talk of %(pupil)s to %(date)s."
        ),
        "conversations.talk.cancelled": _(
            "%(actor)s cancelled the booked time of the development talk of %(pupil)s."
        ),
        "conversations.talk.withdrawn": _(
            "%(actor)s withdrew the booked time of the development talk of %(pupil)s."
            " Please book another time."
        ),
        "conversations.talk.prepared": _(
            "%(actor)s answered the preparation questions for the talk of %(pupil)s."
        ),
        "conversations.plan.fixed": _(
            "The development plan of %(pupil)s is fixed for the term and can be read."
        ),
        TALK_REMINDER: _("Reminder: the development talk of %(pupil)s is on %(date)s."),
    }
)
CATEGORIES["conversations."] = _("Development talks")

Rows = Callable[[Person], list[dict[str, Any]]]


def _of_pupil(model: type[models.Model]) -> Rows:
    return lambda pupil: rows_of(model._default_manager.filter(pupil=pupil))


def _of_plans(model: type[models.Model]) -> Rows:
    return lambda pupil: rows_of(model._default_manager.filter(plan__pupil=pupil))


EXTRACT_SECTIONS = (
    ExtractSection("development_talks", 300, _of_pupil(DevelopmentTalk), (DevelopmentTalk,)),
    ExtractSection("talk_times", 310, _of_pupil(TalkSlot), (TalkSlot,)),
    ExtractSection(
        "preparation_answers",
        320,
        lambda pupil: rows_of(PreparationAnswer.objects.filter(talk__pupil=pupil)),
        (PreparationAnswer,),
    ),
    ExtractSection("development_plans", 330, _of_pupil(DevelopmentPlan), (DevelopmentPlan,)),
    ExtractSection("plan_subjects", 340, _of_plans(SubjectNote), (SubjectNote,)),
    ExtractSection(
        "plan_adaptation_snapshots", 350, _of_plans(AdaptationSnapshot), (AdaptationSnapshot,)
    ),
    ExtractSection("plan_versions", 360, _of_plans(PlanVersion), (PlanVersion,)),
)


def talks_due(lo: dt.date, hi: dt.date, units: set[int] | None) -> list[Due]:
    """Talks planned between ``lo`` and ``hi`` and not yet held: the mentor and the guardians
    are reminded. Two queries, however many talks."""
    qs = DevelopmentTalk.objects.filter(
        held_on__isnull=True, starts_at__date__range=(lo, hi)
    ).select_related("pupil", "unit")
    if units is not None:
        qs = qs.filter(unit_id__in=units)
    talks = list(qs)
    guardians: dict[int, set[int]] = {}
    links = guardian_parties().filter(pupil_id__in=[t.pupil_id for t in talks])
    for pupil_id, guardian_id in links.values_list("pupil_id", "guardian_id"):
        guardians.setdefault(pupil_id, set()).add(guardian_id)
    return [
        Due(
            TALK_REMINDER,
            t.pk,
            timezone.localtime(t.starts_at).date(),
            t.pupil,
            t.unit_id,
            t.unit.organiser_id,
            reverse("conversations:talk_detail", args=[t.pk]),
            {t.mentor_id, *guardians.get(t.pupil_id, set())},
        )
        for t in talks
        if t.starts_at is not None
    ]


def plan_of_adaptation(adaptation: ExtraAdaptation) -> RelatedLink:
    return RelatedLink(
        _("The development plan of the term"),
        reverse("conversations:adaptation_plan", args=[adaptation.pk]),
    )


def schools_efforts(reader: AnyUser, grant: Grant) -> RelatedLink | None:
    """Without the support module, the pupil's adaptations are written under the school's
    efforts of the development plan: linked for those who reach the pupil's talks."""
    if not talk_reasons(reader, grant):
        return None
    return RelatedLink(
        _("The development talk and the school's efforts"),
        reverse("conversations:pupil_talks", args=[grant.pupil.pk]),
    )


for section in EXTRACT_SECTIONS:
    register_extract_section(section)
register_due_source(talks_due)
register_adaptation_link(plan_of_adaptation)
register_efforts_link(schools_efforts)
