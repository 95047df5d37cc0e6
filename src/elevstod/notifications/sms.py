"""A small interface for sending text messages, chosen by ``NOTIFICATIONS_SMS_BACKEND``.

Console (demo) and locmem (tests) live here; a real gateway (the accounts app's SMS backend for
one-time codes, e.g. 46elks) plugs in as a class with the same ``send`` method.
"""

from __future__ import annotations

import sys
import threading
from importlib import import_module
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SMSBackend(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class ConsoleSMSBackend:
    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}: {text}\n")
        sys.stdout.flush()


outbox: list[tuple[str, str]] = []  # (to, text) sent through LocmemSMSBackend
_lock = threading.Lock()


class LocmemSMSBackend:
    def send(self, *, to: str, text: str) -> None:
        with _lock:
            outbox.append((to, text))


def get_sms_backend() -> SMSBackend:
    backend: SMSBackend = import_string(settings.NOTIFICATIONS_SMS_BACKEND)()
    return backend


class AccountsSMSBackend:
    """Sends through the accounts app's gateway (``SMS_BACKEND``, e.g. 46elks): set
    ``ELEVSTOD_NOTIFICATIONS_SMS_BACKEND=elevstod.notifications.sms.AccountsSMSBackend``."""

    def send(self, *, to: str, text: str) -> None:
        accounts_sms = import_module("elevstod.accounts.sms")
        backend = import_string(settings.SMS_BACKEND)()
        sender = getattr(settings, "ELEVSTOD_SMS_SENDER", "Elevstod")
        backend.send(accounts_sms.SMSMessage(to=to, text=text, sender=sender))
