"""Two guardians at once: of two concurrent bookings of the same time, exactly one gets it; of
two guardians of the same pupil booking two times at once, exactly one booking stands.

Real threads with their own connections: PostgreSQL only (SQLite serialises writers); CI runs
the suite there."""

from __future__ import annotations

from django.db import connection

import pytest

from elevstod.conversations.models import DevelopmentTalk, TalkSlot
from elevstod.conversations.services import booking
from tests.concurrency import race
from tests.factories import GuardianshipFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL; CI runs this there",
    ),
]


def test_two_guardians_picking_the_same_time_at_once_exactly_one_gets_it(cast, class_5a):
    slot = class_5a.slots[0]
    outcomes = race(
        lambda: booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=slot.pk),
        lambda: booking.slot_book(
            actor=class_5a.classmate_guardian, pupil=class_5a.classmate, slot_id=slot.pk
        ),
    )
    assert outcomes == ["ok", "refused"]
    slot.refresh_from_db()
    assert slot.pupil in (cast.pupil, class_5a.classmate)
    assert DevelopmentTalk.objects.filter(starts_at=slot.starts_at).count() == 1


def test_two_guardians_of_one_pupil_booking_two_times_at_once_book_one(cast, class_5a):
    second_guardian = UserFactory(
        username="second_guardian",
        person=PersonFactory(given_name="Göran", family_name="Andersson"),
    )
    GuardianshipFactory(guardian=second_guardian.person, pupil=cast.pupil)
    first, second = class_5a.slots[0], class_5a.slots[1]
    outcomes = race(
        lambda: booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=first.pk),
        lambda: booking.slot_book(actor=second_guardian, pupil=cast.pupil, slot_id=second.pk),
    )
    # at once, one is refused; had the second come after the first, it would have moved it
    assert outcomes in (["ok", "refused"], ["ok", "ok"])
    assert TalkSlot.objects.filter(pupil=cast.pupil).count() == 1
    assert DevelopmentTalk.objects.filter(pupil=cast.pupil).count() == 1
