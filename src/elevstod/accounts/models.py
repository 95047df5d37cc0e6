"""Login accounts, their second factors, federated identity providers and attempt counters.

A user is linked to at most one Person (staff, guardian or pupil). Second factors are django-otp
devices: TOTP and backup codes from django-otp's plugins, ``SMSDevice`` here (one confirmed
device per phone number: one phone, one person), and ``FederationDevice``, the marker put in the
session when a Skolfederation assertion carried two-factor assurance (it verifies no codes).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from django_otp.models import Device, SideChannelDevice, ThrottlingMixin

from elevstod.organisation.models import Organiser, Person


class User(AbstractUser):  # type: ignore[django-manager-missing]
    person = models.OneToOneField(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("person"),
    )
    # The Skolfederation eduPersonPrincipalName (lower case), matched at federated login.
    eppn = models.CharField(
        _("federated identity (eduPersonPrincipalName)"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("user")


class IdentityProvider(models.Model):
    """A SAML2 identity provider trusted for one organiser: its school login (Skolfederation)
    for its staff, or, marked ``citizen_eid``, its e-ID login (BankID, Freja eID) for the
    guardians and pupils of its units, who are matched on their personal identity number."""

    REFEDS_MFA = "https://refeds.org/profile/mfa"

    organiser = models.ForeignKey(
        Organiser, on_delete=models.PROTECT, related_name="identity_providers"
    )
    name = models.CharField(_("name"), max_length=200)
    entity_id = models.CharField(_("entity id"), max_length=500, unique=True)
    metadata_xml = models.TextField(_("metadata (XML)"))
    asserts_2fa = models.BooleanField(
        _("asserts two-factor login"),
        default=False,
        help_text=_("Trust its eduPersonAssurance 2fa level as the second factor."),
    )
    mfa_authn_context = models.CharField(
        _("MFA authentication context"),
        max_length=200,
        blank=True,
        help_text=_("E.g. https://refeds.org/profile/mfa, if the provider sends it."),
    )
    citizen_eid = models.BooleanField(
        _("e-ID login for guardians and pupils"),
        default=False,
        help_text=_(
            "An e-identification login (e.g. BankID or Freja eID) for the guardians and pupils "
            "of the organiser's units, matched on their personal identity number."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("identity provider")

    def __str__(self) -> str:
        return self.name


class SMSDevice(ThrottlingMixin, SideChannelDevice):
    """One-time codes by SMS to the user's own mobile number (E.164, e.g. +46701234567)."""

    number: models.CharField[str, str] = models.CharField(_("mobile number"), max_length=16)

    class Meta(SideChannelDevice.Meta):
        verbose_name = _("SMS device")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=Q(confirmed=True), name="sms_number_one_person"
            )
        ]

    def get_throttle_factor(self) -> int:
        return 1

    def generate_challenge(self) -> str:
        from .sms import sms_code_send

        self.generate_token(valid_secs=settings.ELEVSTOD_SMS_CODE_SECONDS)
        sms_code_send(number=self.number, code=str(self.token))
        return str(_("A code was sent by SMS."))

    def verify_token(self, token: Any) -> bool:
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        verified = bool(super().verify_token(str(token).strip()))
        if verified:
            self.throttle_reset()
        else:
            self.throttle_increment()
        return verified


class FederationDevice(Device):
    """Stands for a federated login whose assertion carried two-factor assurance."""

    class Meta(Device.Meta):
        verbose_name = _("federated login")

    def verify_token(self, token: Any) -> bool:
        return False


class SamlHandoff(models.Model):
    """A checked SAML answer waiting, for a minute or two, for the browser's next request.

    The identity provider posts the answer cross-site, and browsers do not send the
    ``SameSite=Lax`` session cookie with such a POST: the assertion consumer service checks the
    signature, keeps the result here under a random token and redirects; the same-site GET that
    follows carries the session, which must have started this very login (``in_response_to``).
    """

    token = models.CharField(max_length=64, unique=True)
    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE)
    in_response_to = models.CharField(max_length=200)
    eppn = models.CharField(max_length=254)
    civic_number = models.CharField(max_length=12, blank=True, default="")  # from an e-ID login
    two_factor = models.BooleanField()
    authn_instant = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"SAML answer {self.in_response_to}"


class AttemptCounter(models.Model):
    """Failed attempts of one kind for one account or address within the current window."""

    key = models.CharField(max_length=300, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started = models.DateTimeField()

    class Meta:
        verbose_name = _("attempt counter")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class FailureTally(models.Model):
    """Failed or refused logins of one kind, for one account name from one address, in the
    current window. The audit log gets one row when a window opens and one with the count when
    it closes (``accounts.failures``), not one row per attempt: the audit tables are
    append-only, so the counting happens here."""

    code = models.CharField(max_length=100)
    account = models.CharField(max_length=150)
    address = models.CharField(max_length=100)
    window_started = models.DateTimeField()
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("failure tally")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "account", "address"], name="one_tally_per_account_and_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.account}@{self.address}: {self.count}"


class PersonalAccessToken(models.Model):
    """A user's key to the REST API, created on their security page after the step-up.

    Only a digest of the token is stored: the token itself is shown once, when it is created.
    It acts with the user's own rights (the access layer decides, as for the pages), limited to
    its scopes, until it expires or is revoked."""

    class Scope(models.TextChoices):
        READ = "read", _("read")
        WRITE = "write", _("write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)  # the first characters, to recognise it in lists
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the whole token
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("personal access token")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
