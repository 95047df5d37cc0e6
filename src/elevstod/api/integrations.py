"""System integrations: an organiser's own systems that read statistics with the OAuth2
client-credentials grant (RFC 6749, section 4.4), without a user.

The organiser's administrator (an active ADMINISTRATOR duty at one of its units, as for the
SS 12000 sources) makes a client after the step-up, granting it scopes and units. The client
exchanges its id and secret for a bearer token valid for an hour. With it, it may call the two
statistics endpoints only, for the units granted, always under the small-number rule: a system
is not the principal who knows the pupils. It reads no pupil, no support record, nothing of an
investigation. Secrets and tokens are 256 random bits, kept as SHA-256 digests."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.accounts.tokens import has_second_factor
from elevstod.audit.services import audit_record
from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.models import active_on
from elevstod.organisation.models import Duty, Organiser, SchoolUnit
from elevstod.support.services.submissions import submission_claim, submission_done

from .models import IntegrationClient, IntegrationToken

CLIENT_PREFIX = "elvi_"
TOKEN_PREFIX = "elvc_"
TOKEN_LIFETIME = dt.timedelta(hours=1)
NAME_MAX = 100
Scope = IntegrationClient.Scope
SENT_TWICE = _(
    "This client was already created; its secret was shown once, on the answer to the first "
    "send. If you did not copy it, revoke the client and create a new one."
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- who administers an organiser's clients ---------------------------------------------------


def organisers_administered_by(actor: AnyUser) -> QuerySet[Organiser]:
    """The organisers at one of whose units ``actor`` holds an active ADMINISTRATOR duty."""
    person_id = getattr(actor, "person_id", None) if actor.is_authenticated else None
    if person_id is None:
        return Organiser.objects.none()
    duties = Duty.objects.filter(active_on(), person_id=person_id, role=Duty.Role.ADMINISTRATOR)
    return Organiser.objects.filter(pk__in=duties.values("organiser_id")).order_by("name")


def grantable_units(organiser: Organiser) -> QuerySet[SchoolUnit]:
    """The units whose statistics a client may be granted: the organiser's, with the module."""
    return SchoolUnit.objects.filter(organiser=organiser, support_module_enabled=True).order_by(
        "name"
    )


def clients_administered_by(actor: AnyUser) -> QuerySet[IntegrationClient]:
    return (
        IntegrationClient.objects.filter(organiser__in=organisers_administered_by(actor))
        .select_related("organiser")
        .prefetch_related("units")
        .order_by("revoked_at", "name", "pk")
    )


# --- the administrator's writes ----------------------------------------------------------------


def _chosen(
    organiser: Organiser, name: str, scopes: Iterable[str], unit_ids: Iterable[int]
) -> tuple[list[str], list[SchoolUnit]]:
    if not name.strip():
        raise DomainError(_("Name the client after the system that uses it."), code="invalid")
    if len(name.strip()) > NAME_MAX:
        raise DomainError(_("Write at most 100 characters."), code="invalid")
    chosen = sorted(set(scopes) & set(Scope.values))
    if not chosen:
        raise DomainError(_("Grant the client at least one scope."), code="invalid")
    units = list(grantable_units(organiser).filter(pk__in=list(unit_ids)))
    if not units:
        raise DomainError(_("Grant the client at least one school unit."), code="invalid")
    return chosen, units


