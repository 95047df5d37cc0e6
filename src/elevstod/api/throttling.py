"""A rate limit per token (and per integration client), counted in the database so every
process of the app shares it.

A fixed window of a minute: the first request of a window inserts its row, the others add one
with an ``UPDATE … SET count = count + 1`` (atomic in the database). Over the limit, the
request gets 429 with ``Retry-After``: the seconds left of the window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from elevstod.accounts.models import PersonalAccessToken

from .models import IntegrationToken, RequestWindow

WINDOW = dt.timedelta(minutes=1)
DEFAULT_PER_MINUTE = 120


def per_minute() -> int:
    return int(getattr(settings, "ELEVSTOD_API_REQUESTS_PER_MINUTE", DEFAULT_PER_MINUTE))


def _count(token_id: int, start: dt.datetime) -> int:
    rows = RequestWindow.objects.filter(token_id=token_id, window_start=start)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RequestWindow.objects.create(token_id=token_id, window_start=start, count=1)
            RequestWindow.objects.filter(window_start__lt=start - WINDOW * 60).delete()
            return 1
        except IntegrityError:  # another process opened the window first
            rows.update(count=F("count") + 1)
    return int(rows.values_list("count", flat=True).first() or 0)


def _caller(auth: Any) -> int | None:
    """Whose window a request counts in: a token's id, or an integration client's id negated
    (all the tokens of one client share its limit)."""
    if isinstance(auth, PersonalAccessToken):
        return int(auth.pk)
    if isinstance(auth, IntegrationToken):
        return -int(auth.client_id)
    return None


class TokenRateThrottle(BaseThrottle):
    def __init__(self) -> None:
        self.retry_after: float | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        caller = _caller(request.auth)
        if caller is None:
            return True  # not authenticated: refused by the permission, not counted
        now = timezone.now()
        start = now.replace(second=0, microsecond=0)
        if _count(caller, start) <= per_minute():
            return True
        self.retry_after = max(1.0, (start + WINDOW - now).total_seconds())
        return False

    def wait(self) -> float | None:
        return self.retry_after
