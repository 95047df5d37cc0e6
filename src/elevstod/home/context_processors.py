from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from elevstod.organisation.access import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the header needs: pupil search for staff, and the unread count of the inbox."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from elevstod.notifications.selectors import notification_unread_count

    return {
        "nav_is_staff": scope_for(user).is_staff,
        "nav_unread": notification_unread_count(actor=user),
    }
