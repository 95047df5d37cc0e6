"""What holds for every page: security headers, no caching of pupil pages, login required, and
only the methods a page takes."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

from tests.builders import pupil_url

LOGIN = reverse("accounts:login")


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


@pytest.mark.parametrize("kind", ["login page", "pupil page", "not found"])
def test_security_headers_are_set(client, cast, kind):
    if kind != "login page":
        client.force_login(cast.teacher)
    url = {
        "login page": LOGIN,
        "pupil page": pupil_url(cast.pupil),
        "not found": pupil_url(cast.other_pupil),
    }[kind]
    response = client.get(url)
    for header, value in SECURITY_HEADERS.items():
        assert response[header] == value
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


def test_pages_about_pupils_are_not_cached(as_user, cast):
    response = as_user("teacher").get(pupil_url(cast.pupil))
    assert "no-store" in response["Cache-Control"]


PUBLIC_ROUTES = {
    "accounts:login",
    "accounts:logout",
    "accounts:saml_metadata",
    "accounts:saml_login",
    "accounts:saml_acs",
    "accounts:saml_complete",
    "set_language",
    "core:healthz",
    "core:readyz",
    "core:metrics",
}


def _routes(patterns=None, prefix="", namespace=""):
    """Every named route of the site as (name, example path), ids filled in with 1."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + route, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", "/" + re.sub(r"<\w+:\w+>", "1", prefix + route)


ROUTES = sorted(_routes())
# The API answers a caller without a token 401, not a redirect (tests/test_authorization_matrix).
PRIVATE_ROUTES = [
    (name, path)
    for name, path in ROUTES
    if name not in PUBLIC_ROUTES and not name.startswith("api:")
]


def test_the_route_list_covers_the_site():
    names = {name for name, _ in PRIVATE_ROUTES}
    assert {"home:start", "organisation:pupil_detail", "organisation:unit_detail"} <= names
    assert len(PRIVATE_ROUTES) >= 10


@pytest.mark.parametrize(("name", "path"), PRIVATE_ROUTES, ids=[n for n, _ in PRIVATE_ROUTES])
def test_anonymous_users_are_sent_to_the_login_page(client, db, name, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


def test_healthz_answers_anonymous_users(client, db):
    assert client.get(reverse("core:healthz")).json()["status"] == "ok"


GET_ONLY = [
    ("home:start", None),
    ("core:healthz", None),
    ("core:readyz", None),
    ("organisation:pupil_search", None),
    ("organisation:pupil_detail", "pupil"),
    ("organisation:family_pupil", "pupil"),
    ("organisation:group_detail", "maths_5a"),
    ("organisation:unit_detail", "unit_a1"),
    ("notifications:inbox", None),
    ("overviews:unit_statistics", "unit_a1"),
    ("conversations:pupil_talks", "pupil"),
    ("conversations:unit_overview", "unit_a1"),
]


@pytest.mark.parametrize(("name", "arg"), GET_ONLY, ids=[n for n, _ in GET_ONLY])
def test_post_to_a_get_only_page_is_refused_with_405(as_user, cast, name, arg):
    url = reverse(name, args=[getattr(cast, arg).pk] if arg else [])
    response = as_user("principal").post(url, {"q": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET"
