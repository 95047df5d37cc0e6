"""Times the mentor offers for a group's talks, and a guardian's booking of one.

Booking is first come: the claim is one ``UPDATE … WHERE pupil IS NULL`` (of two guardians
picking the same time at once, exactly one gets it) and a unique index allows one booked time
per pupil and term (of two guardians of the same pupil booking two times at once, one wins).
A change of booking releases the old time in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.core.models import active_on
from elevstod.core.timeutil import now, today
from elevstod.notifications.services import notification_send
from elevstod.organisation.models import Group, GroupMembership, Mentorship, Person

from ..models import DevelopmentTalk, TalkSlot
from ..selectors import slots_for_pupil
from ..terms import term_of
from .common import acting_person, grant_for
from .talks import family_users, guardians_of, mentor_users, talk_url

MAX_SLOTS = 40
TAKEN = _("Someone else just booked that time. Choose another.")
ONE_PER_PUPIL = _("The pupil already has a booked time this term.")


def group_mentees(mentor: Person, group: Group) -> list[int]:
    """The active members of ``group`` whom ``mentor`` mentors today."""
    members = GroupMembership.objects.filter(active_on(), group=group).values("pupil_id")
    return list(
        Mentorship.objects.filter(active_on(), mentor=mentor, pupil_id__in=members).values_list(
            "pupil_id", flat=True
        )
    )


@transaction.atomic
def slots_offer(
    *,
    actor: User,
    group: Group,
    day: dt.date,
    first: dt.time,
    count: int,
    minutes: int,
    place: str,
) -> list[TalkSlot]:
    """The mentor offers ``count`` consecutive times of ``minutes`` from ``first`` on ``day``
    to the guardians of the group's pupils they mentor. Times already offered are kept."""
    mentor = acting_person(actor)
    if not group_mentees(mentor, group):
        raise DomainError(_("You mentor no pupil of this group."), code="forbidden")
    if day < today():
        raise DomainError(_("Choose a day from today on."))
    if not 1 <= count <= MAX_SLOTS or not 5 <= minutes <= 120:
        raise DomainError(_("Offer 1 to 40 times of 5 to 120 minutes."))
    start = timezone.make_aware(dt.datetime.combine(day, first))
    times = [start + dt.timedelta(minutes=i * minutes) for i in range(count)]
    slots = _new_slots(mentor, group, times, minutes, place.strip())
    audit_record(
        code="conversations.slots.offered",
        actor=actor,
        unit_id=group.unit_id,
        data={"group": group.pk, "day": day.isoformat(), "count": len(slots)},
    )
    return slots


def _new_slots(
    mentor: Person, group: Group, times: list[dt.datetime], minutes: int, place: str
) -> list[TalkSlot]:
    """The times not already offered by the mentor, created."""
    taken = set(
        TalkSlot.objects.filter(mentor=mentor, starts_at__in=times).values_list(
            "starts_at", flat=True
        )
    )
    term = term_of(timezone.localdate(times[0])).code
    return [
        TalkSlot.objects.create(
            mentor=mentor,
            unit=group.unit,
            group=group,
            term=term,
            starts_at=at,
            duration_minutes=minutes,
            place=place,
        )
        for at in times
        if at not in taken
    ]


def _claim(slot: TalkSlot, pupil: Person, actor: User) -> None:
    try:
        with transaction.atomic():
            claimed = TalkSlot.objects.filter(pk=slot.pk, pupil__isnull=True).update(
                pupil=pupil, booked_by=actor, booked_at=now()
            )
    except IntegrityError:
        raise DomainError(ONE_PER_PUPIL, code="conflict") from None
    if not claimed:
        raise DomainError(TAKEN, code="conflict")


