"""What monitoring and a load balancer ask: /healthz (the database, the queue, the static files
the pages link to), /readyz (also: no migration waiting) and /metrics (behind a token)."""

from __future__ import annotations

import re

from django.core.management import call_command

import pytest

from elevstod.accounts.models import User
from elevstod.notifications.models import Delivery
from elevstod.notifications.services import notification_send

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TOKEN = "metrics-token-for-the-test-0123456789"


@pytest.fixture
def production_static(settings, tmp_path):
    """Production's static storage (a manifest of hashed names) over an empty STATIC_ROOT."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = MANIFEST_STORAGES
    return settings


@pytest.mark.django_db
def test_the_health_check_answers_ok_when_database_queue_and_static_files_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "queue": "ok", "static": "ok"},
    }
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_without_collectstatic_the_health_check_fails_instead_of_every_page(
    client, production_static
):
    # given production's manifest storage and no collectstatic: every page would be a 500
    response = client.get("/healthz")
    # then the load balancer is told
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["checks"]["static"].startswith("fail: not collected: ")
    assert "elevstod/app.css" in response.json()["checks"]["static"]


@pytest.mark.django_db
def test_after_collectstatic_the_health_check_and_the_pages_answer(client, production_static):
    call_command("collectstatic", "--noinput", "-v0")
    assert client.get("/healthz").status_code == 200
    page = client.get("/konto/logga-in/").content.decode()
    assert re.search(r"/static/elevstod/app\.[0-9a-f]{12}\.css", page)


@pytest.mark.django_db
def test_an_unreachable_queue_fails_the_health_check(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"].startswith("fail: ")
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_the_database_queue_reports_how_many_tasks_wait(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    user = User.objects.create(username="mats", email="mats@skola.example")
    with django_capture_on_commit_callbacks(execute=True):  # the delivery task is queued
        notification_send(code="support.adaptation.created", actor=None, recipients=[user], url="/")
    assert client.get("/healthz").json()["checks"]["queue"] == "ok: 1 waiting"


@pytest.mark.django_db
def test_readiness_also_asks_that_every_migration_is_applied(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["migrations"] == "ok"


@pytest.mark.django_db
def test_readiness_fails_while_a_migration_waits(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "fail: 1 not applied"


def test_metrics_do_not_exist_without_a_token(client, settings, db):
    settings.ELEVSTOD_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize("header", ["", "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_metrics_refuse_a_missing_or_wrong_token(client, settings, db, header):
    settings.ELEVSTOD_METRICS_TOKEN = TOKEN
    response = client.get("/metrics", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert b"elevstod_" not in response.content


@pytest.mark.django_db
def test_metrics_count_requests_and_show_failed_deliveries_and_queue_depth(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ELEVSTOD_METRICS_TOKEN = TOKEN
    settings.TASKS = DATABASE_TASKS
    user = User.objects.create(username="mats", email="mats@skola.example")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(code="support.adaptation.created", actor=None, recipients=[user], url="/")
    assert Delivery.objects.update(state=Delivery.State.FAILED) == 1
    client.get("/healthz")
    # when
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    # then
    assert response.status_code == 200
    text = response.content.decode()
    assert re.search(
        r'^elevstod_http_requests_total\{method="GET",route="core:healthz",status="200"\} [1-9]',
        text,
        re.M,
    )
    assert 'elevstod_http_request_duration_seconds_count{route="core:healthz"}' in text
    assert "elevstod_deliveries_failed 1.0" in text
    assert "elevstod_deliveries_pending 0.0" in text
    assert "elevstod_task_queue_depth 1.0" in text
    assert "/healthz" not in text  # routes, never paths (ids would make series without end)


@pytest.mark.django_db
def test_each_answer_carries_its_request_id_and_a_proxys_id_is_kept(client):
    own = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", own)
    assert client.get("/healthz")["X-Request-ID"] != own
    given = client.get("/healthz", headers={"X-Request-ID": "lb-2f6c1a9e77"})
    assert given["X-Request-ID"] == "lb-2f6c1a9e77"
    odd = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", odd["X-Request-ID"])
