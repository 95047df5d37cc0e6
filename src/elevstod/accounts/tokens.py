"""Personal access tokens for the REST API: created after the step-up, stored as a digest,
shown once, revocable. Each write records its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_otp import devices_for_user

from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.organisation.access import scope_for

from .models import PersonalAccessToken, User

TOKEN_PREFIX = "elv_"
MAX_DAYS = 365
EXPIRY_CHOICES = (7, 30, 90, 180, 365)  # days, offered on the security page
NAME_MAX = 100
# last_used_at is written at most this often per token, not on every request
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_digest(token: str) -> str:
    """The stored form of a token. Tokens are 256 random bits, so a plain hash suffices."""
    return hashlib.sha256(token.encode()).hexdigest()


def has_second_factor(user: User) -> bool:
    """A confirmed second factor of any kind (own device or a trusted federated login)."""
    return any(True for _device in devices_for_user(user, confirmed=True))


def tokens_of(user: User) -> QuerySet[PersonalAccessToken]:
    return PersonalAccessToken.objects.filter(user=user)


def _check(user: User, name: str, days: int, scopes: Iterable[str]) -> list[str]:
    if not scope_for(user).has_duty:
        raise DomainError(_("Only staff can create access tokens."), code="forbidden")
    if not has_second_factor(user):
        raise DomainError(
            _("Set up a second factor before you create an access token."), code="no_factor"
        )
    if not name.strip():
        raise DomainError(_("Name the token, e.g. after the app that uses it."), code="invalid")
    if len(name.strip()) > NAME_MAX:
        raise DomainError(_("Write at most 100 characters."), code="invalid")
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(_("A token is valid for at most a year."), code="invalid")
    chosen = sorted(set(scopes) & set(PersonalAccessToken.Scope.values))
    if PersonalAccessToken.Scope.READ not in chosen:
        raise DomainError(_("A token can always read: choose at least read."), code="invalid")
    return chosen


@transaction.atomic
def token_create(
    *, user: User, name: str, days: int, scopes: Iterable[str]
) -> tuple[PersonalAccessToken, str]:
    """A new token of ``user``: the row, and the token itself, which is never shown again.
    Refused for a user without a second factor. Whether the user stepped up in this session is
    the view's check."""
    chosen = _check(user, name, days, scopes)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(token),
        scopes=chosen,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        code="accounts.token.created",
        actor=user,
        obj=user,
        data={"token_id": row.pk, "name": row.name, "scopes": chosen, "days": days},
    )
    return row, token


@transaction.atomic
def token_revoke(*, user: User, pk: int) -> PersonalAccessToken:
    """Revoke one of ``user``'s own tokens: it stops working at once."""
    row = tokens_of(user).select_for_update().filter(pk=pk, revoked_at__isnull=True).first()
    if row is None:
        raise DomainError(_("Unknown token."), code="unknown_token")
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    audit_record(
        code="accounts.token.revoked",
        actor=user,
        obj=user,
        data={"token_id": row.pk, "name": row.name},
    )
    return row


def token_authenticate(token: str) -> PersonalAccessToken | None:
    """The live token (not expired, not revoked, its user active) ``token`` stands for."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    row = (
        PersonalAccessToken.objects.select_related("user__person")
        .filter(digest=token_digest(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        PersonalAccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row