@transaction.atomic
def slot_book(*, actor: User, pupil: Person, slot_id: int) -> DevelopmentTalk:
    """A guardian books a time for the pupil's talk (moving an earlier booking of the term)."""
    grant = grant_for(actor, pupil)
    if not grant.is_guardian:
        raise DomainError(_("The guardians book the time of the talk."), code="forbidden")
    slot = next((s for s in slots_for_pupil(pupil) if s.pk == slot_id), None)
    if slot is None:
        raise DomainError(_("That time is not offered to you. Choose another."))
    if slot.pupil_id == pupil.pk:
        return DevelopmentTalk.objects.get(pupil=pupil, term=slot.term)
    if DevelopmentTalk.objects.filter(pupil=pupil, term=slot.term, held_on__isnull=False).exists():
        raise DomainError(_("The talk of this term has been held."))
    released = TalkSlot.objects.filter(pupil=pupil, term=slot.term).exclude(pk=slot.pk)
    moved = released.update(pupil=None, booked_by=None, booked_at=None)
    _claim(slot, pupil, actor)
    talk = _talk_at(slot, pupil, actor)
    audit_record(
        code="conversations.talk.booked",
        actor=actor,
        obj=talk,
        pupil_id=pupil.pk,
        unit_id=talk.unit_id,
        data={"slot": slot.pk, "starts_at": slot.starts_at.isoformat(), "moved": bool(moved)},
    )
    notification_send(
        code="conversations.talk.rebooked" if moved else "conversations.talk.booked",
        actor=actor,
        recipients=mentor_users(talk),
        url=talk_url(talk),
        pupil=pupil,
        params={"date": timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M")},
    )
    return talk


def _talk_at(slot: TalkSlot, pupil: Person, actor: User) -> DevelopmentTalk:
    talk, created = DevelopmentTalk.objects.select_for_update().get_or_create(
        pupil=pupil,
        term=slot.term,
        defaults={"unit": slot.unit, "mentor": slot.mentor, "created_by": actor},
    )
    talk.starts_at = slot.starts_at
    talk.duration_minutes = slot.duration_minutes
    talk.place = slot.place
    talk.save()
    if created:
        talk.participants.set([pupil.pk, slot.mentor_id, *(g.pk for g in guardians_of(pupil))])
    return talk


@transaction.atomic
def slot_cancel(*, actor: User, pupil: Person) -> int:
    """A guardian cancels the pupil's booked times; the mentor is told."""
    grant = grant_for(actor, pupil)
    if not grant.is_guardian:
        raise DomainError(_("The guardians book the time of the talk."), code="forbidden")
    slots = list(TalkSlot.objects.filter(pupil=pupil, starts_at__gte=now()))
    if not slots:
        return 0
    TalkSlot.objects.filter(pk__in=[s.pk for s in slots]).update(
        pupil=None, booked_by=None, booked_at=None
    )
    talks = DevelopmentTalk.objects.filter(
        pupil=pupil, term__in={s.term for s in slots}, starts_at__in=[s.starts_at for s in slots]
    )
    for talk in talks:
        _time_removed(actor, talk, "conversations.talk.cancelled", mentor_users(talk))
    return len(slots)


@transaction.atomic
def slot_withdraw(*, actor: User, slot_id: int) -> TalkSlot:
    """The mentor withdraws a time they offered. A booked time is released with it: the pupil's
    talk has no time any more, and the family is told so that they can book another."""
    slot = (
        TalkSlot.objects.select_for_update().filter(pk=slot_id, mentor=acting_person(actor)).first()
    )
    if slot is None:
        raise DomainError(_("That is not a time you offered."), code="not_found")
    if slot.has_begun:
        raise DomainError(_("A time that has begun cannot be withdrawn."))
    if slot.pupil is not None:
        _release_talk(actor, slot, slot.pupil)
    audit_record(
        code="conversations.slot.withdrawn",
        actor=actor,
        unit_id=slot.unit_id,
        data={"group": slot.group_id, "booked": slot.pupil_id is not None},
    )
    slot.delete()
    return slot


def _release_talk(actor: User, slot: TalkSlot, pupil: Person) -> None:
    talk = DevelopmentTalk.objects.filter(
        pupil=pupil, term=slot.term, starts_at=slot.starts_at
    ).first()
    if talk is not None:
        _time_removed(actor, talk, "conversations.talk.withdrawn", family_users(pupil))


def _time_removed(actor: User, talk: DevelopmentTalk, code: str, told: list[User]) -> None:
    """The talk has no time any more (cancelled or withdrawn): audited, and ``told`` told."""
    talk.starts_at = None
    talk.save(update_fields=["starts_at", "updated_at"])
    audit_record(code=code, actor=actor, obj=talk, pupil_id=talk.pupil_id, unit_id=talk.unit_id)
    notification_send(code=code, actor=actor, recipients=told, url=talk_url(talk), pupil=talk.pupil)
