"""Malformed input never makes a server error: every form field of every page of the
authorization matrix gets garbage (not a number, huge numbers, overlong text, bytes that are
not UTF-8, nothing), and the answer is a page or a 400/404 saying so, never a 500."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode

from django.test import Client
from django.urls import get_resolver, reverse

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from elevstod.accounts.models import SMSDevice
from elevstod.organisation.models import Duty

from .authorization import EXTRA_KWARGS
from .authorization import url_of as _url
from .authorization import walk as _walk
from .factories import DutyFactory, UserFactory
from .test_authorization_matrix import MATRIX, POST_ONLY, STEPS
from .test_authorization_matrix import objects as matrix_objects  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

GARBAGE: tuple[str | bytes, ...] = ("abc", "9" * 25, "x" * 5000, b"\xff\xfe\xc3(", "")
NO_SERVER_ERROR = "the app answered 500 to malformed input"


def _assert_no_500(response, what: object) -> None:
    assert response.status_code < 500, (NO_SERVER_ERROR, what, response.status_code)


# --- the faults reported in issue 11 --------------------------------------------------------


def test_an_identity_provider_id_that_is_not_a_number_is_a_bad_request(client):
    response = client.get(reverse("accounts:saml_login"), {"idp": "abc"})
    assert response.status_code == 400
    assert "Ett värde som skickades med är inte giltigt" in response.content.decode()


def test_a_programme_version_that_is_not_a_number_is_a_bad_request(client, cast, objects):
    client.force_login(cast.principal)
    url = reverse("support:programme_submit", args=[objects["programme"].pk])
    assert client.post(url, {"version": "x"}).status_code == 400


def test_an_investigation_version_that_is_not_a_number_is_a_bad_request(client, cast, objects):
    client.force_login(cast.principal)
    url = reverse(
        "support:investigation_conclude_with_programme", args=[objects["investigation"].pk]
    )
    assert client.post(url, {"version": "x"}).status_code == 400


@pytest.mark.parametrize("page", ["accounts:sms_enrol", "accounts:totp_enrol"])
def test_an_enrolment_device_that_is_not_a_number_is_a_bad_request(client, cast, page):
    client.force_login(cast.teacher)
    response = client.post(reverse(page), {"step": "code", "device": "abc", "code": "1"})
    assert response.status_code == 400


def test_a_well_formed_enrolment_device_of_someone_else_is_not_found(client, cast):
    device = SMSDevice.objects.create(user=cast.principal, number="+46701234567", confirmed=False)
    client.force_login(cast.teacher)
    data = {"step": "code", "device": str(device.pk), "code": "1"}
    assert client.post(reverse("accounts:sms_enrol"), data).status_code == 302


@pytest.mark.real_step_up
@pytest.mark.parametrize("device", ["totp:²", "totp:" + "9" * 25, "totp:-1"])
def test_a_step_up_device_that_is_not_an_id_is_a_bad_request(client, cast, device):
    TOTPDevice.objects.create(user=cast.teacher, name="app", confirmed=True)
    client.force_login(cast.teacher)
    response = client.post(reverse("accounts:step_up"), {"device": device, "code": "123456"})
    assert response.status_code == 400


def test_a_notification_id_too_large_for_the_database_is_a_bad_request(client, cast):
    client.force_login(cast.teacher)
    response = client.post(reverse("notifications:mark_read"), {"id": "9" * 25})
    assert response.status_code == 400


def test_in_english_the_bad_request_page_says_so_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("accounts:saml_login"), {"idp": "9" * 25})
    assert response.status_code == 400
    assert "A value sent with the request is not valid" in response.content.decode()


# --- garbage in every field of every page ---------------------------------------------------


class _Forms(HTMLParser):
    """The forms of a page: method, action, their fields (name, rendered value, hidden or not)
    and the named submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method, action = a.get("method", "get").lower(), a.get("action", "")
            self.forms.append({"method": method, "action": action, "fields": {}, "buttons": set()})
        elif not self.forms:
            return
        elif tag == "option" and self._select and self._select not in self.forms[-1]["fields"]:
            self.forms[-1]["fields"][self._select] = (a.get("value", ""), False)
        elif tag in ("input", "select", "textarea", "button") and a.get("name"):
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        form, name = self.forms[-1], a["name"]
        if tag == "button" or a.get("type") == "submit":
            form["buttons"].add((name, a.get("value", "")))
        elif tag == "select":
            self._select = name
        elif a.get("type") not in ("checkbox", "radio") or "checked" in a:
            form["fields"].setdefault(name, (a.get("value", ""), a.get("type") == "hidden"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _submissions(form: dict, page_url: str):
    """Per named button (or none) and kind of garbage: everything garbage; only the hidden
    fields (ids, versions) garbage; only the visible fields garbage, the rest as rendered."""
    url = form["action"] or page_url
    fields = sorted(form["fields"].items())
    for button in sorted(form["buttons"]) or [None]:
        for junk in GARBAGE:
            for spoil in (lambda hidden: True, lambda hidden: hidden, lambda hidden: not hidden):
                data = [(n, junk if spoil(hidden) else value) for n, (value, hidden) in fields]
                if button is not None:
                    data.append(button)
                yield form["method"], url, urlencode(data)


def _send(client: Client, method: str, url: str, body: str):
    if method == "post":
        return client.post(url, body, content_type="application/x-www-form-urlencoded")
    return client.get(f"{url.split('?')[0]}?{body}")


def _reachable_by(allowed: set[str]) -> str | None:
    for role in ("principal", "teacher", "guardian", "admin", "health", "mentor"):
        if role in allowed:
            return role
    return next(iter(sorted(allowed)), None)


@pytest.fixture
def objects(matrix_objects):  # noqa: F811 (the imported fixture)
    """The matrix's pupil, adaptation, referral, investigation, programme, decision, appeal."""
    return matrix_objects


@pytest.fixture
def dpo(cast):
    user = UserFactory()
    DutyFactory(
        person=user.person,
        organiser=cast.organiser_a,
        unit=None,
        role=Duty.Role.DATA_PROTECTION_OFFICER,
    )
    return user


def _garbage_into_every_form(client: Client, url: str) -> int:
    page = client.get(url)
    _assert_no_500(page, url)
    sent = 0
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return sent
    for form in _forms(page.content.decode()):
        if form["action"].startswith(("http://", "https://", "//")):
            continue
        for method, target, body in _submissions(form, url):
            _assert_no_500(_send(client, method, target, body), (target, body[:80]))
            sent += 1
    return sent


def test_garbage_in_every_field_of_every_page_never_makes_a_server_error(cast, objects, dpo):
    sent = 0
    for name, (target, allowed) in MATRIX.items():
        role = _reachable_by(allowed)
        user = dpo if role is None else cast.user(role)
        client = Client()
        client.force_login(user)
        url = _url(name, objects[target] if target else None)
        sent += _garbage_into_every_form(client, url)
        for junk in GARBAGE:  # and in the query string of the page itself
            query = urlencode([(p, junk) for p in ("sida", "next", "q", "amne", "grupp")])
            _assert_no_500(client.get(f"{url}?{query}"), (url, junk))
    assert sent > 200  # the walk really found the forms


def test_an_id_too_large_for_the_database_in_any_address_is_not_found(client, cast):
    client.force_login(cast.principal)
    for name, (target, _allowed) in MATRIX.items():
        if target:
            pattern = dict(_walk(get_resolver().url_patterns))[name]
            kwarg = next(iter(pattern.pattern.converters))
            url = reverse(name, kwargs={kwarg: int("9" * 25), **EXTRA_KWARGS.get(name, {})})
            assert client.get(url).status_code == 404, url
    for name, (target, _allowed) in STEPS.items():
        if target:
            pattern = dict(_walk(get_resolver().url_patterns))[name]
            kwarg = next(iter(pattern.pattern.converters))
            url = reverse(name, kwargs={kwarg: int("9" * 25)})
            assert client.post(url).status_code == 404, url


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_garbage_posted_to_the_post_only_pages_never_makes_a_server_error(client, cast, name):
    client.force_login(cast.principal)
    for junk in GARBAGE:
        body = urlencode([(f, junk) for f in ("id", "pk", "kind", "next", "user", "device")])
        _assert_no_500(_send(client, "post", reverse(name), body), (name, junk))
