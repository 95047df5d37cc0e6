"""Which second factors a user has, and their kinds (reads only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .models import SMSDevice, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# The factors a user enrols and removes, by a short name used in forms.
FACTOR_MODELS: dict[str, Any] = {
    "sms": SMSDevice,
    "totp": TOTPDevice,
    "webauthn": WebAuthnCredential,
    "backup": StaticDevice,
}
# Factors confirmed by typing a code (the others by a WebAuthn ceremony).
CODE_KINDS = frozenset({"sms", "totp", "backup"})
# Factors the app names itself, after their kind (the user names none of them).
NAMED_BY_KIND = frozenset({"totp", "backup"})
KIND_LABELS = {
    "sms": _("Code by SMS"),
    "totp": _("Authenticator app"),
    "webauthn": _("Security key or passkey"),
    "backup": _("Backup code"),
}


def factor_kind(device: Any) -> str:
    for kind, model in FACTOR_MODELS.items():
        if isinstance(device, model):
            return kind
    return "federation"


def factors_for(user: User | AnonymousUser) -> list[Any]:
    """The user's confirmed factors, phones first, backup codes last."""
    if not user.is_authenticated or not user.pk:
        return []
    found: list[Any] = []
    for model in FACTOR_MODELS.values():
        found.extend(model.objects.filter(user=user, confirmed=True).order_by("pk"))
    return found


def has_backup_codes(user: User | AnonymousUser) -> bool:
    return (
        user.is_authenticated
        and bool(user.pk)
        and (StaticDevice.objects.filter(user=user, confirmed=True).exists())
    )


def factor_choices(factors: list[Any]) -> list[tuple[str, str, Any]]:
    """(value for a form, label, device) for each of ``factors`` confirmed by a typed code."""
    return [
        (f"{factor_kind(d)}:{d.pk}", _choice_label(d), d)
        for d in factors
        if factor_kind(d) in CODE_KINDS
    ]


def _choice_label(device: Any) -> str:
    """The kind, and the phone's masked number for an SMS device: an authenticator app and
    backup codes are named by the app after their kind, so their name would repeat it."""
    kind = factor_kind(device)
    if kind in NAMED_BY_KIND or not device.name:
        return str(KIND_LABELS[kind])
    return f"{KIND_LABELS[kind]}: {device.name}"
