"""The one way to notify users. Rows are written in the caller's transaction (an outbox that the
delivery worker of the notifications issue will also send by e-mail and SMS)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from elevstod.audit.services import actor_label
from elevstod.organisation.models import Person

from .messages import MESSAGES
from .models import Notification


def notification_send(
    *,
    code: str,
    actor: Any,
    recipients: Iterable[Any],
    url: str,
    pupil: Person | None = None,
    params: dict[str, Any] | None = None,
) -> list[Notification]:
    """Notify each recipient once; never the actor themselves."""
    if code not in MESSAGES:
        raise ValueError(f"no message text for notification code {code!r}")
    if not connection.in_atomic_block:
        raise RuntimeError("notification_send must be called inside the service's transaction")
    actor_id = getattr(actor, "pk", None)
    seen: set[int] = set()
    rows = []
    label = getattr(getattr(actor, "person", None), "full_name", "") or actor_label(actor)
    full_params = {"actor": label, "pupil": pupil.full_name if pupil else "", **(params or {})}
    for user in recipients:
        if user.pk == actor_id or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                code=code,
                params=full_params,
                url=url,
                pupil_id=pupil.pk if pupil else None,
                actor_label=label,
            )
        )
    return Notification.objects.bulk_create(rows)


@transaction.atomic
def notification_mark_read(*, actor: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
