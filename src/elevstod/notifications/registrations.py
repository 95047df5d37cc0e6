"""What the notifications app contributes to others: the notifications about a pupil, as a
section of the pupil's register extract."""

from __future__ import annotations

from typing import Any

from elevstod.audit.registry import ExtractSection, register_extract_section, rows_of

from .models import Notification


def _about_the_pupil(pupil: Any) -> list[dict[str, Any]]:
    return rows_of(Notification.objects.filter(pupil_id=pupil.pk))


register_extract_section(
    ExtractSection("notifications_about_the_pupil", 800, _about_the_pupil, (Notification,))
)
