"""Builders shared by the notification tests, calling the real services."""

from __future__ import annotations

from django.core import mail

from elevstod.notifications.delivery import deliver_due


def sent_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def deliver():
    return deliver_due()
