"""The outbox under faults: a failing mail server, a worker killed mid-delivery, two workers at
once. Nothing is lost and nothing is sent twice."""

from __future__ import annotations

import datetime as dt
import threading

from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

import pytest

from elevstod.accounts.models import User
from elevstod.notifications.delivery import claim, deliver_due, send_claimed
from elevstod.notifications.models import Delivery, Notification
from tests.builders import new_adaptation

from .fake_backends import DyingBackend, FlakyBackend, Killed
from .helpers import sent_to


@pytest.fixture
def one_delivery(mail_school, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    new_adaptation(mail_school)
    Delivery.objects.exclude(recipient=mail_school.mentor).delete()
    return Delivery.objects.get()


@pytest.mark.django_db
def test_a_failing_mail_server_is_retried_with_growing_waits_then_succeeds(
    one_delivery, settings, time_machine
):
    settings.EMAIL_BACKEND = "tests.notifications.fake_backends.FlakyBackend"
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    FlakyBackend.failures = 2
    start = timezone.now()
    # first attempt fails: next try in 60 s
    assert deliver_due().retried == 1
    d = Delivery.objects.get()
    assert (d.state, d.attempts) == ("PENDING", 1)
    assert d.next_attempt_at == start + dt.timedelta(seconds=60)
    assert "SMTPServerDisconnected" in d.last_error
    assert deliver_due().retried == 0  # not yet due
    # second attempt fails: the wait doubles
    time_machine.move_to(start + dt.timedelta(seconds=60), tick=False)
    assert deliver_due().retried == 1
    assert Delivery.objects.get().next_attempt_at == start + dt.timedelta(seconds=60 + 120)
    # third attempt works
    time_machine.move_to(start + dt.timedelta(seconds=180), tick=False)
    assert deliver_due().sent == 1
    d = Delivery.objects.get()
    assert (d.state, d.attempts, d.last_error) == ("SENT", 3, "")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_after_the_last_attempt_the_delivery_fails_and_administrators_see_it(
    one_delivery, settings, time_machine, client
):
    settings.EMAIL_BACKEND = "tests.notifications.fake_backends.FlakyBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    FlakyBackend.failures = 5
    deliver_due()
    time_machine.shift(dt.timedelta(hours=1))
    assert deliver_due().failed == 1
    assert Delivery.objects.get().state == "FAILED"
    # the administrator's page lists it (no content), the teacher may not see it
    school = one_delivery.recipient
    admin = User.objects.get(username="ada")
    client.force_login(admin)
    page = client.get("/inkorg/misslyckade-utskick/").content.decode()
    assert school.username in page
    assert "SMTPServerDisconnected" in page
    client.force_login(User.objects.get(username="tove"))
    assert client.get("/inkorg/misslyckade-utskick/").status_code == 404
    # and the administrator can send it again
    client.force_login(admin)
    client.post("/inkorg/misslyckade-utskick/", {"id": one_delivery.pk})
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_due().sent == 1


@pytest.mark.django_db
def test_the_report_command_lists_failed_deliveries(one_delivery, capsys):
    Delivery.objects.update(state="FAILED", last_error="SMTPRecipientsRefused")
    with pytest.raises(SystemExit):
        call_command("deliveries_report", "--check")
    out = capsys.readouterr().out
    assert "SMTPRecipientsRefused" in out
    assert "1 failed deliveries" in out


@pytest.mark.django_db
def test_a_worker_killed_after_claiming_is_taken_over_when_its_lease_ends(
    one_delivery, settings, time_machine
):
    settings.NOTIFICATIONS_LEASE_SECONDS = 300
    # given: worker A claims the delivery and dies before sending
    token_a = claim(one_delivery.pk)
    assert token_a is not None
    # then: worker B leaves it alone while the lease runs
    assert deliver_due().sent == 0
    time_machine.shift(dt.timedelta(seconds=299))
    assert deliver_due().sent == 0
    # when the lease has ended, worker B claims it again and sends it
    time_machine.shift(dt.timedelta(seconds=2))
    assert deliver_due().sent == 1
    # and worker A, waking up late, sends nothing
    assert send_claimed(one_delivery.pk, token_a) == "lost"
    assert len(sent_to("mats@skola.example")) == 1
    assert Delivery.objects.get().state == "SENT"


@pytest.mark.django_db
def test_a_worker_dying_in_the_middle_of_sending_leaves_it_for_another_worker(
    one_delivery, settings, time_machine
):
    settings.EMAIL_BACKEND = "tests.notifications.fake_backends.DyingBackend"
    with pytest.raises(Killed):
        deliver_due()
    d = Delivery.objects.get()
    assert d.state == "SENDING"  # the SENT mark was rolled back with the failed send
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_due().sent == 0  # still leased
    time_machine.shift(dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS + 1))
    assert deliver_due().sent == 1
    assert deliver_due().sent == 0
    assert len(mail.outbox) == 1
    assert DyingBackend is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent workers need PostgreSQL (SQLite has one writer at a time); CI runs it",
)
def test_four_workers_at_once_send_every_message_exactly_once():
    users = [User.objects.create(username=f"u{i}", email=f"u{i}@skola.example") for i in range(8)]
    now = timezone.now()
    for i in range(40):
        n = Notification.objects.create(
            recipient=users[i % 8], code="support.adaptation.created", url=f"/x/{i}/"
        )
        Delivery.objects.create(
            recipient=users[i % 8], channel="EMAIL", notification=n, next_attempt_at=now
        )
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(3):
                deliver_due(limit=15)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    ids = sorted(int(m.extra_headers["X-Elevstod-Delivery"]) for m in mail.outbox)
    assert ids == sorted(Delivery.objects.values_list("pk", flat=True))
    assert set(Delivery.objects.values_list("state", flat=True)) == {"SENT"}
