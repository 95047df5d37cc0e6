"""The daily digest: one message a day listing how many notifications a user got, for users who
chose it instead of one message per event. ``manage.py send_digests`` is idempotent: at most one
digest per user, channel and day (a unique constraint), later notifications wait for the next."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Delivery, Notification, NotificationPreference
from .services import channels_for, enqueue_delivery


def send_digests(*, day: dt.date) -> int:
    """Queue today's digest for every user with notifications waiting; returns how many."""
    users = (
        Notification.objects.filter(digest_pending=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    queued = sum(_digest_for(user_id, day) for user_id in list(users))
    if queued:
        transaction.on_commit(enqueue_delivery)
    return queued


def _digest_for(user_id: int, day: dt.date) -> int:
    try:
        with transaction.atomic():
            pending = Notification.objects.select_for_update().filter(
                recipient_id=user_id, digest_pending=True
            )
            ids = list(pending.values_list("pk", flat=True))
            if not ids:
                return 0
            channels = _channels(user_id)
            now = timezone.now()
            for channel in channels:
                Delivery.objects.create(
                    recipient_id=user_id,
                    channel=channel,
                    kind=Delivery.Kind.DIGEST,
                    digest_date=day,
                    digest_count=len(ids),
                    next_attempt_at=now,
                )
            Notification.objects.filter(pk__in=ids).update(digest_pending=False)
            return len(channels)
    except IntegrityError:
        return 0  # today's digest went out already: the rest waits for tomorrow's


def _channels(user_id: int) -> list[str]:
    from elevstod.accounts.models import User

    user = User.objects.select_related("person").get(pk=user_id)
    pref = NotificationPreference.objects.filter(user=user).first() or NotificationPreference()
    return channels_for(user, pref, code=None)
