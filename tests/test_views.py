"""The pages, through Django's test client: what each member of the cast sees, and what not."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.organisation.civic import civic_number_display
from elevstod.organisation.models import Person

from .factories import (
    PASSWORD,
    GroupMembershipFactory,
    GuardianshipFactory,
    MentorshipFactory,
    PersonFactory,
    PlacementFactory,
    UserFactory,
)

LOGIN = reverse("accounts:login")
NOT_ENABLED = "Modulen Stödinsatser är inte aktiverad på den här skolenheten."
NO_PUPIL_IN_GROUP = "Du har inte behörighet till någon elev i den här gruppen."
WRONG_LOGIN = "Fel användarnamn eller lösenord. Försök igen."


@pytest.fixture
def fixed_csrf_mask(monkeypatch):
    """The masked CSRF token is the one random part of a page: fix it to compare pages whole."""
    monkeypatch.setattr("django.middleware.csrf._get_new_csrf_string", lambda: "x" * 32)


@pytest.fixture
def as_user(client, cast):
    """``as_user("teacher")``: the test client, logged in as that member of the cast."""

    def login(name: str):
        client.force_login(cast.user(name))
        return client

    return login


def page(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def pupil_url(person) -> str:
    return reverse("organisation:pupil_detail", args=[person.pk])


def family_url(person) -> str:
    return reverse("organisation:family_pupil", args=[person.pk])


def group_url(group) -> str:
    return reverse("organisation:group_detail", args=[group.pk])


def unit_url(unit) -> str:
    return reverse("organisation:unit_detail", args=[unit.pk])


SEARCH = reverse("organisation:pupil_search")


# --- login and language --------------------------------------------------------------------


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


# --- start page per role -------------------------------------------------------------------


def test_teacher_start_page_lists_the_groups_they_teach(as_user, cast):
    body = page(as_user("teacher"), reverse("home:start"))
    assert group_url(cast.maths_5a) in body
    assert "Ma 5A" in body
    assert group_url(cast.class_5b) not in body


def test_mentor_start_page_lists_their_mentees(as_user, cast):
    body = page(as_user("mentor"), reverse("home:start"))
    assert cast.pupil.full_name in body
    assert cast.protected_pupil.full_name in body
    assert cast.other_pupil.full_name not in body


def test_analyst_start_page_shows_counts_and_no_pupil_names(as_user, cast):
    body = page(as_user("analyst"), reverse("home:start"))
    cell = r"<td[^>]*>"
    rows = dict(re.findall(rf"{cell}(\w+skolan)</td>{cell}\d{{8}}</td>{cell}(\d+)</td>", body))
    # Ekskolan has three pupils; the one with protected identity is never counted
    assert rows == {"Ekskolan": "2", "Aspskolan": "1"}
    for person in (
        cast.pupil,
        cast.other_pupil,
        cast.far_pupil,
        cast.foreign_pupil,
        cast.protected_pupil,
        cast.former_pupil,
    ):
        assert person.family_name not in body
    assert "/elever/" not in body


def test_guardian_start_page_lists_their_children(as_user, cast):
    body = page(as_user("guardian"), reverse("home:start"))
    assert cast.pupil.full_name in body
    assert family_url(cast.pupil) in body
    assert cast.other_pupil.full_name not in body
    assert pupil_url(cast.pupil) not in body


def test_user_without_role_is_told_so(as_user):
    body = page(as_user("nobody"), reverse("home:start"))
    assert "Ditt konto har ännu ingen roll" in body


# --- search --------------------------------------------------------------------------------


def test_search_finds_a_visible_pupil_by_name(as_user, cast):
    body = page(as_user("teacher"), SEARCH, q="alva")
    assert cast.pupil.full_name in body
    assert pupil_url(cast.pupil) in body


@pytest.mark.parametrize("form", ["12 digits", "with hyphen", "10 digits with hyphen"])
def test_search_finds_a_visible_pupil_by_personal_identity_number(as_user, cast, form):
    digits = cast.pupil.civic_number
    term = {
        "12 digits": digits,
        "with hyphen": civic_number_display(digits),
        "10 digits with hyphen": civic_number_display(digits)[2:],
    }[form]
    body = page(as_user("teacher"), SEARCH, q=term)
    assert pupil_url(cast.pupil) in body


def test_search_does_not_find_a_protected_pupil_for_their_teacher(as_user, cast):
    protected = cast.protected_pupil
    for term in (protected.given_name, protected.civic_number):
        assert pupil_url(protected) in page(as_user("principal"), SEARCH, q=term)
        body = page(as_user("teacher"), SEARCH, q=term)
        assert pupil_url(protected) not in body
        assert protected.full_name not in body


def test_search_does_not_find_a_pupil_of_another_unit(as_user, cast):
    far = cast.far_pupil
    for term in (far.given_name, far.civic_number):
        assert pupil_url(far) in page(as_user("other_unit_principal"), SEARCH, q=term)
        body = page(as_user("principal"), SEARCH, q=term)
        assert pupil_url(far) not in body
        assert far.full_name not in body


def test_search_is_not_there_for_guardians(as_user, cast):
    assert as_user("guardian").get(SEARCH, {"q": "alva"}).status_code == 404


# --- pupil page and access log -------------------------------------------------------------


def test_pupil_page_is_shown_to_the_pupils_teacher(as_user, cast):
    body = page(as_user("teacher"), pupil_url(cast.pupil))
    assert cast.pupil.full_name in body
    assert "Ma 5A" in body


def test_the_pupil_page_shows_the_support_before_the_list_of_groups(as_user, cast):
    body = page(as_user("teacher"), pupil_url(cast.pupil))
    order = [
        body.index(f'aria-labelledby="{section}"')
        for section in ("pupil-support", "pupil-special", "pupil-groups")
    ]
    assert order == sorted(order)


def test_refused_and_missing_pupils_get_the_same_404(as_user, cast, fixed_csrf_mask):
    client = as_user("teacher")
    refused_url = pupil_url(cast.other_pupil)
    missing_url = reverse("organisation:pupil_detail", args=[cast.other_pupil.pk + 10_000])
    refused = client.get(refused_url)
    missing = client.get(missing_url)
    assert refused.status_code == missing.status_code == 404
    # the only difference is the address the user typed (the language form returns to it)
    assert refused.content.decode().replace(refused_url, "URL") == missing.content.decode().replace(
        missing_url, "URL"
    )
    assert cast.other_pupil.family_name not in refused.content.decode()


@pytest.mark.parametrize(
    ("user", "reason"),
    [
        ("teacher", "TEACHER"),
        ("mentor", "MENTOR"),
        ("principal", "PRINCIPAL"),
        ("health", "PUPIL_HEALTH"),
        ("admin", "ADMINISTRATOR"),
    ],
)
def test_each_pupil_page_read_is_logged_with_its_reason(as_user, cast, user, reason):
    client = as_user(user)
    page(client, pupil_url(cast.pupil))
    page(client, pupil_url(cast.pupil))
    entries = list(AccessLogEntry.objects.filter(purpose="organisation.pupil.page"))
    assert len(entries) == 2
    for entry in entries:
        assert entry.actor_id == cast.user(user).pk
        assert entry.pupil_id == cast.pupil.pk
        assert entry.reasons == reason
        assert entry.granted is True
        assert entry.path == pupil_url(cast.pupil)


def test_a_refused_pupil_page_read_is_logged_as_refused(as_user, cast):
    response = as_user("teacher").get(pupil_url(cast.protected_pupil))
    assert response.status_code == 404
    entry = AccessLogEntry.objects.get(purpose="organisation.pupil.page")
    assert (entry.actor_id, entry.pupil_id) == (cast.teacher.pk, cast.protected_pupil.pk)
    assert entry.granted is False
    assert entry.reasons == ""


@pytest.mark.parametrize("user", ["mentor", "principal", "health"])
def test_protected_pupils_guardian_contacts_are_never_shown(as_user, cast, user):
    client = as_user(user)
    # given the contacts of an ordinary pupil's guardian are shown
    body = page(client, pupil_url(cast.pupil))
    assert cast.guardian.person.mobile in body
    # then those of the protected pupil's guardian are not
    body = page(client, pupil_url(cast.protected_pupil))
    guardian = cast.protected_guardian
    assert guardian.full_name in body
    for detail in (guardian.mobile, guardian.email, guardian.address):
        assert detail not in body


def test_protected_pupils_guardian_contacts_are_hidden_on_a_siblings_page_too(as_user, cast):
    # given the protected pupil's guardian is also the guardian of an ordinary pupil
    GuardianshipFactory(guardian=cast.protected_guardian, pupil=cast.other_pupil)
    # when the principal opens the ordinary pupil's page
    body = page(as_user("principal"), pupil_url(cast.other_pupil))
    # then the other guardian's contacts are shown, and the protected family's are not
    assert cast.other_guardian.person.mobile in body
    guardian = cast.protected_guardian
    assert guardian.full_name in body
    for detail in (guardian.mobile, guardian.email, guardian.address):
        assert detail not in body


def test_a_guardian_with_a_security_marking_has_their_contacts_hidden(as_user, cast):
    guardian = cast.guardian.person
    assert guardian.mobile in page(as_user("principal"), pupil_url(cast.pupil))
    guardian.security_marking = Person.SecurityMarking.PROTECTED_REGISTRATION
    guardian.save()
    body = page(as_user("principal"), pupil_url(cast.pupil))
    assert guardian.full_name in body
    assert guardian.mobile not in body
    assert guardian.email not in body


def test_administrator_sees_the_pupil_page_without_support(as_user, cast):
    body = page(as_user("admin"), pupil_url(cast.pupil))
    assert cast.pupil.full_name in body
    assert reverse("support:adaptation_new", args=[cast.pupil.pk]) not in body
    body = page(as_user("principal"), pupil_url(cast.pupil))
    assert reverse("support:adaptation_new", args=[cast.pupil.pk]) in body


# --- group and unit pages ------------------------------------------------------------------


def test_group_page_hides_the_pupils_the_user_may_not_see(as_user, cast):
    body = page(as_user("teacher"), group_url(cast.maths_5a))
    assert cast.pupil.full_name in body
    assert cast.protected_pupil.full_name not in body
    body = page(as_user("principal"), group_url(cast.maths_5a))
    assert cast.pupil.full_name in body
    assert cast.protected_pupil.full_name in body


def test_group_page_shows_no_pupil_to_a_colleague_who_does_not_teach_it(as_user, cast):
    body = page(as_user("colleague"), group_url(cast.maths_5a))
    assert NO_PUPIL_IN_GROUP in body
    assert cast.pupil.full_name not in body


def test_group_page_does_not_list_pupils_who_left_the_group(as_user, cast):
    body = page(as_user("principal"), group_url(cast.class_5a))
    assert cast.pupil.full_name in body
    assert cast.former_pupil.full_name not in body


def test_group_of_another_unit_is_not_found(as_user, cast):
    assert as_user("teacher").get(group_url(cast.maths_a2)).status_code == 404


@pytest.mark.parametrize("user", ["principal", "admin"])
def test_unit_page_lists_the_pupils_to_principal_and_administrator(as_user, cast, user):
    body = page(as_user(user), unit_url(cast.unit_a1))
    assert 'id="unit-pupils"' in body
    assert cast.pupil.full_name in body
    assert cast.other_pupil.full_name in body
    assert cast.former_pupil.full_name not in body
    assert (cast.protected_pupil.full_name in body) == (user == "principal")


def test_unit_page_lists_no_pupils_to_a_teacher(as_user, cast):
    body = page(as_user("teacher"), unit_url(cast.unit_a1))
    assert "Ma 5A" in body
    assert 'id="unit-pupils"' not in body
    assert cast.pupil.full_name not in body
    assert cast.other_pupil.full_name not in body


def test_unit_without_the_support_module_says_so(as_user, cast):
    assert NOT_ENABLED in page(as_user("other_unit_principal"), unit_url(cast.unit_a2))
    assert NOT_ENABLED not in page(as_user("principal"), unit_url(cast.unit_a1))


def test_unit_of_another_organiser_is_not_found(as_user, cast):
    assert as_user("foreign_principal").get(unit_url(cast.unit_a1)).status_code == 404


# --- family page ---------------------------------------------------------------------------


def test_family_page_is_shown_to_the_guardian_and_the_pupil(as_user, cast):
    assert cast.pupil.full_name in page(as_user("guardian"), family_url(cast.pupil))
    assert cast.pupil.full_name in page(as_user("pupil_user"), family_url(cast.pupil))


@pytest.mark.parametrize("user", ["teacher", "principal", "other_guardian"])
def test_family_page_is_not_found_for_anyone_else(as_user, cast, user):
    assert as_user(user).get(family_url(cast.pupil)).status_code == 404


def test_guardian_gets_no_staff_pupil_page(as_user, cast):
    assert as_user("guardian").get(pupil_url(cast.pupil)).status_code == 404


# --- headers, login required, methods ------------------------------------------------------

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
PRIVATE_ROUTES = [(name, path) for name, path in ROUTES if name not in PUBLIC_ROUTES]


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
    assert client.get(reverse("core:healthz")).json() == {"status": "ok"}


GET_ONLY = [
    ("home:start", None),
    ("core:healthz", None),
    ("organisation:pupil_search", None),
    ("organisation:pupil_detail", "pupil"),
    ("organisation:family_pupil", "pupil"),
    ("organisation:group_detail", "maths_5a"),
    ("organisation:unit_detail", "unit_a1"),
    ("notifications:inbox", None),
]


@pytest.mark.parametrize(("name", "arg"), GET_ONLY, ids=[n for n, _ in GET_ONLY])
def test_post_to_a_get_only_page_is_refused_with_405(as_user, cast, name, arg):
    url = reverse(name, args=[getattr(cast, arg).pk] if arg else [])
    response = as_user("principal").post(url, {"q": "x"})
    assert response.status_code == 405
    assert response["Allow"] == "GET"


# --- bounded queries -----------------------------------------------------------------------

# The most SQL queries each page may run (measured, plus two), the same for 3 and for 40 pupils.
# Raise a budget deliberately, in the change that needs it, never to make the test pass.
MAX_QUERIES = {"pupil": 24, "group": 10, "unit": 14, "search": 12, "start": 14}


def _add_pupils(cast, count: int) -> None:
    """More pupils like ``pupil``: at A1, in class 5A and Ma 5A, mentored by the mentor."""
    for n in range(count):
        person = PersonFactory(pupil=True, given_name=f"Extra{n}", family_name="Andersson")
        PlacementFactory(pupil=person, unit=cast.unit_a1)
        GroupMembershipFactory(group=cast.class_5a, pupil=person)
        GroupMembershipFactory(group=cast.maths_5a, pupil=person)
        MentorshipFactory(mentor=cast.mentor.person, pupil=person, unit=cast.unit_a1)


PAGES = [
    ("pupil", "principal"),
    ("pupil", "teacher"),
    ("group", "principal"),
    ("group", "teacher"),
    ("unit", "principal"),
    ("unit", "admin"),
    ("search", "principal"),
    ("search", "teacher"),
    ("start", "mentor"),
]


@pytest.mark.parametrize(("kind", "user"), PAGES)
def test_pages_run_a_bounded_number_of_queries(
    as_user, cast, django_assert_max_num_queries, kind, user
):
    url = {
        "pupil": pupil_url(cast.pupil),
        "group": group_url(cast.maths_5a),
        "unit": unit_url(cast.unit_a1),
        "search": f"{SEARCH}?q=Andersson",
        "start": reverse("home:start"),
    }[kind]
    client = as_user(user)
    counts = []
    for more in (0, 37):  # A1 has 3 pupils in the cast; then 40
        _add_pupils(cast, more)
        with django_assert_max_num_queries(MAX_QUERIES[kind]) as queries:
            body = page(client, url)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    if kind in {"group", "unit", "search", "start"}:
        assert "Extra36 Andersson" in body  # the 40 pupils were listed
