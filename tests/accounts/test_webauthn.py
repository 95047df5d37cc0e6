"""Security keys and passkeys (WebAuthn): enrolment, step-up, a false or replayed answer, a key
of someone else, throttling, removal. A software authenticator answers the challenges, so the
signature, challenge, origin and relying-party checks run for real."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse

import pytest
import time_machine
from django_otp_webauthn.models import WebAuthnCredential

from elevstod.accounts.stepup import session_mark_verified
from elevstod.audit.models import AuditEvent

from .soft_authenticator import SoftAuthenticator

pytestmark = pytest.mark.real_step_up

REGISTER_BEGIN = reverse("accounts:webauthn_register_begin")
REGISTER_COMPLETE = reverse("accounts:webauthn_register_complete")
VERIFY_BEGIN = reverse("accounts:webauthn_verify_begin")
VERIFY_COMPLETE = reverse("accounts:webauthn_verify_complete")


def _page(school):
    """A page of the support part: it needs the step-up."""
    return reverse("support:library", args=[school.unit.pk])


@pytest.fixture
def key(settings):
    return SoftAuthenticator(
        rp_id=settings.OTP_WEBAUTHN_RP_ID, origin=settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]
    )


def _post(client, url, body=None, **extra):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **extra)


def _register(client, key, name="Blå nyckeln", **answer):
    options = _post(client, REGISTER_BEGIN).json()
    body = {"name": name, "credential": key.register(options, **answer)}
    return _post(client, REGISTER_COMPLETE, body)


def _verify(client, key, next_url="/", **answer):
    options = _post(client, VERIFY_BEGIN).json()
    return _post(client, f"{VERIFY_COMPLETE}?next={next_url}", key.authenticate(options, **answer))


def _enrolled(client, user, key):
    client.force_login(user)
    assert _register(client, key).status_code == 200
    client.logout()
    client.force_login(user)  # a new session: not verified


def test_a_teacher_registers_a_security_key_as_their_first_factor(client, school, key):
    client.force_login(school.teacher)

    answer = _register(client, key)

    assert answer.status_code == 200
    assert answer.json()["redirect_url"] == reverse("accounts:security")
    device = WebAuthnCredential.objects.get(user=school.teacher)
    assert device.name == "Blå nyckeln"
    assert device.confirmed
    event = AuditEvent.objects.get(code="accounts.factor.enrolled")
    assert event.data == {"kind": "webauthn", "device": "Blå nyckeln"}
    # registering proved the user holds the key: the support part opens
    assert client.get(_page(school)).status_code == 200


def test_the_security_page_offers_a_key_and_lists_it_for_removal(client, school, key):
    client.force_login(school.teacher)
    assert 'data-webauthn="register"' in client.get(reverse("accounts:webauthn_enrol")).text
    _register(client, key)

    page = client.get(reverse("accounts:security")).text

    assert "Blå nyckeln" in page
    assert "Säkerhetsnyckel eller passkey" in page


def test_a_registration_answer_for_another_site_is_refused(client, school, key):
    client.force_login(school.teacher)

    answer = _register(client, key, origin="https://elevstod.example.evil")

    assert answer.status_code == 422
    assert "kunde inte registreras" in answer.json()["message"]
    assert not WebAuthnCredential.objects.exists()
    assert not AuditEvent.objects.filter(code="accounts.factor.enrolled").exists()


def test_a_registration_without_a_started_ceremony_is_refused(client, school, key):
    client.force_login(school.teacher)
    options = {"challenge": "AAAA", "rp": {"id": key.rp_id}}

    answer = _post(client, REGISTER_COMPLETE, {"credential": key.register(options)})

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_state"
    assert not WebAuthnCredential.objects.exists()


def test_garbage_instead_of_a_key_answer_gets_a_message_not_an_error(client, school):
    client.force_login(school.teacher)
    _post(client, REGISTER_BEGIN)

    answer = _post(client, REGISTER_COMPLETE, {"credential": {"id": 5, "response": "x"}})

    assert answer.status_code == 422
    assert answer.json()["message"]
    bad_json = client.post(REGISTER_BEGIN, "{", content_type="application/json")
    assert bad_json.status_code == 400


@pytest.mark.parametrize("url", [REGISTER_BEGIN, REGISTER_COMPLETE, VERIFY_BEGIN, VERIFY_COMPLETE])
def test_a_body_that_is_not_utf8_gets_a_message_not_an_error(client, school, url):
    client.force_login(school.teacher)

    answer = client.post(url, b"\xff\xfe\xfa", content_type="application/json")

    assert answer.status_code == 400
    assert answer.json()["message"]


def test_the_same_key_registered_twice_is_refused_with_a_message(client, school, key):
    client.force_login(school.teacher)
    assert _register(client, key).status_code == 200

    again = _register(client, key)

    assert again.status_code == 422
    assert again.json()["message"] == "Den här säkerhetsnyckeln är redan registrerad."
    assert WebAuthnCredential.objects.count() == 1


def test_a_refused_key_answer_is_logged_as_information_not_as_an_error(client, school, key, caplog):
    _enrolled(client, school.teacher, key)

    with caplog.at_level("INFO"):
        _verify(client, key, tamper=True)

    assert any("refused WebAuthn answer" in r.message for r in caplog.records)
    assert not [r for r in caplog.records if r.levelname == "ERROR" and "webauthn" in r.name]


def test_adding_a_key_needs_the_second_factor_once_one_exists(client, school, key):
    # given a teacher with a key, logged in again with the password only
    _enrolled(client, school.teacher, key)

    # when they try to add another key, then it is refused until they step up
    answer = _post(client, REGISTER_BEGIN)
    assert answer.status_code == 403
    assert answer.json()["code"] == "user_not_verified"
    assert client.get(reverse("accounts:webauthn_enrol")).status_code == 302
    assert _verify(client, key).status_code == 200
    second = SoftAuthenticator(rp_id=key.rp_id, origin=key.origin)
    assert _register(client, second).status_code == 200


def test_a_security_key_steps_up_and_returns_to_the_support_page(client, school, key):
    _enrolled(client, school.teacher, key)
    assert client.get(_page(school)).status_code == 302
    step_up_page = client.get(reverse("accounts:step_up")).text
    assert 'data-webauthn="verify"' in step_up_page

    answer = _verify(client, key, next_url=_page(school))

    assert answer.status_code == 200
    assert answer.json()["redirect_url"] == _page(school)
    assert client.get(_page(school)).status_code == 200
    assert AuditEvent.objects.filter(code="accounts.step_up.verified").exists()


def test_a_false_signature_does_not_step_up_and_is_logged(client, school, key):
    _enrolled(client, school.teacher, key)

    answer = _verify(client, key, tamper=True)

    assert answer.status_code == 422
    assert "kunde inte användas" in answer.json()["message"]
    assert client.get(_page(school)).status_code == 302
    assert AuditEvent.objects.filter(code="accounts.step_up.failed").exists()


def test_a_replayed_key_answer_is_refused(client, school, key):
    # given an answer that once stepped up
    _enrolled(client, school.teacher, key)
    options = _post(client, VERIFY_BEGIN).json()
    used = key.authenticate(options)
    assert _post(client, VERIFY_COMPLETE, used).status_code == 200
    client.logout()
    client.force_login(school.teacher)

    # when it is sent again, in a new ceremony or without one
    _post(client, VERIFY_BEGIN)
    again = _post(client, VERIFY_COMPLETE, used)
    without = _post(client, VERIFY_COMPLETE, used)

    # then neither steps up (the challenge is another, then there is none)
    assert again.status_code == 422
    assert without.status_code == 400
    assert client.get(_page(school)).status_code == 302


def test_a_key_answer_after_the_ceremony_expired_is_refused(client, school, key, settings):
    _enrolled(client, school.teacher, key)
    options = _post(client, VERIFY_BEGIN).json()
    late = settings.OTP_WEBAUTHN_TIMEOUT_SECONDS + 61

    with time_machine.travel(dt.timedelta(seconds=late)):
        answer = _post(client, VERIFY_COMPLETE, key.authenticate(options))

    assert answer.status_code == 400
    assert answer.json()["message"] == "Begäran hade gått ut. Försök igen."
    assert client.get(_page(school)).status_code == 302


def test_an_answer_from_a_false_login_page_is_refused(client, school, key):
    _enrolled(client, school.teacher, key)

    answer = _verify(client, key, origin="https://elevstod-login.example.com")

    assert answer.status_code == 422
    assert client.get(_page(school)).status_code == 302


def test_a_colleagues_key_does_not_step_up_a_teacher(client, school, key):
    # given the colleague's key, and the teacher logged in with their password
    _enrolled(client, school.colleague, key)
    client.logout()
    client.force_login(school.teacher)
    other = SoftAuthenticator(rp_id=key.rp_id, origin=key.origin)
    _register(client, other)
    client.logout()
    client.force_login(school.teacher)

    answer = _verify(client, key)

    assert answer.status_code in {403, 404}
    assert "inte registrerad för ditt konto" in answer.json()["message"]
    assert client.get(_page(school)).status_code == 302


def test_key_attempts_are_throttled_after_five_failures(client, school, key, settings):
    _enrolled(client, school.teacher, key)
    for _attempt in range(settings.ELEVSTOD_THROTTLE_ACCOUNT_ATTEMPTS):
        assert _verify(client, key, tamper=True).status_code == 422

    answer = _verify(client, key)

    assert answer.status_code == 429
    assert "För många försök" in answer.json()["message"]
    assert client.get(_page(school)).status_code == 302
    assert AuditEvent.objects.filter(code="accounts.step_up.throttled").exists()


def test_a_key_is_a_second_factor_only_never_a_login(client, school, key):
    _enrolled(client, school.teacher, key)
    client.logout()

    begin = _post(client, VERIFY_BEGIN)
    complete = _post(client, VERIFY_COMPLETE, {})

    assert begin.status_code == complete.status_code == 302
    assert begin["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_a_user_removes_their_key_and_it_no_longer_steps_up(client, school, key):
    _enrolled(client, school.teacher, key)
    device = WebAuthnCredential.objects.get(user=school.teacher)
    session_mark_verified(client.session, device)

    client.post(reverse("accounts:factor_remove"), {"kind": "webauthn", "pk": device.pk})

    assert not WebAuthnCredential.objects.exists()
    removed = AuditEvent.objects.get(code="accounts.factor.removed")
    assert removed.data["kind"] == "webauthn"
    client.logout()
    client.force_login(school.teacher)
    assert _post(client, VERIFY_BEGIN).json()["allowCredentials"] == []
