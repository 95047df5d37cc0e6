"""Scale-out: two app servers (each ``scripts/serve.sh``: gunicorn and an RQ worker) against one
PostgreSQL and one Redis, as behind a load balancer. Nothing one server needs is in another's
memory: a login and a step-up on one are valid on the other, a throttle counted on one holds on
the other, and a notification is delivered exactly once however many workers get the nudge.

Needs PostgreSQL (``DATABASE_URL``) and Redis (``ELEVSTOD_TEST_REDIS_URL``, default database 9);
skipped without them, or failed without Redis when ``ELEVSTOD_REQUIRE_REDIS=1`` (CI)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.servers import Client, Served, fresh_database, manage, production_env

REDIS_URL = os.environ.get("ELEVSTOD_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
PASSWORD = "ett-långt-lösenord-för-testet"
BACKUP_CODE = "58213947"
LOGIN = "/konto/logga-in/"
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="scale-out is on PostgreSQL (DATABASE_URL=postgres://…)",
    ),
]

PEOPLE = f"""
import io
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from elevstod.accounts.models import User
for username, role in (("rektor", "PRINCIPAL"), ("admin", "ADMINISTRATOR")):
    call_command("organiser_setup", "--organiser", "Ekby kommun", "--unit", "Ekskolan",
                 "--unit-code", "12345678", "--username", username, "--given-name", "Rut",
                 "--family-name", username, "--role", role, "--email", username + "@skola.example",
                 stdout=io.StringIO())
    user = User.objects.get(username=username)
    user.set_password({PASSWORD!r})
    user.save()
device = StaticDevice.objects.create(user=User.objects.get(username="rektor"), name="backup")
StaticToken.objects.create(device=device, token={BACKUP_CODE!r})
print(device.pk, User.objects.get(username="rektor").person.duties.get().unit_id)
"""
NOTIFY_AND_NUDGE_FIVE_TIMES = """
from django.db import transaction
from elevstod.accounts.models import User
from elevstod.notifications.services import notification_send
from elevstod.notifications.tasks import deliver_notifications
with transaction.atomic():
    notification_send(code="support.adaptation.created", actor=None,
                      recipients=[User.objects.get(username="admin")], url="/anpassningar/4711/")
for _ in range(5):
    deliver_notifications.enqueue()
"""
DELIVERIES = (
    "from elevstod.notifications.models import Delivery;"
    "print(*Delivery.objects.values_list('state', flat=True))"
)


@pytest.fixture(scope="module")
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis does not answer at {REDIS_URL}: scale-out test skipped"
        if os.environ.get("ELEVSTOD_REQUIRE_REDIS", "").strip() == "1":
            pytest.fail(f"{message}; ELEVSTOD_REQUIRE_REDIS=1 requires it", pytrace=False)
        pytest.skip(message)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, redis_db):
    tmp: Path = tmp_path_factory.mktemp("scale")
    with fresh_database(tmp) as database_url:
        env = production_env(
            tmp,
            database_url,
            ELEVSTOD_TASKS_BACKEND="rq",
            ELEVSTOD_REDIS_URL=REDIS_URL,
            ELEVSTOD_TASK_WORKERS="1",
            ELEVSTOD_SERVE_PERIODIC="0",  # only the two RQ workers deliver
        )
        servers = [Served(env, tmp / "a.log")]
        try:
            servers[0].wait_healthy()  # a migrated the database
            device_pk, unit_pk = manage(env, "shell", "--no-imports", "-c", PEOPLE).stdout.split()
            servers.append(Served(env, tmp / "b.log"))
            servers[1].wait_healthy()
            yield servers[0].url, servers[1].url, env, device_pk, unit_pk, tmp
        finally:
            for server in servers:
                server.stop()


def test_a_login_and_step_up_on_one_server_are_valid_on_the_other(two_servers):
    a, b, _env, device_pk, unit_pk, _tmp = two_servers
    support_page = f"/skolenheter/{unit_pk}/anpassningsbibliotek/"
    browser = Client()
    # given a login on server a
    logged_in = browser.post_form(a, LOGIN, {"username": "rektor", "password": PASSWORD})
    assert logged_in.status == 302
    # then server b knows the session, and asks for the second factor before support pages
    assert browser.get(b, "/").status == 200
    before = browser.get(b, support_page)
    assert before.status == 302
    assert before.header("Location").startswith("/konto/verifiera/")
    # when the user steps up on server a
    stepped_up = browser.post_form(
        a,
        f"/konto/verifiera/?next={support_page}",
        {"device": f"backup:{device_pk}", "code": BACKUP_CODE, "next": support_page},
    )
    assert stepped_up.status == 302
    assert stepped_up.header("Location") == support_page
    # then server b lets them in
    assert browser.get(b, support_page).status == 200
    # and a stranger without the session cookie gets the login page on either
    assert Client().get(b, support_page).status == 302


def test_a_throttle_counted_on_one_server_holds_on_the_other(two_servers):
    a, b, *_ = two_servers
    guesser = Client()
    for _ in range(5):  # ELEVSTOD_THROTTLE_ACCOUNT_ATTEMPTS from one address
        wrong = guesser.post_form(a, LOGIN, {"username": "admin", "password": "fel-lösenord"})
        assert wrong.status == 200
    # when the right password is tried on the other server
    right = guesser.post_form(b, LOGIN, {"username": "admin", "password": PASSWORD})
    # then it is refused there too
    assert right.status == 429


def test_a_notification_is_delivered_exactly_once_by_two_workers(two_servers, redis_db):
    *_, env, _device, _unit, tmp = two_servers
    # given one notification, and five nudges in the queue for the two workers
    manage(env, "shell", "--no-imports", "-c", NOTIFY_AND_NUDGE_FIVE_TIMES)
    # when the workers have run the queue empty
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if redis_db.llen("rq:queue:default") == 0 and not _running(redis_db):
            states = manage(env, "shell", "--no-imports", "-c", DELIVERIES).stdout.split()
            if states == ["SENT"]:
                break
        time.sleep(0.5)
    # then
    assert manage(env, "shell", "--no-imports", "-c", DELIVERIES).stdout.split() == ["SENT"]
    mails = [p.read_text() for p in (tmp / "mail").iterdir()]
    assert sum(mail.count("/anpassningar/4711/") for mail in mails) == 1


def _running(redis_db) -> bool:
    return any(redis_db.zcard(key) for key in redis_db.scan_iter("rq:wip:*"))
