"""The one way to notify users. Rows are written in the caller's transaction: the inbox row, and
an outbox ``Delivery`` per channel the recipient chose (or a mark for their daily digest). After
commit a background task is asked to deliver them (``delivery.py``); nothing is sent inside the
web request."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from elevstod.accounts.models import User
from elevstod.audit.services import actor_label
from elevstod.organisation.models import Person

from .contacts import mobile_of, mobiles_of
from .messages import MESSAGES, category_of
from .models import Channel, Delivery, Notification, NotificationPreference

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """One notification to write for each of its recipients (``notification_send_many``)."""

    code: str
    recipients: Iterable[Any]
    url: str
    pupil: Person | None = None
    params: dict[str, Any] | None = None


def notification_send(
    *,
    code: str,
    actor: User | None,
    recipients: Iterable[Any],
    url: str,
    pupil: Person | None = None,
    params: dict[str, Any] | None = None,
) -> list[Notification]:
    """Notify each recipient once; never the actor themselves."""
    outgoing = Outgoing(code, recipients, url, pupil, params)
    return notification_send_many(actor=actor, outgoing=[outgoing])


def notification_send_many(
    *, actor: User | None, outgoing: Iterable[Outgoing]
) -> list[Notification]:
    """Several notifications at once, as ``notification_send`` writes one (the reminders send
    hundreds per run): the recipients' preferences and numbers read once for all of them,
    the inbox rows and the deliveries written with one insert each."""
    outgoing = list(outgoing)
    unknown = [o.code for o in outgoing if o.code not in MESSAGES]
    if unknown:
        raise ValueError(f"no message text for notification code {unknown[0]!r}")
    if not connection.in_atomic_block:
        raise RuntimeError("notification_send must be called inside the service's transaction")
    actor_id = getattr(actor, "pk", None)
    each = [_users_of(o.recipients, actor_id) for o in outgoing]
    users = {pk: user for chosen in each for pk, user in chosen.items()}
    if not users:
        return []
    prefs = preferences_of(users)
    mobiles = mobiles_of(users.values())
    label = getattr(getattr(actor, "person", None), "full_name", "") or actor_label(actor)
    rows, channels = _rows(outgoing, each, label, prefs, mobiles)
    created = Notification.objects.bulk_create(rows)
    _queue_deliveries(created, channels)
    return created


def _rows(
    outgoing: list[Outgoing],
    each: list[dict[int, Any]],
    label: str,
    prefs: dict[int, NotificationPreference],
    mobiles: dict[int, str],
) -> tuple[list[Notification], list[list[str]]]:
    """The inbox rows, not yet saved, and beside each the channels it goes out on."""
    rows: list[Notification] = []
    channels: list[list[str]] = []
    for o, chosen in zip(outgoing, each, strict=True):
        pupil = o.pupil
        params = {"actor": label, "pupil": pupil.full_name if pupil else "", **(o.params or {})}
        for pk, user in chosen.items():
            channels.append(channels_for(user, prefs[pk], o.code, mobiles[pk]))
            rows.append(
                Notification(
                    recipient=user,
                    code=o.code,
                    params=params,
                    url=o.url,
                    pupil_id=pupil.pk if pupil else None,
                    actor_label=label,
                    digest_pending=bool(channels[-1]) and prefs[pk].digest,
                )
            )
    return rows, channels


def _users_of(recipients: Iterable[Any], actor_id: int | None) -> dict[int, Any]:
    """The active recipients, each once, without the actor."""
    users: dict[int, Any] = {}
    for user in recipients:
        if user.pk != actor_id and user.pk not in users and user.is_active:
            users[user.pk] = user
    return users


def preferences_of(users: dict[int, Any]) -> dict[int, NotificationPreference]:
    found = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=users)}
    return {pk: found.get(pk) or NotificationPreference(user_id=pk) for pk in users}


def channels_for(
    user: User, pref: NotificationPreference, code: str | None, mobile: str | None = None
) -> list[str]:
    """Where a notification of ``code`` goes besides the inbox, by the user's choices (a
    digest has no code). ``mobile``: the user's number, when the caller looked it up already."""
    if code is not None and category_of(code) in (pref.muted or []):
        return []
    channels: list[str] = []
    if pref.email and user.email:
        channels.append(Channel.EMAIL)
    if pref.sms and (mobile if mobile is not None else mobile_of(user)):
        channels.append(Channel.SMS)
    return channels


def _queue_deliveries(rows: list[Notification], channels: list[list[str]]) -> None:
    """A delivery on each of ``channels[i]`` for ``rows[i]`` (none for the digest's)."""
    now = timezone.now()
    deliveries = [
        Delivery(recipient_id=n.recipient_id, channel=ch, notification=n, next_attempt_at=now)
        for n, chosen in zip(rows, channels, strict=True)
        if not n.digest_pending
        for ch in chosen
    ]
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        transaction.on_commit(enqueue_delivery)


def enqueue_delivery() -> None:
    """Ask a worker to deliver what is due. If the queue is down the periodic
    ``deliver_notifications`` run picks the rows up: they are safe in the database."""
    from .tasks import deliver_notifications

    try:
        deliver_notifications.enqueue()
    except Exception:
        logger.exception("could not enqueue notification delivery; the periodic run will")


@transaction.atomic
def notification_mark_read(*, actor: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preference_update(
    *, actor: User, email: bool, sms: bool, digest: bool, muted: Iterable[str]
) -> NotificationPreference:
    """Save the actor's own choices; SMS only with a mobile number (see ``contacts.mobiles_of``)."""
    from .messages import CATEGORIES

    pref, _created = NotificationPreference.objects.get_or_create(user=actor)
    pref.email = email
    pref.sms = sms and bool(mobile_of(actor))
    pref.digest = digest
    pref.muted = sorted(set(muted) & set(CATEGORIES))
    pref.save()
    return pref
