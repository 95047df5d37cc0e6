"""The SAML2 endpoints: metadata, starting a login at an identity provider, and the assertion
consumer service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import FederationDevice, IdentityProvider
from .saml import (
    Assertion,
    AssertionRefused,
    assertion_parse,
    authn_request,
    federated_user,
    sp_metadata,
    step_up_providers,
)
from .services import session_event_record
from .stepup import safe_next, step_up_login, step_up_url
from .views import step_up_failed, step_up_succeeded

OUTSTANDING = "elevstod_saml_outstanding"
NEXT = "elevstod_saml_next"
STEP_UP_FOR = "elevstod_saml_step_up_for"  # the user asking the provider to confirm 2FA


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    return HttpResponse(sp_metadata(request), content_type="application/samlmetadata+xml")


@require_GET
def login(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.GET.get("next"))
    if not request.GET.get("idp"):
        providers = IdentityProvider.objects.filter(active=True).select_related("organiser")
        context = {"providers": providers.order_by("name"), "next": next_url}
        return render(request, "accounts/saml_choose.html", context)
    provider = get_object_or_404(IdentityProvider, pk=request.GET.get("idp"), active=True)
    step_up = bool(request.GET.get("step_up")) and request.user.is_authenticated
    if step_up and provider not in step_up_providers(request.user):
        raise Http404
    request_id, location = authn_request(request, provider, step_up=step_up)
    request.session[OUTSTANDING] = {request_id: provider.entity_id}
    request.session[NEXT] = next_url
    request.session[STEP_UP_FOR] = request.user.pk if step_up else None
    return HttpResponseRedirect(location)


def _refused(request: HttpRequest, reason: str, data: dict[str, str]) -> HttpResponse:
    session_event_record(
        code="accounts.session.login_failed", actor=None, data={"method": "saml", **data}
    )
    return render(request, "accounts/saml_refused.html", {"reason": reason}, status=403)


@csrf_exempt  # the identity provider posts here; the signed assertion is the proof
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    outstanding = request.session.pop(OUTSTANDING, None) or {}
    next_url = request.session.pop(NEXT, "/")
    stepping_up = request.session.pop(STEP_UP_FOR, None)
    try:
        assertion = assertion_parse(request, str(request.POST.get("SAMLResponse", "")), outstanding)
    except AssertionRefused as error:
        return _refused(request, "invalid", {"error": str(error)[:300]})
    user = federated_user(assertion)
    if stepping_up is not None:
        return _step_up(request, assertion, user, stepping_up, next_url)
    if user is None:
        return _refused(
            request, "unknown", {"eppn": assertion.eppn, "idp": assertion.provider.entity_id}
        )
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if assertion.two_factor:
        step_up_login(request, _federation_device(user, assertion))
    session_event_record(
        code="accounts.session.logged_in",
        actor=user,
        data={
            "method": "saml",
            "idp": assertion.provider.entity_id,
            "two_factor": assertion.two_factor,
        },
    )
    return HttpResponseRedirect(safe_next(request, next_url))


def _federation_device(user: Any, assertion: Assertion) -> Any:
    device, _created = FederationDevice.objects.get_or_create(
        user=user, defaults={"name": assertion.provider.name, "confirmed": True}
    )
    return device


def _step_up(
    request: HttpRequest, assertion: Assertion, user: Any, stepping_up: int, next_url: str
) -> HttpResponse:
    """The answer to a step-up at the identity provider: it must name the user who asked, and
    say the login was two-factor. The user stays logged in either way; only the step-up is
    granted or not."""
    if not request.user.is_authenticated or request.user.pk != stepping_up:
        return _refused(request, "invalid", {"error": "the session changed during the step-up"})
    if user is None or user.pk != request.user.pk:
        step_up_failed(request, assertion.provider.name)
        return _refused(request, "other_user", {"eppn": assertion.eppn})
    if not assertion.two_factor:
        step_up_failed(request, assertion.provider.name)
        messages.error(
            request, _("Your school login did not confirm a second factor. Choose another way.")
        )
        return HttpResponseRedirect(step_up_url(safe_next(request, next_url)))
    step_up_succeeded(request, _federation_device(user, assertion))
    return HttpResponseRedirect(safe_next(request, next_url))
