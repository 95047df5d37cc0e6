"""The Content Security Policy: every page may load only the app's own files, and no inline
script or style runs, whatever the page (login, pupil data, security keys, SAML, errors)."""

from __future__ import annotations

from django.urls import reverse

import pytest

from .builders import pupil_url

# The whole policy, directive by directive: nothing from another origin, no 'unsafe-inline',
# no 'unsafe-eval', no nonce or hash that would let a script written into a page run.
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


def _policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {words[0]: words[1:] for words in directives if words}


@pytest.mark.parametrize(
    "url",
    [
        reverse("accounts:login"),
        reverse("accounts:saml_metadata"),
        reverse("accounts:saml_login"),
        "/no-such-page/",
    ],
)
def test_pages_before_login_allow_only_the_apps_own_files(client, db, url):
    assert _policy(client.get(url)) == POLICY


@pytest.mark.parametrize(
    "page",
    ["pupil page", "pupil of another school", "security key page", "step-up page", "security"],
)
def test_pages_after_login_allow_only_the_apps_own_files(client, cast, page):
    url = {
        "pupil page": pupil_url(cast.pupil),
        "pupil of another school": pupil_url(cast.other_pupil),
        "security key page": reverse("accounts:webauthn_enrol"),
        "step-up page": reverse("accounts:step_up"),
        "security": reverse("accounts:security"),
    }[page]
    client.force_login(cast.teacher)

    assert _policy(client.get(url)) == POLICY


def test_the_policy_forbids_inline_script_and_style(client, db):
    header = client.get(reverse("accounts:login"))["Content-Security-Policy"]

    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'nonce-", "*"):
        assert loophole not in header


def test_a_live_search_answer_carries_the_policy_too(client, cast):
    client.force_login(cast.teacher)

    response = client.get(reverse("organisation:pupil_search"), {"q": "an"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200

    assert _policy(response) == POLICY
