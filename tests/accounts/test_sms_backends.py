"""The SMS backends: console (demo), locmem (tests) and 46elks' HTTP API (with a fake opener)."""

from __future__ import annotations

import base64
import io
import urllib.error
import urllib.parse

import pytest

from elevstod.accounts import sms


def test_the_locmem_backend_keeps_messages_in_the_outbox(settings):
    settings.SMS_BACKEND = "elevstod.accounts.sms.LocmemBackend"
    sms.sms_code_send(number="+46701234567", code="123456")
    assert [m.to for m in sms.outbox] == ["+46701234567"]
    assert "123456" in sms.outbox[0].text


def test_the_console_backend_prints_the_code(settings, capsys):
    settings.SMS_BACKEND = "elevstod.accounts.sms.ConsoleBackend"
    sms.sms_code_send(number="+46701234567", code="654321")
    printed = capsys.readouterr().out
    assert "+46701234567" in printed
    assert "654321" in printed


class FakeResponse(io.BytesIO):
    status = 200


class FakeOpener:
    def __init__(self, answer=b'{"status": "created"}', error=None):
        self.requests = []
        self.answer = answer
        self.error = error

    def __call__(self, request, timeout):
        self.requests.append((request, timeout))
        if self.error:
            raise self.error
        return FakeResponse(self.answer)


@pytest.fixture
def elks(settings):
    settings.ELEVSTOD_46ELKS_USERNAME = "u123"
    settings.ELEVSTOD_46ELKS_PASSWORD = "secret"
    settings.ELEVSTOD_SMS_SENDER = "Elevstod"


def test_the_46elks_backend_posts_the_message_with_basic_auth(elks):
    opener = FakeOpener()
    message = sms.SMSMessage(to="+46701234567", text="Din kod: 123456", sender="Elevstod")

    sms.FortySixElksBackend(opener=opener).send(message)

    ((request, timeout),) = opener.requests
    assert request.full_url == "https://api.46elks.com/a1/sms"
    assert request.get_method() == "POST"
    assert urllib.parse.parse_qs(request.data.decode()) == {
        "from": ["Elevstod"],
        "to": ["+46701234567"],
        "message": ["Din kod: 123456"],
    }
    expected = base64.b64encode(b"u123:secret").decode()
    assert request.get_header("Authorization") == f"Basic {expected}"
    assert timeout == 10


def test_the_46elks_backend_reports_a_gateway_failure(elks):
    down = FakeOpener(error=urllib.error.URLError("refused"))
    failed = FakeOpener(answer=b'{"status": "failed"}')
    message = sms.SMSMessage(to="+46701234567", text="x", sender="Elevstod")
    with pytest.raises(sms.SMSError):
        sms.FortySixElksBackend(opener=down).send(message)
    with pytest.raises(sms.SMSError):
        sms.FortySixElksBackend(opener=failed).send(message)


def test_the_46elks_backend_needs_its_credentials(settings):
    settings.ELEVSTOD_46ELKS_USERNAME = ""
    with pytest.raises(sms.SMSError):
        sms.FortySixElksBackend(opener=FakeOpener())
