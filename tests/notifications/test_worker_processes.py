"""A real worker process delivers what a committed transaction queued: with the database backend
(``manage.py db_worker``) and with RQ on Redis (``manage.py rqworker``).

Each test gets its own database that separate processes can share: an SQLite file in a temporary
directory, or a uniquely named PostgreSQL database when ``DATABASE_URL`` points at PostgreSQL.
Redis must answer on ``ELEVSTOD_TEST_REDIS_URL`` (default 127.0.0.1:6379, database 9): without it
the RQ test is skipped, or fails when ``ELEVSTOD_REQUIRE_REDIS=1`` (CI)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ELEVSTOD_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
pytestmark = pytest.mark.worker

QUEUE_A_NOTIFICATION = """
from django.db import transaction
from elevstod.accounts.models import User
from elevstod.notifications.services import notification_send
user = User.objects.create(username="mats", email="mats@skola.example")
with transaction.atomic():
    notification_send(code="support.adaptation.created", actor=None, recipients=[user],
                      url="/anpassningar/4711/")
"""
STATES = "from elevstod.notifications.models import Delivery; print(*Delivery.objects.values_list('state', flat=True))"  # noqa: E501


def _manage(env: dict[str, str], *args: str, timeout: int = 120) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"elevstod_worker_{secrets.token_hex(4)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(tmp_path: Path, database_url: str, backend: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "elevstod.config.settings.test",
        "DATABASE_URL": database_url,
        "ELEVSTOD_TASKS_BACKEND": backend,
        "ELEVSTOD_REDIS_URL": REDIS_URL,
        "ELEVSTOD_EMAIL_BACKEND": "file",
        "ELEVSTOD_EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    _manage(env, "migrate", "--noinput", "-v0")
    return env


def _mails(tmp_path: Path) -> list[str]:
    folder = tmp_path / "mail"
    return [p.read_text() for p in folder.iterdir()] if folder.exists() else []


def test_the_database_worker_process_delivers_what_a_transaction_queued(tmp_path, database_url):
    env = _env(tmp_path, database_url, "database")
    _manage(env, "shell", "--no-imports", "-c", QUEUE_A_NOTIFICATION)
    assert _manage(env, "shell", "--no-imports", "-c", STATES).split() == ["PENDING"]
    # when a real worker runs what is queued
    _manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload")
    # then
    assert _manage(env, "shell", "--no-imports", "-c", STATES).split() == ["SENT"]
    mails = _mails(tmp_path)
    assert len(mails) == 1
    assert "/anpassningar/4711/" in mails[0]


@pytest.fixture
def redis_queue() -> Iterator[None]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis does not answer at {REDIS_URL}: RQ worker test skipped"
        if os.environ.get("ELEVSTOD_REQUIRE_REDIS", "").strip() == "1":
            pytest.fail(f"{message}; ELEVSTOD_REQUIRE_REDIS=1 requires it", pytrace=False)
        pytest.skip(message)
    client.flushdb()
    yield
    client.flushdb()


def test_an_rq_worker_process_on_redis_delivers_what_a_transaction_queued(
    tmp_path, database_url, redis_queue
):
    env = _env(tmp_path, database_url, "rq")
    _manage(env, "shell", "--no-imports", "-c", QUEUE_A_NOTIFICATION)
    # when a real RQ worker runs the queue empty
    _manage(env, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")
    # then
    assert _manage(env, "shell", "--no-imports", "-c", STATES).split() == ["SENT"]
    assert len(_mails(tmp_path)) == 1