@transaction.atomic
def integration_client_create(
    *,
    actor: User,
    organiser_id: int,
    name: str,
    scopes: Iterable[str],
    unit_ids: Iterable[int],
    token: str = "",
) -> tuple[IntegrationClient, str]:
    """A new client of the organiser: the row, and its secret, which is never shown again.
    The form's ``token`` makes a second send of the same form write nothing (and say so: the
    secret cannot be shown twice). Whether the administrator stepped up is the view's check."""
    organiser = organisers_administered_by(actor).filter(pk=organiser_id).first()
    if organiser is None:
        raise AccessDenied("not the organiser's administrator")
    if not has_second_factor(actor):
        raise DomainError(_("Set up a second factor first."), code="no_factor")
    chosen, units = _chosen(organiser, name, scopes, unit_ids)
    if submission_claim(actor=actor, token=token, model=IntegrationClient) is not None:
        raise DomainError(SENT_TWICE, code="already_sent")
    secret = secrets.token_urlsafe(32)
    client = IntegrationClient.objects.create(
        organiser=organiser,
        name=name.strip(),
        client_id=CLIENT_PREFIX + secrets.token_hex(12),
        secret_digest=_digest(secret),
        scopes=chosen,
        created_by_id=actor.pk,
    )
    client.units.set(units)
    submission_done(actor=actor, token=token, result=client)
    data = {"client_id": client.client_id, "name": client.name, "scopes": chosen}
    audit_record(
        code="api.integration_client.created",
        actor=actor,
        obj=client,
        data={**data, "units": [u.pk for u in units]},
    )
    return client, secret


@transaction.atomic
def integration_client_revoke(*, actor: User, pk: int) -> IntegrationClient:
    """Revoke a client of an organiser the actor administers: it and its tokens stop at once."""
    rows = clients_administered_by(actor).select_for_update(of=("self",))
    client = rows.filter(pk=pk, revoked_at__isnull=True).first()
    if client is None:
        raise AccessDenied("unknown client")
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    client.tokens.all().delete()
    audit_record(
        code="api.integration_client.revoked",
        actor=actor,
        obj=client,
        data={"client_id": client.client_id},
    )
    return client


# --- the client-credentials grant --------------------------------------------------------------


class GrantError(Exception):
    """A refused token request, with its RFC 6749 error code and HTTP status."""

    def __init__(self, error: str, status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.status = status


def integration_token_issue(
    *, client_id: str, secret: str, scope: str | None
) -> tuple[IntegrationToken, str]:
    """A bearer token for a client that proves its secret, for the scopes asked (by default,
    all it was granted)."""
    client = IntegrationClient.objects.filter(client_id=client_id, revoked_at__isnull=True).first()
    if client is None or not secrets.compare_digest(client.secret_digest, _digest(secret)):
        raise GrantError("invalid_client", status=401)
    asked = set(scope.split()) if scope else set(client.scopes)
    if not asked or not asked <= set(client.scopes):
        raise GrantError("invalid_scope")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    row = IntegrationToken.objects.create(
        client=client, digest=_digest(token), scopes=sorted(asked), expires_at=now + TOKEN_LIFETIME
    )
    IntegrationToken.objects.filter(client=client, expires_at__lt=now).delete()
    return row, token


def integration_token_authenticate(token: str) -> IntegrationToken | None:
    """The live token (of a client not revoked) for ``token``, or None."""
    return (
        IntegrationToken.objects.filter(
            digest=_digest(token), expires_at__gt=timezone.now(), client__revoked_at__isnull=True
        )
        .select_related("client", "client__organiser")
        .first()
    )


# --- what a client may read --------------------------------------------------------------------


def _granted(token: IntegrationToken, scope: str) -> list[SchoolUnit]:
    if scope not in token.scopes:
        raise AccessDenied("scope not granted")
    return list(
        token.client.units.filter(
            organiser_id=token.client.organiser_id, support_module_enabled=True
        ).order_by("name")
    )


def access_client_unit_statistics(*, token: IntegrationToken, pk: int) -> SchoolUnit:
    unit = next((u for u in _granted(token, Scope.UNIT_STATISTICS) if u.pk == pk), None)
    if unit is None:
        raise AccessDenied("unit not granted")
    return unit


def access_client_organiser_statistics(*, token: IntegrationToken, pk: int) -> list[SchoolUnit]:
    """The granted units of the client's own organiser (never another's)."""
    if pk != token.client.organiser_id:
        raise AccessDenied("another organiser")
    return _granted(token, Scope.ORGANISER_STATISTICS)
