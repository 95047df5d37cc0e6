"""The user's own security page (enrol and remove second factors) and the administrators' page
for staff who lost their phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice

from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.models import active_on
from elevstod.core.params import int_param
from elevstod.organisation.access import scope_for
from elevstod.organisation.models import Duty

from . import services, tokens
from .factors import KIND_LABELS, factor_kind, factors_for
from .models import SMSDevice, User
from .stepup import safe_next, step_up_audience, step_up_redirect, step_up_valid
from .views import (
    code_attempt,
    device_wait_message,
    factor_enrolled,
    managing_factors_needs_step_up,
    throttled_message,
    wrong_code_message,
)


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)  # the views require login


def _security_url(next_url: str) -> str:
    url = reverse("accounts:security")
    return f"{url}?{urlencode({'next': next_url})}" if next_url != "/" else url


def _rows(user: User) -> list[dict[str, Any]]:
    return [
        {"kind": factor_kind(d), "label": KIND_LABELS[factor_kind(d)], "device": d}
        for d in factors_for(user)
    ]


@login_required
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    if managing_factors_needs_step_up(request):
        return step_up_redirect(request)
    rows = _rows(_me(request))
    context = {
        "rows": rows,
        "next": safe_next(request, request.GET.get("next"), ""),
        "has_phone_or_app": any(r["kind"] != "backup" for r in rows),
        "has_backup_codes": any(r["kind"] == "backup" for r in rows),
        "is_administrator": bool(scope_for(request.user).admin_units),
        "audience": step_up_audience(request.user),
        **_token_context(_me(request)),
    }
    return render(request, "accounts/security.html", context)


# --- personal access tokens for the REST API --------------------------------------------------


def _token_context(user: User) -> dict[str, Any]:
    may = scope_for(user).has_duty
    return {
        "may_create_tokens": may,
        "access_tokens": list(tokens.tokens_of(user).filter(revoked_at__isnull=True))
        if may
        else [],
        "token_days": tokens.EXPIRY_CHOICES,
    }


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token after the step-up; it is shown once, on the answer to this post."""
    if not step_up_valid(request):
        return step_up_redirect(request)
    try:
        row, token = tokens.token_create(
            user=_me(request),
            name=str(request.POST.get("name", "")),
            days=int_param(request.POST, "days", default=90),
            scopes=request.POST.getlist("scopes"),
        )
    except DomainError as refused:
        messages.error(request, str(refused.message))
        return redirect("accounts:security")
    response = render(request, "accounts/token_created.html", {"row": row, "token": token})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    if not step_up_valid(request):
        return step_up_redirect(request)
    try:
        tokens.token_revoke(user=_me(request), pk=int_param(request.POST, "pk", default=0))
        messages.success(request, _("The token was revoked. It no longer works."))
    except DomainError as refused:
        messages.error(request, str(refused.message))
    return redirect("accounts:security")


def _code_result(request: HttpRequest, device: Any, confirm: Callable[[], bool]) -> str:
    """Run an enrolment confirmation under the code throttle: '' on success, else the error."""
    wait = device_wait_message(device)
    if wait:
        return wait
    result = code_attempt(request, confirm, "enrolment")
    if result is None:
        return throttled_message()
    return "" if result else wrong_code_message()


def _enrolled(request: HttpRequest, device: Any, next_url: str) -> HttpResponse:
    return redirect(factor_enrolled(request, device, next_url))


@login_required
@require_http_methods(["GET", "POST"])
def sms_enrol(request: HttpRequest) -> HttpResponse:
    if managing_factors_needs_step_up(request):
        return step_up_redirect(request)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"), "")
    context: dict[str, Any] = {"next": next_url, "number": request.POST.get("number", "")}
    if request.method == "POST" and request.POST.get("step") == "code":
        device = SMSDevice.objects.filter(
            user=_me(request), confirmed=False, pk=int_param(request.POST, "device", default=0)
        ).first()
        if device is None:
            return redirect(request.get_full_path())
        try:
            error = _code_result(
                request,
                device,
                lambda: services.sms_enrol_confirm(
                    user=_me(request), device=device, code=str(request.POST.get("code", ""))
                ),
            )
        except DomainError as refused:
            error = str(refused.message)
        if not error:
            return _enrolled(request, device, next_url)
        context.update(device=device, error=error)
    elif request.method == "POST":
        try:
            context["device"] = services.sms_enrol_start(
                user=_me(request), number=str(request.POST.get("number", ""))
            )
        except DomainError as refused:
            context["error"] = str(refused.message)
    status = 400 if context.get("error") else 200
    return render(request, "accounts/sms_enrol.html", context, status=status)


