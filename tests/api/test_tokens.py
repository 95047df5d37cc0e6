"""Personal access tokens: made by staff on their security page after the step-up, named, with an
expiry and scopes, stored as a digest and shown once, revocable; they act with the user's own
rights and never more."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

import pytest

from elevstod.accounts.models import PersonalAccessToken
from elevstod.accounts.tokens import token_create, token_digest
from elevstod.audit.models import AuditEvent
from elevstod.core.errors import DomainError

from .conftest import Api, token_for

pytestmark = pytest.mark.django_db

PUPILS = reverse("api:pupil_list")


def test_a_teacher_creates_a_token_on_the_security_page_and_sees_it_once(client, cast):
    # given a teacher who stepped up (force_login verifies a federated second factor)
    client.force_login(cast.teacher)
    # when
    answer = client.post(
        reverse("accounts:token_create"),
        {"name": "Mobilappen", "days": "30", "scopes": ["read", "write"]},
    )
    # then the token is shown once, and only its digest is stored
    assert answer.status_code == 200
    token = answer.context["token"]
    row = PersonalAccessToken.objects.get(user=cast.teacher)
    assert token.startswith("elv_")
    assert token in answer.content.decode()
    assert row.digest == token_digest(token)
    assert token not in str(row.__dict__)
    assert row.scopes == ["read", "write"]
    assert row.name == "Mobilappen"
    assert answer["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(code="accounts.token.created", actor_id=cast.teacher.pk)
    listed = client.get(reverse("accounts:security")).content.decode()
    assert "Mobilappen" in listed
    assert token not in listed
    assert Api(token).get(PUPILS).status_code == 200


@pytest.mark.real_step_up
def test_creating_a_token_needs_the_step_up_in_this_session(client, cast):
    client.force_login(cast.teacher)  # a password login only
    answer = client.post(reverse("accounts:token_create"), {"name": "x", "scopes": ["read"]})
    assert answer.status_code == 302
    assert "/konto/verifiera/" in answer["Location"]
    assert not PersonalAccessToken.objects.exists()


def test_a_user_without_a_second_factor_cannot_create_a_token(cast):
    with pytest.raises(DomainError) as refused:
        token_create(user=cast.teacher, name="x", days=30, scopes=["read"])
    assert refused.value.code == "no_factor"


def test_a_guardian_cannot_create_a_token(client, cast):
    client.force_login(cast.guardian)
    client.post(reverse("accounts:token_create"), {"name": "x", "scopes": ["read"]})
    assert not PersonalAccessToken.objects.exists()
    assert "token_create" not in client.get(reverse("accounts:security")).content.decode()


@pytest.mark.parametrize(("name", "days"), [("", 30), ("x" * 101, 30), ("ok", 0), ("ok", 366)])
def test_a_token_needs_a_name_and_at_most_a_year(cast, name, days):
    token_for(cast.principal)  # gives the second factor
    with pytest.raises(DomainError):
        token_create(user=cast.principal, name=name, days=days, scopes=["read"])


def test_a_revoked_token_stops_working_at_once(client, cast):
    token = token_for(cast.teacher)
    row = PersonalAccessToken.objects.get(user=cast.teacher)
    client.force_login(cast.teacher)
    client.post(reverse("accounts:token_revoke"), {"pk": row.pk})
    answer = Api(token).get(PUPILS)
    assert answer.status_code == 401
    assert answer.json()["code"] == "authentication_failed"
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert AuditEvent.objects.filter(code="accounts.token.revoked").count() == 1


def test_a_user_cannot_revoke_someone_elses_token(client, cast):
    token = token_for(cast.teacher)
    row = PersonalAccessToken.objects.get(user=cast.teacher)
    client.force_login(cast.colleague)
    client.post(reverse("accounts:token_revoke"), {"pk": row.pk})
    assert Api(token).get(PUPILS).status_code == 200


def test_an_expired_token_or_a_deactivated_user_gets_nothing(cast):
    token = token_for(cast.teacher)
    PersonalAccessToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Api(token).get(PUPILS).status_code == 401
    other = token_for(cast.mentor)
    cast.mentor.is_active = False
    cast.mentor.save()
    assert Api(other).get(PUPILS).status_code == 401


def test_no_token_or_a_wrong_one_is_told_to_authenticate(cast):
    assert Api().get(PUPILS).status_code == 401
    assert Api("elv_not-a-real-token").get(PUPILS).status_code == 401
    assert Api("something-else").get(PUPILS).status_code == 401


def test_a_read_token_cannot_write(cast):
    api = Api(token_for(cast.teacher, write=False))
    path = reverse("api:pupil_adaptations", args=[cast.pupil.pk])
    assert api.get(path).status_code == 200
    answer = api.post(path, {"title": "x"})
    assert answer.status_code == 403
    assert set(answer.json()["message"]) == {"sv", "en"}


def test_a_token_has_the_users_own_rights_never_more(cast):
    # the colleague teaches 5B, not the pupil's groups: the pupil is not theirs to see
    api = Api(token_for(cast.colleague))
    assert api.get(reverse("api:pupil_detail", args=[cast.pupil.pk])).status_code == 404
    listed = {p["id"] for p in api.get(PUPILS).json()["results"]}
    assert cast.pupil.pk not in listed
    assert cast.other_pupil.pk in listed


def test_no_address_of_the_api_takes_a_password(client, cast):
    """A password goes only through the login page, with its throttle and step-up."""
    import base64

    basic = "Basic " + base64.b64encode(f"{cast.teacher.username}:wrong".encode()).decode()
    for url in (reverse("api:schema"), PUPILS):
        answer = client.get(url, HTTP_AUTHORIZATION=basic)
        assert answer.status_code in (200, 401), url
        assert "Basic" not in answer.get("WWW-Authenticate", "")
    assert client.get(reverse("api:schema"), HTTP_AUTHORIZATION=basic).status_code == 200
    assert client.get(PUPILS, HTTP_AUTHORIZATION=basic).status_code == 401
