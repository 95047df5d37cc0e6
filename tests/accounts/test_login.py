"""The password login: audited, throttled per account and per address, no user enumeration."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

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


def test_passwords_are_throttled_per_account_and_address_even_with_the_right_password(
    client, school
):
    for _ in range(5):
        _try(client, "tove", "fel-lösenord", address="10.0.0.1")

    answer = _try(client, "tove", "x" * 12, address="10.0.0.1")

    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(code="accounts.session.login_throttled").count() == 1


def test_an_account_throttled_at_one_address_still_logs_in_from_another(client, school):
    for _ in range(5):
        _try(client, "tove", "fel-lösenord", address="10.0.0.1")
    assert _try(client, "tove", "x" * 12, address="10.0.0.2").status_code == 302


def test_an_account_is_throttled_from_every_address_at_its_higher_ceiling(client, school, settings):
    settings.ELEVSTOD_THROTTLE_ACCOUNT_ANY_ADDRESS_ATTEMPTS = 8
    for i in range(8):
        _try(client, "tove", "fel-lösenord", address=f"10.0.1.{i}")
    assert _try(client, "tove", "x" * 12, address="10.0.2.1").status_code == 429


@pytest.mark.parametrize("look_alike", ["ｔｏｖｅ", "TOVE", " Tove "])
def test_a_look_alike_spelling_of_the_account_gets_no_new_tries(client, school, look_alike):
    # given: full-width letters log in as the same user (Django normalises names with NFKC)
    for _ in range(5):
        _try(client, "tove", "fel-lösenord")

    answer = _try(client, look_alike, "x" * 12)

    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session


def test_full_width_letters_are_the_same_account_when_not_throttled(client, school):
    assert _try(client, "ｔｏｖｅ", "x" * 12).status_code == 302


def test_an_unknown_account_is_throttled_the_same_way(client, school):
    for _ in range(5):
        _try(client, "ingen-alls", "fel")
    assert _try(client, "ingen-alls", "fel").status_code == 429


def test_a_school_behind_one_address_is_not_locked_out_by_twenty_failed_accounts(client, school):
    for i in range(20):
        _try(client, f"elev{i}", "fel", address="10.5.5.5")
    assert _try(client, "tove", "x" * 12, address="10.5.5.5").status_code == 302


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


def _failure_rows():
    codes = (
        "accounts.session.login_failed",
        "accounts.session.login_throttled",
        "accounts.session.failures_counted",
    )
    return list(AuditEvent.objects.filter(code__in=codes).order_by("pk"))


def test_fifty_failed_logins_write_a_few_audit_rows_that_still_tell_the_count(
    client, school, time_machine
):
    # given: an anonymous client hammers one account from one address
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(50):
        _try(client, "tove", "fel", address="10.7.7.7")
    assert [e.code for e in _failure_rows()] == [
        "accounts.session.login_failed",
        "accounts.session.login_throttled",
    ]

    # when: the window is over
    time_machine.shift(dt.timedelta(minutes=16))
    call_command("close_login_failures", stdout=StringIO())

    # then: one closing row per kind tells how many there were
    rows = _failure_rows()
    assert len(rows) == 4
    counted = {e.data["kind"]: e.data["failures"] for e in rows[2:]}
    assert counted == {"accounts.session.login_failed": 5, "accounts.session.login_throttled": 45}
    assert {e.data["address"] for e in rows} == {"10.7.7.7"}


def test_a_failure_after_the_window_closes_the_old_one_and_opens_a_new_one(
    client, school, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(3):
        _try(client, "tove", "fel")
    time_machine.shift(dt.timedelta(minutes=16))

    _try(client, "tove", "fel")

    rows = _failure_rows()
    assert [e.code for e in rows] == [
        "accounts.session.login_failed",
        "accounts.session.failures_counted",
        "accounts.session.login_failed",
    ]
    assert rows[1].data["failures"] == 3
    assert call_command("close_login_failures", stdout=StringIO()) is None
    assert len(_failure_rows()) == 3  # the new window is still open


def test_failures_for_other_accounts_or_addresses_are_counted_apart(client, school):
    _try(client, "tove", "fel", address="10.0.0.1")
    _try(client, "tove", "fel", address="10.0.0.2")
    _try(client, "ｔｏｖｅ", "fel", address="10.0.0.2")
    _try(client, "ada", "fel", address="10.0.0.2")
    assert len(_failure_rows()) == 3
