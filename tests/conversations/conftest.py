"""Around the standing cast: a second pupil of class 5A with a guardian, both mentored by the
cast's mentor, and times offered to the class."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from elevstod.accounts.models import User
from elevstod.conversations.models import PreparationQuestion, TalkSlot
from elevstod.conversations.services import booking
from elevstod.core.timeutil import today
from elevstod.organisation.models import Person
from tests.factories import (
    GroupMembershipFactory,
    GuardianshipFactory,
    MentorshipFactory,
    PersonFactory,
    PlacementFactory,
    UserFactory,
)


@dataclass
class Class5A:
    classmate: Person
    classmate_guardian: User
    slots: list[TalkSlot]


def talk_day() -> dt.date:
    return today() + dt.timedelta(days=7)


@pytest.fixture
def class_5a(cast) -> Class5A:
    classmate = PersonFactory(given_name="Elsa", family_name="Ekholm")
    PlacementFactory(pupil=classmate, unit=cast.unit_a1, school_year=5)
    GroupMembershipFactory(group=cast.class_5a, pupil=classmate)
    MentorshipFactory(mentor=cast.mentor.person, pupil=classmate, unit=cast.unit_a1)
    guardian_person = PersonFactory(given_name="Erik", family_name="Ekholm")
    GuardianshipFactory(guardian=guardian_person, pupil=classmate)
    guardian = UserFactory(username="classmate_guardian", person=guardian_person)
    slots = booking.slots_offer(
        actor=cast.mentor,
        group=cast.class_5a,
        day=talk_day(),
        first=dt.time(13, 0),
        count=3,
        minutes=20,
        place="Sal 12",
    )
    for n, text in enumerate(("Vad är du bra på i skolan?", "Vad vill du bli bättre på?")):
        PreparationQuestion.objects.create(unit=cast.unit_a1, text=text, position=n)
    return Class5A(classmate, guardian, slots)
