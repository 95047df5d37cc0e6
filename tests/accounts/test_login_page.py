"""The login page through Django's test client: its language, where it leads, its cookie, and
that a failed login tells nothing about whether the user exists."""

from __future__ import annotations

from django.urls import reverse

from tests.builders import page
from tests.factories import PASSWORD, UserFactory

LOGIN = reverse("accounts:login")
WRONG_LOGIN = "Fel användarnamn eller lösenord. Försök igen."


def test_login_page_is_in_swedish_by_default(client):
    body = page(client, LOGIN)
    assert '<html lang="sv">' in body
    assert "Logga in" in body


def test_login_page_is_in_english_after_switching_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    body = page(client, LOGIN)
    assert '<html lang="en">' in body
    assert "Log in" in body
    assert "Logga in" not in body


def test_login_with_the_right_password_leads_to_the_start_page(client, cast):
    response = client.post(LOGIN, {"username": "teacher", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home:start")


def test_login_does_not_send_the_user_to_another_site(client, cast):
    data = {"username": "teacher", "password": PASSWORD}
    response = client.post(f"{LOGIN}?next=https://elak.example/", data)
    assert response.status_code == 302
    assert response["Location"] == reverse("home:start")


def test_session_cookie_is_http_only_and_same_site(client, cast):
    response = client.post(LOGIN, {"username": "teacher", "password": PASSWORD})
    cookie = response.cookies["elevstod_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def _failed_login(client, username: str) -> str:
    response = client.post(LOGIN, {"username": username, "password": "not-the-password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    return response.content.decode().replace(f'value="{username}"', 'value="USERNAME"')


def test_login_with_a_wrong_password_shows_a_message(client, cast):
    assert WRONG_LOGIN in _failed_login(client, "teacher")


def test_failed_login_does_not_tell_whether_the_user_exists(client, cast, fixed_csrf_mask):
    # given an inactive user who types the right password
    UserFactory(username="left_school", inactive=True)
    # when an existing, a missing and an inactive user fail to log in
    existing = _failed_login(client, "teacher")
    missing = _failed_login(client, "no_such_user")
    response = client.post(LOGIN, {"username": "left_school", "password": PASSWORD})
    inactive = response.content.decode().replace('value="left_school"', 'value="USERNAME"')
    # then the pages are the same, apart from the username typed
    assert existing == missing == inactive
