"""Planning a development talk, its record, and the family's preparation answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import now, today
from elevstod.notifications.services import notification_send
from elevstod.organisation.access import scope_for
from elevstod.organisation.models import Person, SchoolUnit
from elevstod.support.access import guardian_parties
from elevstod.support.errors import FieldError

from ..models import (
    ConversationSettings,
    DevelopmentTalk,
    PreparationAnswer,
    PreparationQuestion,
)
from ..terms import current_term, term_of
from .common import acting_person, current_placement, grant_for, mentor_grant

STALE = _("Someone else saved the talk while you wrote. Your text is kept: check and save again.")


@dataclass(frozen=True)
class TalkInput:
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    participant_ids: Sequence[int]
    other_participants: str


def guardians_of(pupil: Person) -> list[Person]:
    """The pupil's vårdnadshavare: the guardians with custody (``access.has_custody``)."""
    return [g.guardian for g in guardian_parties().filter(pupil=pupil).select_related("guardian")]


def family_users(pupil: Person) -> list[User]:
    """The logins of the pupil and the guardians, to notify them."""
    ids = [
        pupil.pk,
        *guardian_parties().filter(pupil=pupil).values_list("guardian_id", flat=True),
    ]
    return list(User.objects.filter(person_id__in=ids, is_active=True))


def mentor_users(talk: DevelopmentTalk) -> list[User]:
    return list(User.objects.filter(person_id=talk.mentor_id, is_active=True))


def talk_url(talk: DevelopmentTalk) -> str:
    return reverse("conversations:talk_detail", args=[talk.pk])


def _participants_allowed(pupil: Person, mentor: Person) -> set[int]:
    return {pupil.pk, mentor.pk, *(g.pk for g in guardians_of(pupil))}


def _planning_mentor(actor: User, pupil: Person, data: TalkInput) -> Person:
    """The pupil's mentor planning a talk: a day this term or later, among the people allowed."""
    mentor_grant(actor, pupil)
    mentor = acting_person(actor)
    if term_of(data.starts_at.date()).key < current_term().key:
        # a talk already held this term may be written down; an earlier term's is history
        raise FieldError("starts_at", _("Choose a day in this term or later."))
    unknown = set(data.participant_ids) - _participants_allowed(pupil, mentor)
    if unknown:
        raise FieldError("participants", _("Choose among the pupil, guardians and mentor."))
    return mentor


@transaction.atomic
def talk_plan(*, actor: User, pupil: Person, data: TalkInput) -> DevelopmentTalk:
    """The mentor plans (or moves) the pupil's talk of the term of ``data.starts_at``."""
    mentor = _planning_mentor(actor, pupil, data)
    placement = current_placement(pupil)
    term = term_of(data.starts_at.date()).code
    talk, created = DevelopmentTalk.objects.select_for_update().get_or_create(
        pupil=pupil,
        term=term,
        defaults={"unit": placement.unit, "mentor": mentor, "created_by": actor},
    )
    talk.starts_at = data.starts_at
    talk.duration_minutes = data.duration_minutes
    talk.place = data.place.strip()
    talk.other_participants = data.other_participants.strip()
    talk.version = F("version") + 1
    talk.save()
    talk.refresh_from_db()
    talk.participants.set(data.participant_ids)
    audit_record(
        code="conversations.talk.planned" if created else "conversations.talk.moved",
        actor=actor,
        obj=talk,
        pupil_id=pupil.pk,
        unit_id=talk.unit_id,
        data={"term": term, "starts_at": data.starts_at.isoformat()},
    )
    notification_send(
        code="conversations.talk.planned",
        actor=actor,
        recipients=family_users(pupil),
        url=talk_url(talk),
        pupil=pupil,
        params={"date": data.starts_at.date().isoformat()},
    )
    return talk


@dataclass(frozen=True)
class RecordInput:
    held_on: dt.date | None
    record: str
    internal_note: str


