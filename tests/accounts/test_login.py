"""The password login: audited, throttled per account and per address, no user enumeration."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.audit.models import AuditEvent

pytestmark = pytest.mark.real_step_up

LOGIN = reverse("accounts:login")


def _try(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_login_and_a_logout_are_audited(client, school):
    assert _try(client, "tove", "x" * 12).status_code == 302
    client.post(reverse("accounts:logout"))
    codes = list(AuditEvent.objects.values_list("code", flat=True).order_by("pk"))
    assert codes[-2:] == ["accounts.session.logged_in", "accounts.session.logged_out"]


def test_logging_out_says_so_on_the_next_page(client, school):
    _try(client, "tove", "x" * 12)

    answer = client.post(reverse("accounts:logout"), follow=True)

    assert answer.request["PATH_INFO"] == LOGIN
    assert "Du är utloggad." in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_login_page_says_nothing_of_a_logout_that_did_not_happen(client, school):
    assert "Du är utloggad." not in client.get(LOGIN).content.decode()


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(client, school, monkeypatch):
    monkeypatch.setattr("django.middleware.csrf._get_new_csrf_string", lambda: "x" * 32)
    unknown = _try(client, "ingen-alls", "fel-lösenord")
    wrong = _try(client, "tove", "fel-lösenord")
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.content.decode().replace("ingen-alls", "tove") == wrong.content.decode()
    assert AuditEvent.objects.filter(code="accounts.session.login_failed").count() == 2


def test_passwords_are_throttled_per_account_even_with_the_right_password(client, school):
    for _ in range(5):
        _try(client, "tove", "fel-lösenord", address="10.0.0.1")

    answer = _try(client, "tove", "x" * 12, address="10.0.0.2")

    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(code="accounts.session.login_throttled").count() == 1


def test_an_unknown_account_is_throttled_the_same_way(client, school):
    for _ in range(5):
        _try(client, "ingen-alls", "fel")
    assert _try(client, "ingen-alls", "fel").status_code == 429


def test_passwords_are_throttled_per_address(client, school, settings):
    settings.ELEVSTOD_THROTTLE_ADDRESS_ATTEMPTS = 3
    for name in ("a", "b", "c"):
        _try(client, name, "fel", address="10.9.9.9")
    assert _try(client, "tove", "x" * 12, address="10.9.9.9").status_code == 429
    assert _try(client, "tove", "x" * 12, address="10.9.9.8").status_code == 302


def test_a_successful_login_clears_the_account_count(client, school):
    for _ in range(4):
        _try(client, "tove", "fel")
    assert _try(client, "tove", "x" * 12).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        _try(client, "tove", "fel")
    assert _try(client, "tove", "x" * 12).status_code == 302
