"""The SAML2 endpoints: metadata, starting a login (or a step-up) at an identity provider, the
assertion consumer service, and the same-site step after it that logs the user in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from elevstod.core.params import id_param

from .models import FederationDevice, IdentityProvider, User
from .saml import (
    Assertion,
    AssertionRefused,
    StaffOnFamilyEid,
    assertion_parse,
    authenticated_recently,
    authn_request,
    federated_user,
    sp_metadata,
    step_up_providers,
)
from .services import saml_handoff_create, saml_handoff_take, session_event_record
from .stepup import safe_next, step_up_login, step_up_url
from .views import login_failure_record, step_up_failed, step_up_succeeded

OUTSTANDING = "elevstod_saml_outstanding"
NEXT = "elevstod_saml_next"
STEP_UP_FOR = "elevstod_saml_step_up_for"  # the user asking the provider to confirm 2FA
STEP_UP_MAX_AGE_MINUTES = 5  # a step-up answer must be from a login this recent (ForceAuthn)


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    return HttpResponse(sp_metadata(request), content_type="application/samlmetadata+xml")


@require_GET
def login(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.GET.get("next"))
    if not request.GET.get("idp"):
        return _choose(request, next_url)
    provider = get_object_or_404(IdentityProvider, pk=id_param(request.GET, "idp"), active=True)
    step_up = bool(request.GET.get("step_up")) and request.user.is_authenticated
    if step_up and provider not in step_up_providers(request.user):
        raise Http404
    request_id, location = authn_request(request, provider, step_up=step_up)
    request.session[OUTSTANDING] = {request_id: provider.entity_id}
    request.session[NEXT] = next_url
    request.session[STEP_UP_FOR] = request.user.pk if step_up else None
    return HttpResponseRedirect(location)


def _choose(request: HttpRequest, next_url: str) -> HttpResponse:
    """The providers to choose from: the school logins (staff) apart from the e-ID logins
    (guardians and pupils)."""
    providers = IdentityProvider.objects.filter(active=True).select_related("organiser")
    listed = list(providers.order_by("name"))
    context = {
        "school_logins": [p for p in listed if not p.citizen_eid],
        "eid_logins": [p for p in listed if p.citizen_eid],
        "next": next_url,
    }
    return render(request, "accounts/saml_choose.html", context)


def _refused(
    request: HttpRequest,
    reason: str,
    data: dict[str, str],
    *,
    stepping_up: bool = False,
    provider: IdentityProvider | None = None,
) -> HttpResponse:
    if stepping_up and request.user.is_authenticated:
        step_up_failed(request, str(data.get("idp") or "saml"))
    else:
        login_failure_record(
            request,
            code="accounts.session.login_failed",
            username=str(data.get("eppn", "")),
            method="saml",
            **data,
        )
    context = {"reason": reason, "provider": provider}
    return render(request, "accounts/saml_refused.html", context, status=403)


@csrf_exempt  # the identity provider posts here; the signed assertion is the proof
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    """Checks the signed answer and hands it to ``complete`` (see ``SamlHandoff``)."""
    try:
        assertion = assertion_parse(request, str(request.POST.get("SAMLResponse", "")))
    except AssertionRefused as error:
        return _refused(request, "invalid", {"error": str(error)[:300]})
    token = saml_handoff_create(assertion)
    return HttpResponseRedirect(f"{reverse('accounts:saml_complete')}?{urlencode({'t': token})}")


@require_GET
def complete(request: HttpRequest) -> HttpResponse:
    """The same-site step after the assertion consumer service: the answer must be to the
    login this session started, at that provider; then log in, or grant the step-up."""
    assertion = saml_handoff_take(str(request.GET.get("t", "")))
    outstanding = request.session.pop(OUTSTANDING, None) or {}
    next_url = request.session.pop(NEXT, "/")
    stepping_up = request.session.pop(STEP_UP_FOR, None)
    if assertion is None:
        return _refused(request, "invalid", {"error": "no such answer, or too old"})
    if outstanding.get(assertion.in_response_to) != assertion.provider.entity_id:
        data = {"error": "an answer to a request this session did not make"}
        return _refused(request, "invalid", data, stepping_up=stepping_up is not None)
    provider = assertion.provider
    try:
        user = federated_user(assertion)
    except StaffOnFamilyEid:
        data = {"error": "an e-ID answer for staff", "idp": provider.entity_id}
        return _refused(request, "staff", data, stepping_up=stepping_up is not None)
    if stepping_up is not None:
        return _step_up(request, assertion, user, stepping_up, next_url)
    if user is None:
        data = {"eppn": assertion.eppn, "idp": provider.entity_id}
        return _refused(request, "unknown", data, provider=provider)
    # A two-factor login counts as the step-up while it is as recent as the idle time allows.
    two_factor = assertion.two_factor and authenticated_recently(
        assertion, minutes=settings.ELEVSTOD_STEP_UP_IDLE_MINUTES
    )
    auth_login(request, user, backend="elevstod.accounts.backends.UserBackend")
    if two_factor:
        step_up_login(request, _federation_device(user, assertion))
    session_event_record(
        code="accounts.session.logged_in",
        actor=user,
        data={"method": "saml", "idp": assertion.provider.entity_id, "two_factor": two_factor},
    )
    return HttpResponseRedirect(safe_next(request, next_url))


def _federation_device(user: User, assertion: Assertion) -> FederationDevice:
    device: FederationDevice
    device, _created = FederationDevice.objects.get_or_create(
        user=user, defaults={"name": assertion.provider.name, "confirmed": True}
    )
    return device


def _step_up(
    request: HttpRequest, assertion: Assertion, user: User | None, stepping_up: int, next_url: str
) -> HttpResponse:
    """The answer to a step-up at the identity provider: it must name the user who asked, and
    say the login was two-factor. The user stays logged in either way; only the step-up is
    granted or not."""
    if not request.user.is_authenticated or request.user.pk != stepping_up:
        return _refused(request, "invalid", {"error": "the session changed during the step-up"})
    provider = assertion.provider
    if user is None or user.pk != request.user.pk:
        data = {"eppn": assertion.eppn}
        return _refused(request, "other_user", data, stepping_up=True, provider=provider)
    fresh = authenticated_recently(assertion, minutes=STEP_UP_MAX_AGE_MINUTES)
    if not (assertion.two_factor and fresh):
        step_up_failed(request, provider.name)
        messages.error(request, _weak_answer_message(provider))
        return HttpResponseRedirect(step_up_url(safe_next(request, next_url)))
    step_up_succeeded(request, _federation_device(user, assertion))
    return HttpResponseRedirect(safe_next(request, next_url))


def _weak_answer_message(provider: IdentityProvider) -> str:
    if provider.citizen_eid:
        return _(
            "Your e-ID login was not recent enough or not at the level needed. "
            "Log in again with your e-ID, or choose another way."
        )
    return _("Your school login did not confirm a second factor. Choose another way.")
