"""A thin SAML2 service provider on pysaml2 for Skolfederation (see ADR 0003).

Identity providers come from the database (``IdentityProvider``, one or more per organiser);
the SP's own settings from ``ELEVSTOD_SAML_*``. Assertions must be signed. A user is matched by
eduPersonPrincipalName among the active staff of the identity provider's organiser only; nobody
is created. eduPersonAssurance ``http://id.skolfederation.se/loa/2fa`` (or the configured REFEDS
MFA authentication context) from a provider trusted to assert it satisfies the step-up.

An organiser's e-ID login for its families (``IdentityProvider.citizen_eid``: BankID or Freja
eID through SAML) matches a user by the personal identity number it asserts instead, among the
guardians of the pupils placed at the organiser's units and those pupils; whether that person is
a party of a decision stays the support app's question. It never answers for staff: a person
with an active duty anywhere is refused, as a login and as a step-up (``StaffOnFamilyEid``), and
logs in with their school login or their own second factor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor

from elevstod.core.errors import DomainError
from elevstod.core.models import active_on
from elevstod.organisation.access import scope_for
from elevstod.organisation.civic import civic_number_normalize
from elevstod.organisation.models import Duty, Guardianship, Placement

from .models import IdentityProvider, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

LOA_2FA = "http://id.skolfederation.se/loa/2fa"
# The personal identity number in the Swedish e-ID attribute profile (personalIdentityNumber)
CIVIC_NUMBER_ATTRIBUTES = ("urn:oid:1.2.752.29.4.13", "personalIdentityNumber")


def _base_url(request: HttpRequest) -> str:
    return (settings.ELEVSTOD_SAML_BASE_URL or request.build_absolute_uri("/")).rstrip("/")


def sp_entity_id(request: HttpRequest) -> str:
    return settings.ELEVSTOD_SAML_ENTITY_ID or _base_url(request) + reverse(
        "accounts:saml_metadata"
    )


def sp_config(
    request: HttpRequest, providers: Iterable[IdentityProvider] = (), *, unsolicited: bool = False
) -> SPConfig:
    """The SP's configuration with ``providers``' metadata. ``unsolicited``: accept answers
    whose request this process cannot see (the assertion consumer service, which gets no
    session cookie); the same-site step after it checks the request against the session."""
    base = _base_url(request)
    conf: dict[str, Any] = {
        "entityid": sp_entity_id(request),
        "xmlsec_binary": settings.ELEVSTOD_SAML_XMLSEC_BINARY,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": "Elevstöd",
                "endpoints": {
                    "assertion_consumer_service": [
                        (base + reverse("accounts:saml_acs"), BINDING_HTTP_POST)
                    ],
                },
                "allow_unsolicited": unsolicited,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "authn_requests_signed": bool(settings.ELEVSTOD_SAML_KEY_FILE),
                "required_attributes": ["eduPersonPrincipalName"],
                "optional_attributes": ["eduPersonAssurance"],
            }
        },
        "metadata": {"inline": [p.metadata_xml for p in providers]},
    }
    if settings.ELEVSTOD_SAML_KEY_FILE and settings.ELEVSTOD_SAML_CERT_FILE:
        conf["key_file"] = settings.ELEVSTOD_SAML_KEY_FILE
        conf["cert_file"] = settings.ELEVSTOD_SAML_CERT_FILE
        conf["encryption_keypairs"] = [
            {"key_file": conf["key_file"], "cert_file": conf["cert_file"]}
        ]
    config = SPConfig()
    config.load(conf)
    return config


def sp_metadata(request: HttpRequest) -> str:
    return str(entity_descriptor(sp_config(request)))


def authn_request(
    request: HttpRequest, provider: IdentityProvider, *, step_up: bool = False
) -> tuple[str, str]:
    """(request id, URL to send the browser to) for a login at ``provider``. For a step-up the
    provider is asked to authenticate the user afresh (ForceAuthn), with its MFA context when
    it has one configured."""
    client = Saml2Client(sp_config(request, [provider]))
    extra: dict[str, Any] = {"force_authn": "true"} if step_up else {}
    if provider.mfa_authn_context:
        from saml2.saml import AuthnContextClassRef
        from saml2.samlp import RequestedAuthnContext

        extra["requested_authn_context"] = RequestedAuthnContext(
            authn_context_class_ref=[AuthnContextClassRef(provider.mfa_authn_context)],
            comparison="minimum",
        )
    request_id, info = client.prepare_for_authenticate(
        entityid=provider.entity_id, binding=BINDING_HTTP_REDIRECT, **extra
    )
    location = dict(info["headers"])["Location"]
    return str(request_id), str(location)


@dataclass(frozen=True)
class Assertion:
    provider: IdentityProvider
    eppn: str  # empty from an e-ID login, which names the person by ``civic_number``
    two_factor: bool
    in_response_to: str
    authn_instant: dt.datetime | None  # when the user authenticated at the provider
    civic_number: str = ""  # 12 digits, from an e-ID login only


class AssertionRefused(Exception):
    """The response was not valid, not expected, or not from a known provider."""


class StaffOnFamilyEid(Exception):
    """An e-ID login answered for a person who holds an active duty: the families' e-ID gives
    no access to staff pages, neither as a login nor as a step-up."""


def assertion_parse(request: HttpRequest, saml_response: str) -> Assertion:
    """Check the response's signature against the active providers' metadata. Whether this
    session asked for it (``in_response_to``) is the caller's check, in the step after."""
    providers = list(IdentityProvider.objects.filter(active=True))
    if not providers:
        raise AssertionRefused("no identity provider is configured")
    client = Saml2Client(sp_config(request, providers, unsolicited=True))
    try:
        response = client.parse_authn_request_response(saml_response, BINDING_HTTP_POST)
    except Exception as error:  # pysaml2 raises many kinds; every one means "refused"
        raise AssertionRefused(f"{type(error).__name__}: {error}") from error
    if response is None or response.assertion is None:
        raise AssertionRefused("no assertion")
    provider = next((p for p in providers if p.entity_id == response.issuer()), None)
    if provider is None or not response.in_response_to:
        raise AssertionRefused("an answer to no request, or from an unknown provider")
    identity = response.get_identity()
    eppn = str(next(iter(identity.get("eduPersonPrincipalName", [])), "")).strip().lower()
    civic_number = _civic_number(identity) if provider.citizen_eid else ""
    if provider.citizen_eid and not civic_number:
        raise AssertionRefused("no valid personal identity number")
    if not provider.citizen_eid and not eppn:
        raise AssertionRefused("no eduPersonPrincipalName")
    assurance = set(identity.get("eduPersonAssurance", []))
    contexts = {str(info[0]) for info in response.authn_info()}
    two_factor = provider.asserts_2fa and (
        LOA_2FA in assurance
        or bool(provider.mfa_authn_context and provider.mfa_authn_context in contexts)
    )
    return Assertion(
        provider=provider,
        eppn="" if provider.citizen_eid else eppn,
        two_factor=two_factor,
        in_response_to=str(response.in_response_to),
        authn_instant=_authn_instant(response),
        civic_number=civic_number,
    )


