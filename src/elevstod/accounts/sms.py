"""Sending SMS through a pluggable backend (``settings.SMS_BACKEND``, a dotted path).

- ``ConsoleBackend`` prints the message (development and the demo);
- ``LocmemBackend`` keeps messages in ``outbox`` (tests), like Django's ``mail.outbox``;
- ``FortySixElksBackend`` posts to 46elks' REST API (``ELEVSTOD_46ELKS_*`` settings).
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SMSMessage:
    to: str
    text: str
    sender: str


class SMSError(Exception):
    """The gateway did not accept the message."""


class SMSBackend(Protocol):
    def send(self, message: SMSMessage) -> None: ...


class ConsoleBackend:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, message: SMSMessage) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"[SMS to {message.to} from {message.sender}] {message.text}\n")
        stream.flush()


outbox: list[SMSMessage] = []


class LocmemBackend:
    def send(self, message: SMSMessage) -> None:
        outbox.append(message)


Opener = Callable[..., Any]


class FortySixElksBackend:
    """https://46elks.se/docs/send-sms: POST from/to/message, HTTP basic auth with the API
    username and password. ``opener`` is ``urllib.request.urlopen`` (tests pass a fake)."""

    def __init__(self, opener: Opener | None = None) -> None:
        self.opener = opener or urllib.request.urlopen
        self.url = settings.ELEVSTOD_46ELKS_URL
        self.username = settings.ELEVSTOD_46ELKS_USERNAME
        self.password = settings.ELEVSTOD_46ELKS_PASSWORD
        if not (self.username and self.password):
            raise SMSError("ELEVSTOD_46ELKS_USERNAME and ELEVSTOD_46ELKS_PASSWORD must be set")
        if not self.url.startswith("https://"):
            raise SMSError("ELEVSTOD_46ELKS_URL must be an https:// URL")

    def request_for(self, message: SMSMessage) -> urllib.request.Request:
        body = urllib.parse.urlencode(
            {"from": message.sender, "to": message.to, "message": message.text}
        ).encode()
        credentials = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return urllib.request.Request(  # noqa: S310 (https only, checked above)
            self.url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def send(self, message: SMSMessage) -> None:
        try:
            with self.opener(self.request_for(message), timeout=10) as response:
                status = getattr(response, "status", 200)
                answer = response.read()
        except OSError as error:  # URLError and HTTPError are OSErrors
            raise SMSError(f"46elks did not answer: {error}") from error
        if status != 200:
            raise SMSError(f"46elks refused the message: HTTP {status}")
        try:
            state = json.loads(answer).get("status", "")
        except (ValueError, AttributeError):
            state = ""
        if state == "failed":
            raise SMSError("46elks could not deliver the message")


def sms_backend() -> SMSBackend:
    backend: SMSBackend = import_string(settings.SMS_BACKEND)()
    return backend


def sms_send(*, to: str, text: str) -> None:
    sms_backend().send(SMSMessage(to=to, text=text, sender=settings.ELEVSTOD_SMS_SENDER))


def sms_code_send(*, number: str, code: str) -> None:
    minutes = settings.ELEVSTOD_SMS_CODE_SECONDS // 60
    text = _("Your Elevstöd code: %(code)s. Valid for %(minutes)s minutes.") % {
        "code": code,
        "minutes": minutes,
    }
    sms_send(to=number, text=text)
