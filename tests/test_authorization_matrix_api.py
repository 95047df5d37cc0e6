"""The authorization matrix of the REST API: every route, a personal access token of every role
of the standing cast. Reads answer 200 or the same 404 a missing object gets; a write with an
empty body answers 400 to those who may take the step and 404 to the others."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from .authorization import EVERYONE, SUPPORT, cast_objects, url_of
from .conftest import USERS

# The REST API (a personal access token of each role): what a GET answers (200, or 404), and
# which routes take writes (a write with an empty body: 400 when the object is the caller's to
# work with, else the same 404).
API_READS: dict[str, tuple[str, set[str]]] = {
    "api:pupil_list": ("", EVERYONE),  # the list is scoped: see the test of who is in it
    "api:pupil_detail": ("pupil", {"teacher", "mentor", "principal", "health", "admin"}),
    "api:pupil_adaptations": ("pupil", SUPPORT),
    "api:pupil_referrals": ("pupil", SUPPORT),
    "api:pupil_investigations": ("pupil", SUPPORT),
    "api:pupil_programmes": ("pupil", SUPPORT),
    "api:pupil_decisions": ("pupil", SUPPORT),
    "api:adaptation": ("adaptation", SUPPORT),
    "api:referral": ("referral", {"teacher", "principal", "health"}),
    "api:investigation": ("investigation", {"principal", "health"}),
    "api:programme": ("programme", SUPPORT),
    "api:decision": ("decision", SUPPORT),
    "api:appeal": ("appeal", SUPPORT),
    # the statistics: exactly who opens the statistics pages
    "api:unit_statistics": ("unit_a1", {"principal", "health"}),
    "api:organiser_statistics": ("organiser_a", {"analyst"}),
}
API_WRITES: dict[str, tuple[str, str, set[str]]] = {
    "api:pupil_adaptations": ("post", "pupil", SUPPORT),
    "api:pupil_referrals": ("post", "pupil", SUPPORT),
    "api:adaptation": ("put", "adaptation", SUPPORT),
    "api:adaptation_follow_up": ("post", "adaptation", SUPPORT),
    "api:adaptation_evaluate": ("post", "adaptation", SUPPORT),
    "api:programme_follow_up": ("post", "programme", SUPPORT),
    "api:decision_notification": ("post", "decision", SUPPORT),
}
# Who finds the cast's pupil in the pupil list of the API (as in the search).
API_PUPIL_LIST = {"teacher", "mentor", "principal", "health", "admin"}


@pytest.fixture
def objects(cast):
    return cast_objects(cast)


def _api_client(user):
    """A token of ``user`` made directly (the service refuses roles without a duty): whatever
    the token, the API answers with the user's own rights."""
    from rest_framework.test import APIClient

    from elevstod.accounts.models import PersonalAccessToken
    from elevstod.accounts.tokens import token_digest

    token = f"elv_matrix_{user.pk}"
    PersonalAccessToken.objects.create(
        user=user,
        name="matrix",
        prefix=token[:10],
        digest=token_digest(token),
        scopes=["read", "write"],
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.mark.parametrize("user", USERS)
def test_each_role_gets_exactly_the_api_answers_it_should(cast, objects, user):
    client = _api_client(cast.user(user))
    secret = cast.pupil.civic_number or ""
    for name, (target, allowed) in API_READS.items():
        url = url_of(name, objects[target] if target else None)
        answer = client.get(url)
        expected = 200 if user in allowed else 404
        assert answer.status_code == expected, (url, answer.status_code)
        if user not in allowed:
            assert secret not in answer.content.decode(), url
    for name, (method, target, allowed) in API_WRITES.items():
        url = url_of(name, objects[target])
        answer = getattr(client, method)(url, {}, format="json")
        expected = 400 if user in allowed else 404
        assert answer.status_code == expected, (method, url, answer.status_code)
    listed = client.get(reverse("api:pupil_list")).content.decode()
    assert (secret in listed) == (user in API_PUPIL_LIST)


def test_anonymous_callers_of_the_api_are_asked_for_a_token(client, objects):
    for name, (target, _allowed) in API_READS.items():
        answer = client.get(url_of(name, objects[target] if target else None))
        assert answer.status_code == 401, name
        assert answer["WWW-Authenticate"].startswith("Bearer"), name
