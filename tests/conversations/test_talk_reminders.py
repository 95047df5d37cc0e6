"""Before a booked talk the mentor and the guardians are reminded, through the notifications'
registry of due dates; a talk already held is not reminded of."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

import pytest

from elevstod.conversations.services import booking, talks
from elevstod.core.timeutil import today
from elevstod.notifications.models import Notification
from elevstod.notifications.reminders import send_reminders

from .conftest import talk_day

pytestmark = pytest.mark.django_db


def _reminded() -> set[str]:
    return set(
        Notification.objects.filter(code="reminder.talk").values_list(
            "recipient__username", flat=True
        )
    )


def test_the_mentor_and_guardians_are_reminded_before_the_talk(cast, class_5a):
    booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    notice = dt.timedelta(days=settings.NOTIFICATIONS_REMINDER_DEFAULT_DAYS)
    assert send_reminders(day=talk_day() - notice - dt.timedelta(days=1)) == 0
    assert send_reminders(day=talk_day() - notice) == 1
    assert _reminded() == {"mentor", "guardian"}
    assert send_reminders(day=talk_day() - notice) == 0  # once


def test_a_talk_already_held_is_not_reminded_of(cast, class_5a):
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    talks.talk_record(
        actor=cast.mentor,
        talk_id=talk.pk,
        expected_version=talk.version,
        data=talks.RecordInput(held_on=today(), record="Hållet tidigare.", internal_note=""),
    )
    assert send_reminders(day=talk_day()) == 0
    assert _reminded() == set()
