from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from elevstod.organisation.access import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the header needs: whether to offer pupil search (staff only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_is_staff": scope_for(user).is_staff}
