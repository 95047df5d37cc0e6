"""The administrator's page of system integrations: only the organiser's administrator, after
the step-up; a new client's secret shown once and never again; revoking one."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.accounts.models import FederationDevice
from elevstod.api.models import IntegrationClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, cast):
    FederationDevice.objects.get_or_create(
        user=cast.admin, defaults={"name": "idp", "confirmed": True}
    )
    client.force_login(cast.admin)
    return client


def _create(client, cast, **extra):
    data = {
        "organiser": cast.organiser_a.pk,
        "name": "Rapportverktyget",
        "scopes": ["statistics:organiser"],
        "units": [cast.unit_a1.pk],
        **extra,
    }
    return client.post(reverse("integrations:client_create"), data)


def test_the_administrator_creates_a_client_and_sees_its_secret_once(admin_client, cast):
    answer = _create(admin_client, cast)
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    client = IntegrationClient.objects.get()
    html = answer.content.decode()
    assert client.client_id in html
    page = admin_client.get(reverse("integrations:clients")).content.decode()
    assert "Rapportverktyget" in page
    secret = html.split('id="client-secret" type="text" readonly value="')[1].split('"')[0]
    assert secret
    assert secret not in page


def test_a_client_without_units_is_refused_with_a_message_and_nothing_written(admin_client, cast):
    answer = _create(admin_client, cast, units=[])
    assert answer.status_code == 302
    assert not IntegrationClient.objects.exists()
    page = admin_client.get(reverse("integrations:clients")).content.decode()
    assert "skolenhet" in page


def test_a_malformed_unit_is_a_clear_bad_request(admin_client, cast):
    assert _create(admin_client, cast, units=["x"]).status_code == 400


def test_the_administrator_revokes_a_client(admin_client, cast):
    _create(admin_client, cast)
    client = IntegrationClient.objects.get()
    answer = admin_client.post(reverse("integrations:client_revoke"), {"pk": client.pk})
    assert answer.status_code == 302
    client.refresh_from_db()
    assert client.revoked_at is not None


@pytest.mark.parametrize("name", ["principal", "analyst", "teacher", "foreign_principal"])
def test_nobody_else_opens_the_page_or_creates_a_client(client, cast, name):
    client.force_login(cast.user(name))
    assert client.get(reverse("integrations:clients")).status_code == 404
    assert _create(client, cast).status_code == 404
    assert not IntegrationClient.objects.exists()


@pytest.mark.real_step_up
def test_the_page_asks_for_the_step_up_first(client, cast):
    client.force_login(cast.admin)
    answer = client.get(reverse("integrations:clients"))
    assert answer.status_code == 302
    assert "/konto/verifiera/" in answer["Location"]
    assert _create(client, cast).status_code == 302
    assert not IntegrationClient.objects.exists()


def test_the_same_form_sent_twice_creates_one_client_and_says_so(admin_client, cast):
    token = "form-once-1"
    first = _create(admin_client, cast, token=token)
    second = _create(admin_client, cast, token=token)
    assert first.status_code == 200
    assert second.status_code == 302
    assert IntegrationClient.objects.count() == 1
    page = admin_client.get(reverse("integrations:clients")).content.decode()
    assert "redan skapats" in page
