"""The audit app's own sections of the register extract: the change log and the access log."""

from __future__ import annotations

from typing import Any

from .models import AccessLogEntry, AuditEvent
from .registry import ExtractSection, register_extract_section, rows_of


def _change_log(pupil: Any) -> list[dict[str, Any]]:
    return rows_of(AuditEvent.objects.filter(pupil_id=pupil.pk).order_by("id"))


def _access_log(pupil: Any) -> list[dict[str, Any]]:
    return rows_of(AccessLogEntry.objects.filter(pupil_id=pupil.pk).order_by("id"))


register_extract_section(ExtractSection("change_log", 900, _change_log, (AuditEvent,)))
register_extract_section(ExtractSection("access_log", 910, _access_log, (AccessLogEntry,)))