@transaction.atomic
def talk_record(
    *, actor: User, talk_id: int, expected_version: int, data: RecordInput
) -> DevelopmentTalk:
    """The mentor writes what was said at the talk, and that it was held."""
    talk = DevelopmentTalk.objects.select_related("pupil").get(pk=talk_id)
    mentor_grant(actor, talk.pupil)
    if data.held_on is not None and data.held_on > today():
        raise FieldError("held_on", _("A talk cannot be held in the future."))
    changed = DevelopmentTalk.objects.filter(pk=talk.pk, version=expected_version).update(
        held_on=data.held_on,
        record=data.record.strip(),
        internal_note=data.internal_note.strip(),
        version=F("version") + 1,
        updated_at=now(),
    )
    if not changed:
        talk.refresh_from_db()
        same = (talk.held_on, talk.record, talk.internal_note) == (
            data.held_on,
            data.record.strip(),
            data.internal_note.strip(),
        )
        if same:
            return talk  # the same form sent twice: written once
        raise DomainError(STALE, code="stale")
    talk.refresh_from_db()
    audit_record(
        code="conversations.talk.recorded",
        actor=actor,
        obj=talk,
        pupil_id=talk.pupil_id,
        unit_id=talk.unit_id,
        data={"held_on": data.held_on.isoformat() if data.held_on else None},
    )
    return talk


def questions_for(talk: DevelopmentTalk) -> list[PreparationQuestion]:
    return list(PreparationQuestion.objects.filter(unit_id=talk.unit_id, is_active=True))


@transaction.atomic
def conversation_settings_set(
    *, actor: User | None, unit: SchoolUnit, questions: Sequence[str], plan_in_other_years: bool
) -> ConversationSettings:
    """The principal's choices for the unit's talks: the preparation questions, and whether the
    unit writes the development plan in years 6-9 too (in years 1-5 it is always written)."""
    preparation_questions_set(actor=actor, unit=unit, texts=questions)
    settings, _created = ConversationSettings.objects.update_or_create(
        unit=unit, defaults={"plan_in_other_years": plan_in_other_years}
    )
    audit_record(
        code="conversations.settings.changed",
        actor=actor,
        unit_id=unit.pk,
        data={"plan_in_other_years": plan_in_other_years},
    )
    return settings


@transaction.atomic
def preparation_questions_set(
    *, actor: User | None, unit: SchoolUnit, texts: Sequence[str]
) -> list[PreparationQuestion]:
    """The unit's preparation template: the questions in order. Questions left out are put
    out of use (their answers stay with the talks they were given for)."""
    if actor is not None and unit.pk not in scope_for(actor).principal_units:
        raise DomainError(_("The principal keeps the unit's questions."), code="forbidden")
    wanted = [t.strip()[:300] for t in texts if t.strip()]
    existing = {q.text: q for q in PreparationQuestion.objects.filter(unit=unit)}
    kept = []
    for position, text in enumerate(wanted):
        question = existing.pop(text, None) or PreparationQuestion(unit=unit, text=text)
        question.position, question.is_active = position, True
        question.save()
        kept.append(question)
    PreparationQuestion.objects.filter(pk__in=[q.pk for q in existing.values()]).update(
        is_active=False
    )
    audit_record(
        code="conversations.questions.set",
        actor=actor,
        unit_id=unit.pk,
        data={"questions": len(kept)},
    )
    return kept


@transaction.atomic
def preparation_answer(
    *, actor: User, talk_id: int, answers: Mapping[int, str]
) -> list[PreparationAnswer]:
    """The pupil or a guardian answers the unit's preparation questions before the talk (each
    respondent their own answers; sending again replaces them)."""
    talk = DevelopmentTalk.objects.select_related("pupil").get(pk=talk_id)
    grant = grant_for(actor, talk.pupil)
    if not grant.is_family:
        raise DomainError(_("The pupil and the guardians answer the questions."), code="forbidden")
    if talk.held_on is not None:
        raise DomainError(_("The talk has been held: the questions are closed."))
    saved = _answers_saved(talk, acting_person(actor), answers)
    audit_record(
        code="conversations.talk.prepared",
        actor=actor,
        obj=talk,
        pupil_id=talk.pupil_id,
        unit_id=talk.unit_id,
        data={"answers": len(saved)},
    )
    notification_send(
        code="conversations.talk.prepared",
        actor=actor,
        recipients=mentor_users(talk),
        url=talk_url(talk),
        pupil=talk.pupil,
    )
    return saved


def _answers_saved(
    talk: DevelopmentTalk, respondent: Person, answers: Mapping[int, str]
) -> list[PreparationAnswer]:
    questions = {q.pk: q for q in questions_for(talk)}
    earlier = set(
        PreparationAnswer.objects.filter(talk=talk, respondent=respondent).values_list(
            "question_id", flat=True
        )
    )
    saved = []
    for question_id, text in answers.items():
        if question_id not in questions or (not text.strip() and question_id not in earlier):
            continue  # not a question of the template, or left empty
        answer, _created = PreparationAnswer.objects.update_or_create(
            talk=talk,
            question=questions[question_id],
            respondent=respondent,
            defaults={"text": text.strip()},
        )
        saved.append(answer)
    return saved
