from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Delivery, Notification, NotificationPreference


def notification_list(*, actor: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=actor)


def notification_unread_count(*, actor: Any) -> int:
    if not getattr(actor, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()


def preference_get(*, actor: Any) -> NotificationPreference:
    found = NotificationPreference.objects.filter(user=actor).first()
    return found or NotificationPreference(user=actor)


def delivery_failed_list() -> QuerySet[Delivery]:
    """Deliveries that gave up, newest first: no content, only who, how and why."""
    return (
        Delivery.objects.filter(state=Delivery.State.FAILED)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


def may_see_deliveries(actor: Any) -> bool:
    """Administrators (an active ADMINISTRATOR duty) see the failed deliveries."""
    from elevstod.organisation.models import Duty

    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return False
    return Duty.objects.active().filter(person_id=person_id, role=Duty.Role.ADMINISTRATOR).exists()
