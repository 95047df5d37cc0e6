"""Booking a development talk: the mentor offers times for a group, each guardian picks one
(one per pupil and term, first come: a time taken is gone), and the mentor is told."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from elevstod.conversations.models import DevelopmentTalk, TalkSlot
from elevstod.conversations.services import booking, talks
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.models import Notification

from .conftest import talk_day

pytestmark = pytest.mark.django_db


def test_guardian_books_an_offered_time_and_the_mentor_is_notified(cast, class_5a):
    slot = class_5a.slots[0]
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=slot.pk)
    slot.refresh_from_db()
    assert slot.pupil == cast.pupil
    assert talk.starts_at == slot.starts_at
    assert talk.place == "Sal 12"
    assert set(talk.participants.values_list("pk", flat=True)) == {
        cast.pupil.pk,
        cast.guardian.person.pk,
        cast.mentor.person.pk,
    }
    note = Notification.objects.get(recipient=cast.mentor)
    assert note.code == "conversations.talk.booked"


def test_a_time_taken_is_gone_for_the_next_guardian(cast, class_5a):
    slot = class_5a.slots[0]
    booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=slot.pk)
    with pytest.raises(DomainError, match="bokade just"):
        booking.slot_book(
            actor=class_5a.classmate_guardian, pupil=class_5a.classmate, slot_id=slot.pk
        )
    # the next time is still free for them
    booking.slot_book(
        actor=class_5a.classmate_guardian, pupil=class_5a.classmate, slot_id=class_5a.slots[1].pk
    )
    assert TalkSlot.objects.filter(pupil__isnull=False).count() == 2


def test_booking_another_time_moves_the_talk_and_frees_the_first(cast, class_5a):
    first, second = class_5a.slots[0], class_5a.slots[1]
    booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=first.pk)
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=second.pk)
    assert list(TalkSlot.objects.filter(pupil=cast.pupil)) == [second]
    assert talk.starts_at == second.starts_at
    assert DevelopmentTalk.objects.filter(pupil=cast.pupil).count() == 1
    codes = list(Notification.objects.filter(recipient=cast.mentor).values_list("code", flat=True))
    assert sorted(codes) == ["conversations.talk.booked", "conversations.talk.rebooked"]


def test_cancelling_frees_the_time_and_tells_the_mentor(cast, class_5a):
    booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    assert booking.slot_cancel(actor=cast.guardian, pupil=cast.pupil) == 1
    assert not TalkSlot.objects.filter(pupil=cast.pupil).exists()
    assert Notification.objects.filter(
        recipient=cast.mentor, code="conversations.talk.cancelled"
    ).exists()


@pytest.mark.parametrize("who", ["pupil_user", "teacher", "mentor", "other_guardian"])
def test_only_the_pupils_guardians_book_a_time(cast, class_5a, who):
    slot = class_5a.slots[0]
    with pytest.raises(DomainError) as refused:
        booking.slot_book(actor=cast.user(who), pupil=cast.pupil, slot_id=slot.pk)
    assert refused.value.code == "forbidden"
    # allowed, side by side: the guardian
    booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=slot.pk)


def test_times_offered_to_another_class_cannot_be_booked(cast, class_5a):
    # the times are offered to class 5A; Bruno is in 5B, with another mentor
    with pytest.raises(DomainError, match="inte erbjuden"):
        booking.slot_book(
            actor=cast.other_guardian, pupil=cast.other_pupil, slot_id=class_5a.slots[0].pk
        )
    assert booking.slots_for_pupil(cast.other_pupil) == []
    assert len(booking.slots_for_pupil(cast.pupil)) == 3


def test_only_a_mentor_of_pupils_in_the_group_offers_times(cast, class_5a):
    with pytest.raises(DomainError) as refused:
        booking.slots_offer(
            actor=cast.teacher,
            group=cast.class_5a,
            day=talk_day(),
            first=dt.time(9, 0),
            count=2,
            minutes=20,
            place="",
        )
    assert refused.value.code == "forbidden"
    offered = booking.slots_offer(
        actor=cast.mentor,
        group=cast.class_5a,
        day=talk_day(),
        first=dt.time(9, 0),
        count=2,
        minutes=20,
        place="",
    )
    assert len(offered) == 2


def test_offering_the_same_times_twice_writes_them_once(cast, class_5a):
    again = booking.slots_offer(
        actor=cast.mentor,
        group=cast.class_5a,
        day=talk_day(),
        first=dt.time(13, 0),
        count=3,
        minutes=20,
        place="Sal 12",
    )
    assert again == []
    assert TalkSlot.objects.count() == 3


def test_no_booking_once_the_talk_of_the_term_was_held(cast, class_5a):
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    talks.talk_record(
        actor=cast.mentor,
        talk_id=talk.pk,
        expected_version=talk.version,
        data=talks.RecordInput(held_on=today(), record="", internal_note=""),
    )
    with pytest.raises(DomainError, match="redan hållits"):
        booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[1].pk)


def test_the_mentor_withdraws_a_free_time_and_it_is_no_longer_offered(cast, class_5a):
    slot = class_5a.slots[0]
    booking.slot_withdraw(actor=cast.mentor, slot_id=slot.pk)
    assert not TalkSlot.objects.filter(pk=slot.pk).exists()
    assert not Notification.objects.exists()
    with pytest.raises(DomainError):
        booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=slot.pk)


def test_withdrawing_a_booked_time_leaves_the_talk_without_a_time_and_tells_the_family(
    cast, class_5a
):
    slot = class_5a.slots[0]
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=slot.pk)
    booking.slot_withdraw(actor=cast.mentor, slot_id=slot.pk)
    talk.refresh_from_db()
    assert talk.starts_at is None
    told = Notification.objects.filter(code="conversations.talk.withdrawn")
    assert set(told.values_list("recipient_id", flat=True)) >= {cast.guardian.pk}
    # the family books another of the times
    again = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[1].pk)
    assert again.pk == talk.pk


@pytest.mark.parametrize("who", ["teacher", "guardian", "principal"])
def test_only_the_mentor_who_offered_a_time_withdraws_it(cast, class_5a, who):
    with pytest.raises(DomainError):
        booking.slot_withdraw(actor=getattr(cast, who), slot_id=class_5a.slots[0].pk)
    assert TalkSlot.objects.filter(pk=class_5a.slots[0].pk).exists()


def test_a_time_that_has_begun_cannot_be_withdrawn(cast, class_5a):
    slot = class_5a.slots[0]
    later = time_machine.travel(slot.starts_at + dt.timedelta(minutes=1))
    with later, pytest.raises(DomainError, match="börjat"):
        booking.slot_withdraw(actor=cast.mentor, slot_id=slot.pk)
    assert TalkSlot.objects.filter(pk=slot.pk).exists()
