"""What the notifications app contributes to others: the notifications about a pupil, as a
section of the pupil's register extract, and the deliveries waiting and failed, as metrics."""

from __future__ import annotations

from typing import Any

from elevstod.audit.registry import ExtractSection, register_extract_section, rows_of
from elevstod.core.metrics import register_gauge

from .models import Delivery, Notification


def _about_the_pupil(pupil: Any) -> list[dict[str, Any]]:
    return rows_of(Notification.objects.filter(pupil_id=pupil.pk))


register_extract_section(
    ExtractSection("notifications_about_the_pupil", 800, _about_the_pupil, (Notification,))
)


def _deliveries_in(state: str) -> float:
    return float(Delivery.objects.filter(state=state).count())


register_gauge(
    "elevstod_deliveries_failed",
    "E-mail and SMS deliveries that gave up after their last attempt (FAILED).",
    lambda: _deliveries_in(Delivery.State.FAILED),
)
register_gauge(
    "elevstod_deliveries_pending",
    "E-mail and SMS deliveries waiting to be sent (PENDING).",
    lambda: _deliveries_in(Delivery.State.PENDING),
)
