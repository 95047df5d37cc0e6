"""System integrations: an OAuth2 client-credentials client per organiser, made by the
organiser's administrator, limited to the scopes and units granted, for statistics only (never
a pupil, never an investigation), rate-limited, and every read logged with the client named."""

from __future__ import annotations

import base64
import datetime as dt

from django.urls import reverse

import pytest
import time_machine
from rest_framework.test import APIClient

from elevstod.accounts.models import FederationDevice
from elevstod.api.integrations import (
    integration_client_create,
    integration_client_revoke,
)
from elevstod.api.models import IntegrationClient, IntegrationToken
from elevstod.audit.models import AccessLogEntry, AuditEvent
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.organisation.models import SchoolUnit
from tests.overviews.conftest import adapt, pupils_at

pytestmark = pytest.mark.django_db

BOTH = ["statistics:units", "statistics:organiser"]


@pytest.fixture
def admin(cast):
    FederationDevice.objects.get_or_create(
        user=cast.admin, defaults={"name": "idp", "confirmed": True}
    )
    return cast.admin


@pytest.fixture
def second_unit(cast):
    SchoolUnit.objects.filter(pk=cast.unit_a2.pk).update(support_module_enabled=True)
    return cast.unit_a2


def _client(cast, admin, *, scopes=BOTH, units=None, name="Rapportverktyget"):
    units = units or [cast.unit_a1]
    return integration_client_create(
        actor=admin,
        organiser_id=cast.organiser_a.pk,
        name=name,
        scopes=scopes,
        unit_ids=[u.pk for u in units],
    )


def _token_answer(client_id: str, secret: str, **form: str):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials", **form}
    return APIClient().post(reverse("api:token"), data, HTTP_AUTHORIZATION=f"Basic {basic}")


def _bearer(client: IntegrationClient, secret: str, **form: str) -> APIClient:
    answer = _token_answer(client.client_id, secret, **form)
    assert answer.status_code == 200, answer.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {answer.json()['access_token']}")
    return api


def _organiser_url(cast, organiser=None) -> str:
    return reverse("api:organiser_statistics", args=[(organiser or cast.organiser_a).pk])


def _unit_url(unit) -> str:
    return reverse("api:unit_statistics", args=[unit.pk])


# --- making a client ---------------------------------------------------------------------------


def test_the_organisers_administrator_makes_a_client_whose_secret_is_kept_only_as_a_digest(
    cast, admin
):
    client, secret = _client(cast, admin)
    assert client.client_id.startswith("elvi_")
    assert secret not in client.secret_digest
    assert list(client.units.all()) == [cast.unit_a1]
    assert AuditEvent.objects.filter(code="api.integration_client.created").count() == 1


@pytest.mark.parametrize("name", ["principal", "analyst", "teacher", "foreign_principal"])
def test_only_the_organisers_administrator_makes_a_client(cast, name):
    user = cast.user(name)
    FederationDevice.objects.get_or_create(user=user, defaults={"name": "idp", "confirmed": True})
    with pytest.raises(AccessDenied):
        _client(cast, user)


def test_an_administrator_without_a_second_factor_cannot_make_a_client(cast):
    with pytest.raises(DomainError):
        _client(cast, cast.admin)


def test_a_client_is_granted_only_units_of_its_own_organiser(cast, admin):
    foreign = SchoolUnit.objects.exclude(organiser=cast.organiser_a).first()
    with pytest.raises(DomainError):
        _client(cast, admin, units=[foreign])
    with pytest.raises(DomainError):
        _client(cast, admin, scopes=["pupils:read"])


# --- the token endpoint ------------------------------------------------------------------------


def test_a_client_gets_a_short_lived_bearer_token_for_its_secret(cast, admin):
    client, secret = _client(cast, admin)
    answer = _token_answer(client.client_id, secret)
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "statistics:organiser statistics:units"
    assert answer["Cache-Control"] == "no-store"
    assert body["access_token"] not in IntegrationToken.objects.get().digest


