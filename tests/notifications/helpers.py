"""Builders shared by the notification tests, calling the real services."""

from __future__ import annotations

from django.core import mail

from elevstod.notifications.delivery import deliver_due
from elevstod.support.services import adaptations

from .conftest import adaptation_input


def new_adaptation(school, *, actor=None, **overrides):
    actor = actor or school.teacher
    return adaptations.adaptation_create(
        actor=actor,
        pupil=school.pupil,
        data=adaptation_input(school.teacher.person, **overrides),
    )


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def deliver():
    return deliver_due()
