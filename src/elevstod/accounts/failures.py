"""Failed and refused logins in the audit log, aggregated: anonymous requests must not be able
to write one audit row each.

Per kind (the audit code), account name and client address, the first failure of a window
writes its audit row at once; later ones only count in ``FailureTally``. When the window is
over, one more row, ``accounts.session.failures_counted``, tells how many there were in all;
it is written at the next failure for the same account and address, or by
``failure_tallies_close`` (run by ``manage.py audit_checkpoint``, see docs/operations.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from elevstod.audit.services import audit_record

from .models import FailureTally

COUNTED = "accounts.session.failures_counted"


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ELEVSTOD_THROTTLE_MINUTES)


@transaction.atomic
def failure_record(*, code: str, account: str, address: str, data: dict[str, Any]) -> None:
    """Count one failure; write an audit row only when it opens a window."""
    now, account, address = timezone.now(), account[:150], address[:100]
    same = FailureTally.objects.filter(code=code, account=account, address=address)
    tally = same.select_for_update().first()
    if tally is not None and tally.window_started > now - _window():
        same.update(count=F("count") + 1, last_at=now)
        return
    if tally is not None:
        _close(tally)
    try:
        with transaction.atomic():
            FailureTally.objects.create(
                code=code,
                account=account,
                address=address,
                window_started=now,
                last_at=now,
                data=data,
            )
    except IntegrityError:  # another request opened the same window a moment ago
        same.update(count=F("count") + 1, last_at=now)
        return
    audit_record(code=code, actor=None, data={**data, "address": address, "failures": 1})


def _close(tally: FailureTally) -> None:
    """The closing row of a window (none when the opening row already told everything)."""
    if tally.count > 1:
        audit_record(
            code=COUNTED,
            actor=None,
            data={
                **tally.data,
                "kind": tally.code,
                "address": tally.address,
                "failures": tally.count,
                "from": tally.window_started.isoformat(),
                "to": tally.last_at.isoformat(),
            },
        )
    tally.delete()


@transaction.atomic
def failure_tallies_close() -> int:
    """Close every window that is over; returns how many were closed."""
    over = FailureTally.objects.select_for_update().filter(
        window_started__lte=timezone.now() - _window()
    )
    closed = 0
    for tally in over.order_by("pk"):
        _close(tally)
        closed += 1
    return closed
