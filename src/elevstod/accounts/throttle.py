"""Counting failed attempts (passwords, codes) in the database so that every app process sees
the same counts. Three counters per attempt: the account from this address (a low limit), the
address (a high one: a whole school may sit behind one address), and the account from any
address (a ceiling against guessing spread over many addresses). A key is blocked once it has
``limit`` failures inside the window; the window starts at the first failure.

Account names are keyed as the user model normalises them (Unicode NFKC) and case-folded, so a
look-alike spelling (full-width letters, ligatures) counts against the same account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from .models import AttemptCounter


@dataclass(frozen=True)
class Keys:
    pair: str  # this account from this address
    address: str
    account: str  # this account from any address
    account_limit: int

    def limits(self) -> Iterable[tuple[str, int]]:
        yield self.pair, settings.ELEVSTOD_THROTTLE_ACCOUNT_ATTEMPTS
        yield self.address, settings.ELEVSTOD_THROTTLE_ADDRESS_ATTEMPTS
        yield self.account, self.account_limit

    @property
    def all(self) -> list[str]:
        return [self.pair, self.address, self.account]


def account_normalised(account: str) -> str:
    """The account name as the user model normalises it (NFKC), case-folded, normalised again
    (case folding can leave a string that NFKC changes) and trimmed."""
    normalise = get_user_model().normalize_username
    return str(normalise(str(normalise(account.strip())).casefold()))


def client_address(request: HttpRequest) -> str:
    header = settings.ELEVSTOD_CLIENT_ADDRESS_HEADER
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def attempt_keys(request: HttpRequest, *, kind: str, account: str) -> Keys:
    """The counters of one attempt. Codes (second factors) are asked of a user who already
    gave the password, so their account counts alike from every address."""
    name, address = account_normalised(account)[:150], client_address(request)[:100]
    strict = kind == "code"
    return Keys(
        pair=f"{kind}:pair:{address}|{name}",
        address=f"{kind}:address:{address}",
        account=f"{kind}:account:{name}",
        account_limit=settings.ELEVSTOD_THROTTLE_ACCOUNT_ATTEMPTS
        if strict
        else settings.ELEVSTOD_THROTTLE_ACCOUNT_ANY_ADDRESS_ATTEMPTS,
    )


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ELEVSTOD_THROTTLE_MINUTES)


def attempts_blocked(keys: Keys) -> bool:
    since = timezone.now() - _window()
    counters = dict(
        AttemptCounter.objects.filter(key__in=keys.all, window_started__gt=since).values_list(
            "key", "failures"
        )
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
    AttemptCounter.objects.filter(key__in=[keys.pair, keys.account]).delete()
