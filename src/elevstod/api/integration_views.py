"""The organiser's administrator's page of system integrations: the clients, a new one (its
secret shown once) and revoking one. After the step-up, like the access tokens."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from elevstod.accounts.http import SignedInRequest
from elevstod.accounts.stepup import step_up_redirect, step_up_valid
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.params import id_param, int_value
from elevstod.organisation.models import Organiser

from . import integrations
from .models import IntegrationClient


def _organisers(request: HttpRequest) -> list[Organiser]:
    organisers = list(integrations.organisers_administered_by(request.user))
    if not organisers:
        raise AccessDenied("not an administrator")
    return organisers


@login_required
@require_GET
def clients(request: HttpRequest) -> HttpResponse:
    organisers = _organisers(request)
    if not step_up_valid(request):
        return step_up_redirect(request)
    context = {
        "organisers": [(o, list(integrations.grantable_units(o))) for o in organisers],
        "clients": list(integrations.clients_administered_by(request.user)),
        "scopes": IntegrationClient.Scope.choices,
        "form_token": secrets.token_urlsafe(24),
    }
    return render(request, "api/integrations.html", context)


@login_required
@require_POST
def client_create(request: SignedInRequest) -> HttpResponse:
    _organisers(request)
    if not step_up_valid(request):
        return step_up_redirect(request)
    try:
        client, secret = integrations.integration_client_create(
            actor=request.user,
            organiser_id=id_param(request.POST, "organiser"),
            name=str(request.POST.get("name", "")),
            scopes=request.POST.getlist("scopes"),
            unit_ids=[int_value(v, name="units") for v in request.POST.getlist("units")],
            token=str(request.POST.get("token", ""))[:64],
        )
    except DomainError as refused:
        messages.error(request, str(refused.message))
        return redirect("integrations:clients")
    response = render(request, "api/integration_created.html", {"client": client, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def client_revoke(request: SignedInRequest) -> HttpResponse:
    _organisers(request)
    if not step_up_valid(request):
        return step_up_redirect(request)
    integrations.integration_client_revoke(actor=request.user, pk=id_param(request.POST, "pk"))
    messages.success(request, _("The client was revoked. Its tokens no longer work."))
    return redirect("integrations:clients")
