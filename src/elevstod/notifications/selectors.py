from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from elevstod.accounts.models import User
from elevstod.core.actors import AnyUser
from elevstod.core.compiled import compiled_rows

from .models import Delivery, Notification, NotificationPreference


def notification_list(*, actor: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=actor)


def notification_unread_count(*, actor: AnyUser) -> int:
    """The header's count on every page: one statement compiled once (``core.compiled``)."""
    if not actor.is_authenticated:
        return 0
    rows = compiled_rows("notifications:unread", _unread, user=int(actor.pk))
    return int(rows[0]["n"]) if rows else 0


def _unread(*, user: int) -> QuerySet[Any]:
    unread = Notification.objects.filter(recipient_id=user, read_at__isnull=True)
    return unread.order_by().values("recipient_id").annotate(n=Count("pk"))


def preference_get(*, actor: User) -> NotificationPreference:
    found = NotificationPreference.objects.filter(user=actor).first()
    return found or NotificationPreference(user=actor)


def delivery_failed_list() -> QuerySet[Delivery]:
    """Deliveries that gave up, newest first: no content, only who, how and why."""
    return (
        Delivery.objects.filter(state=Delivery.State.FAILED)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


def may_see_deliveries(actor: AnyUser) -> bool:
    """Administrators (an active ADMINISTRATOR duty) see the failed deliveries."""
    from elevstod.organisation.models import Duty

    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return False
    return Duty.objects.active().filter(person_id=person_id, role=Duty.Role.ADMINISTRATOR).exists()
