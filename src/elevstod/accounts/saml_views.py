"""The SAML2 endpoints: metadata, starting a login at an identity provider, and the assertion
consumer service."""

from __future__ import annotations

from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import FederationDevice, IdentityProvider
from .saml import AssertionRefused, assertion_parse, authn_request, federated_user, sp_metadata
from .services import session_event_record
from .stepup import safe_next, step_up_login

OUTSTANDING = "elevstod_saml_outstanding"
NEXT = "elevstod_saml_next"


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
    request_id, location = authn_request(request, provider)
    request.session[OUTSTANDING] = {request_id: provider.entity_id}
    request.session[NEXT] = next_url
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
    try:
        assertion = assertion_parse(request, str(request.POST.get("SAMLResponse", "")), outstanding)
    except AssertionRefused as error:
        return _refused(request, "invalid", {"error": str(error)[:300]})
    user = federated_user(assertion)
    if user is None:
        return _refused(
            request, "unknown", {"eppn": assertion.eppn, "idp": assertion.provider.entity_id}
        )
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if assertion.two_factor:
        device, _created = FederationDevice.objects.get_or_create(
            user=user, defaults={"name": assertion.provider.name, "confirmed": True}
        )
        step_up_login(request, device)
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