def _civic_number(identity: dict[str, Any]) -> str:
    """The asserted personal identity number in its 12-digit form, or "" when there is none
    or it is not a valid one."""
    for name in CIVIC_NUMBER_ATTRIBUTES:
        for value in identity.get(name, []):
            try:
                return civic_number_normalize(str(value))
            except DomainError:
                return ""
    return ""


def _authn_instant(response: Any) -> dt.datetime | None:
    statements = response.assertion.authn_statement or []
    if not statements or not statements[0].authn_instant:
        return None
    try:
        instant = dt.datetime.fromisoformat(str(statements[0].authn_instant))
    except ValueError:
        return None
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)  # SAML times are UTC


def authenticated_recently(assertion: Assertion, *, minutes: int) -> bool:
    """The user authenticated at the provider within ``minutes`` (a minute of clock skew)."""
    if assertion.authn_instant is None:
        return False
    age = dt.datetime.now(dt.UTC) - assertion.authn_instant
    return dt.timedelta(minutes=-1) <= age <= dt.timedelta(minutes=minutes, seconds=60)


def step_up_providers(user: User | AnonymousUser) -> list[IdentityProvider]:
    """The identity providers that can confirm ``user``'s second factor: active, trusted to
    assert 2FA, and either a school login at an organiser where the user has an active duty
    (none without an eppn) or an e-ID login of an organiser whose families the user's person
    belongs to (none without a personal identity number, none for staff)."""
    if not user.is_authenticated or not user.person_id:
        return []
    person = user.person
    staff_of = Duty.objects.filter(active_on(), person_id=user.person_id).values("organiser_id")
    school = Q(citizen_eid=False, organiser_id__in=staff_of) if user.eppn else Q(pk__in=[])
    family = Q(pk__in=[])
    if person is not None and person.civic_number and not scope_for(user).has_duty:
        family = Q(citizen_eid=True, organiser_id__in=_family_organisers(user.person_id))
    providers = IdentityProvider.objects.filter(school | family, active=True, asserts_2fa=True)
    return list(providers.order_by("name"))


def _family_organisers(person_id: int) -> Any:
    """The organisers at whose units ``person_id`` is placed as a pupil, or is a current
    guardian of a pupil placed there."""
    wards = Guardianship.objects.current().filter(guardian_id=person_id).values("pupil_id")
    placed = Placement.objects.filter(active_on()).filter(
        Q(pupil_id=person_id) | Q(pupil_id__in=wards)
    )
    return placed.values_list("unit__organiser_id", flat=True)


def federated_user(assertion: Assertion) -> User | None:
    """The active user a school login names by eppn among active staff of the provider's
    organiser; from an e-ID login, the one it names by personal identity number among the
    organiser's families (``StaffOnFamilyEid`` when that person holds a duty)."""
    users = User.objects.filter(is_active=True).select_related("person")
    if assertion.provider.citizen_eid:
        return _family_user(assertion, users)
    staff = Duty.objects.filter(active_on(), organiser_id=assertion.provider.organiser_id)
    return users.filter(eppn=assertion.eppn, person_id__in=staff.values("person_id")).first()


def _family_user(assertion: Assertion, users: Any) -> User | None:
    if not assertion.civic_number:
        return None
    found: User | None = users.filter(person__civic_number=assertion.civic_number).first()
    if found is None or found.person_id is None:
        return None
    if scope_for(found).has_duty:
        raise StaffOnFamilyEid(assertion.provider.entity_id)
    family = set(_family_organisers(found.person_id))
    return found if assertion.provider.organiser_id in family else None