def test_the_secret_may_also_come_in_the_form(cast, admin):
    client, secret = _client(cast, admin)
    data = {"grant_type": "client_credentials", "client_id": client.client_id}
    answer = APIClient().post(reverse("api:token"), {**data, "client_secret": secret})
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("secret", "form", "status", "error"),
    [
        ("wrong", {}, 401, "invalid_client"),
        (None, {"grant_type": "password"}, 400, "unsupported_grant_type"),
        (None, {"scope": "pupils:read"}, 400, "invalid_scope"),
    ],
)
def test_a_refused_token_request_says_why_in_oauths_words(cast, admin, secret, form, status, error):
    client, right = _client(cast, admin, scopes=["statistics:units"])
    answer = _token_answer(client.client_id, secret or right, **form)
    assert answer.status_code == status
    assert answer.json() == {"error": error}
    assert not IntegrationToken.objects.exists()


# --- what a client reads -----------------------------------------------------------------------


def test_a_client_reads_its_organisers_figures_under_the_small_number_rule(
    cast, admin, second_unit
):
    adapt(cast.principal, pupils_at(cast.unit_a1, 2))
    client, secret = _client(cast, admin)
    body = _bearer(client, secret).get(_organiser_url(cast)).json()
    assert body["small_number_rule"] is True
    assert [u["name"] for u in body["units"]] == [cast.unit_a1.name]  # the granted unit only
    adaptations = next(t for t in body["tables"] if t["key"] == "anpassningar")
    assert adaptations["rows"][0]["cells"][0]["text"] == "< 5"


def test_a_client_reads_a_granted_unit_under_the_small_number_rule_and_no_other(
    cast, admin, second_unit
):
    client, secret = _client(cast, admin)
    api = _bearer(client, secret)
    unit = api.get(_unit_url(cast.unit_a1))
    assert unit.status_code == 200
    assert unit.json()["small_number_rule"] is True
    assert api.get(_unit_url(second_unit)).status_code == 404
    assert api.get(_organiser_url(cast, cast.organiser_b)).status_code == 404


def test_a_client_reads_only_the_scopes_it_was_granted(cast, admin):
    client, secret = _client(cast, admin, scopes=["statistics:units"])
    api = _bearer(client, secret)
    assert api.get(_unit_url(cast.unit_a1)).status_code == 200
    assert api.get(_organiser_url(cast)).status_code == 404


def test_a_client_reads_no_pupil_no_support_and_no_investigation(cast, admin):
    client, secret = _client(cast, admin)
    api = _bearer(client, secret)
    for url in (
        reverse("api:pupil_list"),
        reverse("api:pupil_detail", args=[cast.pupil.pk]),
        reverse("api:pupil_adaptations", args=[cast.pupil.pk]),
        reverse("api:pupil_investigations", args=[cast.pupil.pk]),
    ):
        answer = api.get(url)
        assert answer.status_code == 401, url
        assert (cast.pupil.civic_number or "-") not in answer.content.decode()


def test_every_read_is_logged_with_the_client_named(cast, admin):
    client, secret = _client(cast, admin)
    _bearer(client, secret).get(_organiser_url(cast))
    entry = AccessLogEntry.objects.get(purpose="overviews.statistics.organiser")
    assert entry.actor_id is None
    assert entry.reasons == "INTEGRATION_CLIENT"
    assert "Rapportverktyget" in entry.path
    assert client.client_id in entry.path


def test_a_revoked_client_and_an_expired_token_read_nothing(cast, admin):
    client, secret = _client(cast, admin)
    api = _bearer(client, secret)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=61)):
        assert api.get(_unit_url(cast.unit_a1)).status_code == 401
    integration_client_revoke(actor=admin, pk=client.pk)
    assert api.get(_unit_url(cast.unit_a1)).status_code == 401
    assert _token_answer(client.client_id, secret).status_code == 401


def test_a_client_is_rate_limited_like_a_token(cast, admin, settings):
    settings.ELEVSTOD_API_REQUESTS_PER_MINUTE = 2
    client, secret = _client(cast, admin)
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False):
        api = _bearer(client, secret)
        answers = [api.get(_unit_url(cast.unit_a1)) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) == 55
