"""E-mail backends that fail, for the outbox fault tests."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class Killed(BaseException):
    """Stands for the process dying mid-send (not an Exception: nothing may catch it)."""


class FlakyBackend(LocmemBackend):
    """Refuses the next ``failures`` sends like a mail server that is down, then works."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("mail server went away")
        return super().send_messages(messages)


class DyingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise Killed