def _qr_data_uri(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2))


def _base32_key(device: TOTPDevice) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
@require_http_methods(["GET", "POST"])
def totp_enrol(request: HttpRequest) -> HttpResponse:
    if managing_factors_needs_step_up(request):
        return step_up_redirect(request)
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"), "")
    error = ""
    if request.method == "POST":
        device = TOTPDevice.objects.filter(
            user=_me(request), confirmed=False, pk=int_param(request.POST, "device", default=0)
        ).first()
        if device is None:
            return redirect(request.get_full_path())
        code = str(request.POST.get("code", ""))
        error = _code_result(
            request,
            device,
            lambda: services.totp_enrol_confirm(user=_me(request), device=device, code=code),
        )
        if not error:
            return _enrolled(request, device, next_url)
    else:
        device = services.totp_enrol_start(user=_me(request))
    context = {
        "device": device,
        "qr": _qr_data_uri(device),
        "key": _base32_key(device),
        "next": next_url,
        "error": error,
    }
    return render(request, "accounts/totp_enrol.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET"])
def webauthn_enrol(request: HttpRequest) -> HttpResponse:
    """The page that registers a security key or passkey (the ceremony runs in the browser,
    against the endpoints in ``webauthn_views``)."""
    if managing_factors_needs_step_up(request):
        return step_up_redirect(request)
    context = {
        "next": safe_next(request, request.GET.get("next"), ""),
        "name_length": services.WEBAUTHN_NAME_LENGTH,
    }
    return render(request, "accounts/webauthn_enrol.html", context)


@login_required
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    if managing_factors_needs_step_up(request):
        return step_up_redirect(request)
    try:
        codes = services.backup_codes_generate(user=_me(request))
    except DomainError as refused:
        messages.error(request, str(refused.message))
        return redirect("accounts:security")
    context = {"codes": codes, "next": safe_next(request, request.POST.get("next"), "")}
    return render(request, "accounts/backup_codes.html", context)


@login_required
@require_POST
def factor_remove(request: HttpRequest) -> HttpResponse:
    if managing_factors_needs_step_up(request):
        return step_up_redirect(request)
    _remove(request, _me(request))
    return redirect("accounts:security")


def _remove(request: HttpRequest, user: User) -> None:
    try:
        services.factor_remove(
            actor=_me(request),
            user=user,
            model=str(request.POST.get("kind", "")),
            pk=int_param(request.POST, "pk", default=0),
        )
        messages.success(request, _("The second factor was removed."))
    except DomainError:
        messages.error(request, _("Unknown factor."))


def _managed_staff(actor: AnyUser) -> QuerySet[User]:
    """Users with an active duty at a unit where ``actor`` is an administrator."""
    units = scope_for(actor).admin_units
    if not units:
        raise AccessDenied()
    staff = Duty.objects.filter(active_on(), unit_id__in=units).values("person_id")
    return (
        User.objects.filter(person_id__in=staff, is_active=True)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_factors(request: HttpRequest) -> HttpResponse:
    """An administrator removes the factors of a staff member at their units (lost phone)."""
    staff = _managed_staff(request.user)
    if not step_up_valid(request):
        return step_up_redirect(request)
    if request.method == "POST":
        user = staff.filter(pk=int_param(request.POST, "user", default=0)).first()
        if user is None:
            raise AccessDenied()
        _remove(request, user)
        return redirect("accounts:staff_factors")
    people = [{"user": u, "rows": _rows(u)} for u in staff]
    return render(request, "accounts/staff_factors.html", {"people": people})
