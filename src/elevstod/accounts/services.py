"""Writes to login accounts and their second factors. Each writes its audit row in the same
transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.organisation.models import Person

from .factors import FACTOR_MODELS, factor_kind, factors_for
from .models import SamlHandoff, SMSDevice, User
from .phone import mobile_masked, mobile_normalise
from .webauthn import ceremony_errors

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

BACKUP_CODE_COUNT = 10


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    person: Person | None,
    password: str | None = None,
    email: str = "",
) -> User:
    user = User(username=username, person=person, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        code="accounts.user.created",
        actor=actor,
        obj=user,
        data={"username": username, "person_id": person.pk if person else None},
    )
    return user


@transaction.atomic
def user_link_eppn(*, actor: User | None, user: User, eppn: str) -> User:
    """Link the user to a federated identity (eduPersonPrincipalName, stored in lower case)."""
    user.eppn = eppn.strip().lower() or None
    user.save(update_fields=["eppn"])
    audit_record(code="accounts.user.eppn_linked", actor=actor, obj=user, data={"eppn": user.eppn})
    return user


def session_event_record(
    *, code: str, actor: User | AnonymousUser | None, data: dict[str, Any]
) -> None:
    """Login, logout, failed and throttled logins, step-up results: one audit row each."""
    with transaction.atomic():
        obj = actor if actor is not None and actor.is_authenticated else None
        audit_record(code=code, actor=actor, obj=obj, data=data)


# --- SAML handoff (see models.SamlHandoff) ---------------------------------------------------

SAML_HANDOFF_SECONDS = 120


@transaction.atomic
def saml_handoff_create(assertion: Any) -> str:
    """Keep a checked SAML answer for the browser's next request; returns its token. Answers
    left behind by browsers that never came back are removed on the way."""
    cutoff = timezone.now() - dt.timedelta(seconds=SAML_HANDOFF_SECONDS)
    SamlHandoff.objects.filter(created_at__lt=cutoff).delete()
    token = secrets.token_urlsafe(32)
    SamlHandoff.objects.create(
        token=token,
        provider=assertion.provider,
        in_response_to=assertion.in_response_to,
        eppn=assertion.eppn,
        civic_number=assertion.civic_number,
        two_factor=assertion.two_factor,
        authn_instant=assertion.authn_instant,
    )
    return token


@transaction.atomic
def saml_handoff_take(token: str) -> Any:
    """The answer kept under ``token`` (an ``Assertion``), once: it is deleted as it is read.
    None when there is none, or it is older than two minutes."""
    from .saml import Assertion

    cutoff = timezone.now() - dt.timedelta(seconds=SAML_HANDOFF_SECONDS)
    row = (
        SamlHandoff.objects.select_for_update()
        .select_related("provider")
        .filter(token=token, created_at__gte=cutoff, provider__active=True)
        .first()
    )
    if row is None or not token:
        return None
    row.delete()
    return Assertion(
        provider=row.provider,
        eppn=row.eppn,
        two_factor=row.two_factor,
        in_response_to=row.in_response_to,
        authn_instant=row.authn_instant,
        civic_number=row.civic_number,
    )


# --- SMS -------------------------------------------------------------------------------------


@transaction.atomic
def sms_enrol_start(*, user: User, number: str) -> SMSDevice:
    """Start enrolling a mobile number: refused when anyone has it already; sends a code."""
    normalised = mobile_normalise(number)
    if SMSDevice.objects.filter(number=normalised, confirmed=True).exists():
        raise DomainError(
            _("This number is already used for login. Each person needs their own phone."),
            code="number_taken",
        )
    SMSDevice.objects.filter(user=user, confirmed=False).delete()
    device = SMSDevice.objects.create(
        user=user, number=normalised, name=mobile_masked(normalised), confirmed=False
    )
    device.generate_challenge()
    return device  # type: ignore[no-any-return]


def _enrolled(user: User, device: Any) -> None:
    audit_record(
        code="accounts.factor.enrolled",
        actor=user,
        obj=user,
        data={"kind": factor_kind(device), "device": device.name},
    )


def sms_enrol_confirm(*, user: User, device: SMSDevice, code: str) -> bool:
    """Confirm the number with the code sent to it. False when the code is wrong or expired."""
    if device.user_id != user.pk or device.confirmed:
        raise DomainError(_("Start again."), code="stale_enrolment")
    if not device.verify_token(code):
        return False
    try:
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _enrolled(user, device)
    except IntegrityError as error:
        raise DomainError(
            _("This number is already used for login. Each person needs their own phone."),
            code="number_taken",
        ) from error
    return True


# --- authenticator app (TOTP) ----------------------------------------------------------------


@transaction.atomic
def totp_enrol_start(*, user: User) -> TOTPDevice:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)


def totp_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> bool:
    if device.user_id != user.pk or device.confirmed:
        raise DomainError(_("Start again."), code="stale_enrolment")
    if not device.verify_token(code.strip()):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _enrolled(user, device)
    return True


# --- security key or passkey (WebAuthn) ------------------------------------------------------

WEBAUTHN_NAME_LENGTH = 64


@transaction.atomic
def webauthn_enrol_confirm(
    *, user: User, helper: Any, state: dict[str, Any], credential: Any, name: str
) -> Any:
    """Verify the authenticator's answer to the registration challenge and save the key, named
    by the user. Raises django-otp-webauthn's API errors when the answer does not hold."""
    if not isinstance(credential, dict):
        raise DomainError(_("The security key could not be registered."), code="malformed")
    try:
        with transaction.atomic(), ceremony_errors():
            device = helper.register_complete(user=user, state=state, data=credential)
    except IntegrityError as error:  # the same key again (a credential id is unique)
        raise DomainError(
            _("This security key is already registered."), code="duplicate"
        ) from error
    device.name = name.strip()[:WEBAUTHN_NAME_LENGTH] or str(_("Security key"))
    device.save(update_fields=["name"])
    _enrolled(user, device)
    return device


# --- backup codes ----------------------------------------------------------------------------


@transaction.atomic
def backup_codes_generate(*, user: User) -> list[str]:
    """New backup codes (the old ones stop working). Returned once, to be shown once."""
    if not [f for f in factors_for(user) if not isinstance(f, StaticDevice)]:
        raise DomainError(_("Set up a phone or an authenticator app first."), code="no_factor")
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=str(_("Backup codes")), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    _enrolled(user, device)
    return codes


# --- removal ---------------------------------------------------------------------------------


@transaction.atomic
def factor_remove(*, actor: User, user: User, model: str, pk: int) -> None:
    """Remove one of ``user``'s factors: by the user, or by an administrator (lost phone).
    Who may call this is the view's check."""
    device_model = FACTOR_MODELS.get(model)
    if device_model is None:
        raise DomainError(_("Unknown factor."), code="unknown_factor")
    device = device_model.objects.filter(user=user, pk=pk).first()
    if device is None:
        raise DomainError(_("Unknown factor."), code="unknown_factor")
    data = {"kind": factor_kind(device), "device": device.name, "user_id": user.pk}
    device.delete()
    audit_record(
        code="accounts.factor.removed",
        actor=actor,
        obj=user,
        data={**data, "by_administrator": actor.pk != user.pk},
    )
