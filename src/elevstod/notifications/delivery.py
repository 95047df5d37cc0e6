"""The outbox worker: claim a due ``Delivery`` with a compare-and-set UPDATE, send it, record it.

- Claim: ``UPDATE … SET state=SENDING, claim_token=T, lease_until=now+lease WHERE pk=… AND
  (state=PENDING AND next_attempt_at<=now OR state=SENDING AND lease_until<now)``. Of two
  workers exactly one gets the row; a row whose worker died is claimed again once its lease ends.
- Send: in one transaction, ``UPDATE … SET state=SENT WHERE pk=… AND claim_token=T`` and then the
  send itself. If the send fails or the process dies, the transaction rolls back (the row stays
  claimed until the lease ends); if our lease was taken over meanwhile, the UPDATE matches no row
  and nothing is sent. So a message goes out once, barring a crash between the mail server's
  acceptance and the commit.
- Failure: back to PENDING with exponential back-off, FAILED after the last attempt (listed for
  administrators: the failed deliveries page and ``manage.py deliveries_report``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from . import messages as texts
from .contacts import mobile_of
from .models import Channel, Delivery
from .sms import get_sms_backend

logger = logging.getLogger(__name__)
MAX_BACKOFF = dt.timedelta(hours=6)


class Undeliverable(Exception):
    """The recipient has no address on this channel any more: retrying will not help."""


@dataclass
class DeliveryRun:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _due(now: dt.datetime) -> Q:
    return Q(state=Delivery.State.PENDING, next_attempt_at__lte=now) | Q(
        state=Delivery.State.SENDING, lease_until__lt=now
    )


def deliver_due(*, limit: int = 200) -> DeliveryRun:
    """Deliver what is due now, oldest first. Safe to run in any number of workers at once."""
    run = DeliveryRun()
    now = timezone.now()
    ids = list(
        Delivery.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        token = claim(pk)
        if token is None:
            continue  # another worker has it
        outcome = send_claimed(pk, token)
        if outcome != "lost":
            setattr(run, outcome, getattr(run, outcome) + 1)
    return run


def claim(pk: int) -> str | None:
    """Take the delivery for this worker (compare-and-set); its token, or None if taken."""
    now = timezone.now()
    token = secrets.token_hex(16)
    claimed = (
        Delivery.objects.filter(pk=pk)
        .filter(_due(now))
        .update(
            state=Delivery.State.SENDING,
            claim_token=token,
            lease_until=now + dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    return token if claimed else None


def send_claimed(pk: int, token: str) -> str:
    """Send a delivery this worker claimed: 'sent', 'retried', 'failed', or 'lost' (the lease
    ended and another worker took the row over)."""
    delivery = Delivery.objects.select_related("recipient__person", "notification").get(pk=pk)
    try:
        with transaction.atomic():
            marked = Delivery.objects.filter(
                pk=pk, claim_token=token, state=Delivery.State.SENDING
            ).update(state=Delivery.State.SENT, sent_at=timezone.now(), last_error="")
            if not marked:
                return "lost"
            _send(delivery)
    except Exception as exc:
        return _record_failure(delivery, token, exc)
    return "sent"


def _record_failure(delivery: Delivery, token: str, exc: Exception) -> str:
    attempts = Delivery.objects.filter(pk=delivery.pk).values_list("attempts", flat=True)[0]
    give_up = isinstance(exc, Undeliverable) or attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    now = timezone.now()
    backoff = min(
        dt.timedelta(seconds=settings.NOTIFICATIONS_RETRY_SECONDS * 2 ** max(attempts - 1, 0)),
        MAX_BACKOFF,
    )
    Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(
        state=Delivery.State.FAILED if give_up else Delivery.State.PENDING,
        next_attempt_at=now if give_up else now + backoff,
        claim_token="",
        lease_until=None,
        last_error=f"{type(exc).__name__}: {exc}"[:1000],
    )
    logger.warning("delivery %s attempt %s failed: %s", delivery.pk, attempts, exc)
    return "failed" if give_up else "retried"


def retry_delivery(*, pk: int) -> bool:
    """Put a FAILED delivery back in the queue (an administrator's retry)."""
    return bool(
        Delivery.objects.filter(pk=pk, state=Delivery.State.FAILED).update(
            state=Delivery.State.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
    )


def absolute_url(path: str) -> str:
    return f"{settings.ELEVSTOD_BASE_URL}{path}"


def message_of(delivery: Delivery) -> tuple[str, str]:
    """Subject and body, in the site's language: that something happened and where, no more."""
    with translation.override(settings.LANGUAGE_CODE):
        if delivery.kind == Delivery.Kind.DIGEST:
            params: dict[str, Any] = {
                "count": delivery.digest_count,
                "url": absolute_url(reverse("notifications:inbox")),
            }
            body = texts.DIGEST_BODY if delivery.channel == Channel.EMAIL else texts.DIGEST_SMS_BODY
            return str(texts.DIGEST_SUBJECT), str(body) % params
        assert delivery.notification is not None
        params = {"url": absolute_url(delivery.notification.url)}
        body = texts.EMAIL_BODY if delivery.channel == Channel.EMAIL else texts.SMS_BODY
        return str(texts.EMAIL_SUBJECT), str(body) % params


def _send(delivery: Delivery) -> None:
    user = delivery.recipient
    subject, body = message_of(delivery)
    if delivery.channel == Channel.EMAIL:
        if not user.email:
            raise Undeliverable("no e-mail address")
        EmailMessage(
            subject, body, to=[user.email], headers={"X-Elevstod-Delivery": str(delivery.pk)}
        ).send(fail_silently=False)
    else:
        number = mobile_of(user)
        if not number:
            raise Undeliverable("no mobile number")
        get_sms_backend().send(to=number, text=body)
