"""Counting failed attempts (passwords, codes) per account and per address, in the database so
that every app process sees the same counts. A key is blocked once it has ``limit`` failures
inside the window; the window starts at the first failure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from .models import AttemptCounter


@dataclass(frozen=True)
class Keys:
    account: str
    address: str

    def limits(self) -> Iterable[tuple[str, int]]:
        yield self.account, settings.ELEVSTOD_THROTTLE_ACCOUNT_ATTEMPTS
        yield self.address, settings.ELEVSTOD_THROTTLE_ADDRESS_ATTEMPTS


def client_address(request: HttpRequest) -> str:
    header = settings.ELEVSTOD_CLIENT_ADDRESS_HEADER
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def attempt_keys(request: HttpRequest, *, kind: str, account: str) -> Keys:
    return Keys(
        account=f"{kind}:account:{account.strip().casefold()}"[:300],
        address=f"{kind}:address:{client_address(request)}",
    )


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ELEVSTOD_THROTTLE_MINUTES)


def attempts_blocked(keys: Keys) -> bool:
    since = timezone.now() - _window()
    counters = dict(
        AttemptCounter.objects.filter(
            key__in=[keys.account, keys.address], window_started__gt=since
        ).values_list("key", "failures")
    )
    return any(counters.get(key, 0) >= limit for key, limit in keys.limits())


@transaction.atomic
def attempt_failed(keys: Keys) -> None:
    now = timezone.now()
    for key, _limit in keys.limits():
        counter, created = AttemptCounter.objects.select_for_update().get_or_create(
            key=key, defaults={"failures": 1, "window_started": now}
        )
        if created:
            continue
        if counter.window_started <= now - _window():
            AttemptCounter.objects.filter(pk=counter.pk).update(failures=1, window_started=now)
        else:
            AttemptCounter.objects.filter(pk=counter.pk).update(failures=F("failures") + 1)


def attempts_cleared(keys: Keys) -> None:
    """After a success: the account starts afresh (the address keeps its count)."""
    AttemptCounter.objects.filter(key=keys.account).delete()
