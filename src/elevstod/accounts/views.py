"""Login, logout and the step-up page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from elevstod.core.params import int_value

from .factors import (
    CODE_KINDS,
    FACTOR_MODELS,
    factor_choices,
    factor_kind,
    factors_for,
    has_backup_codes,
)
from .failures import failure_record
from .models import IdentityProvider, SMSDevice
from .saml import step_up_providers
from .services import session_event_record
from .stepup import (
    safe_next,
    step_up_audience,
    step_up_login,
    step_up_url,
    step_up_valid,
)
from .throttle import (
    Keys,
    account_normalised,
    attempt_failed,
    attempt_keys,
    attempts_blocked,
    attempts_cleared,
    client_address,
)


def login_failure_record(request: HttpRequest, *, code: str, username: str, **data: Any) -> None:
    """A failed or refused anonymous login, aggregated per account name and address."""
    failure_record(
        code=code,
        account=account_normalised(username),
        address=client_address(request),
        data={"username": username, **data},
    )


class LoginView(auth_views.LoginView):
    """The password login, throttled per account name and address together, per address and
    per account name. Unknown users and wrong passwords get the same answer, counted alike."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    keys: Keys

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["saml_enabled"] = enabled = settings.ELEVSTOD_SAML_ENABLED
        eid = IdentityProvider.objects.filter(active=True, citizen_eid=True)
        context["eid_enabled"] = enabled and eid.exists()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150]
        self.keys = attempt_keys(request, kind="password", account=username)
        if attempts_blocked(self.keys):
            login_failure_record(
                request, code="accounts.session.login_throttled", username=username
            )
            form = self.get_form_class()(request, initial={"username": username})
            context = self.get_context_data(form=form, throttled=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        attempt_failed(self.keys)
        username = str(form.data.get("username", ""))[:150]
        login_failure_record(self.request, code="accounts.session.login_failed", username=username)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        attempts_cleared(self.keys)
        session_event_record(
            code="accounts.session.logged_in", actor=form.get_user(), data={"method": "password"}
        )
        return response


class LogoutView(auth_views.LogoutView):
    """Logging out ends the session, and with it the step-up."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        if user is not None:
            session_event_record(code="accounts.session.logged_out", actor=user, data={})
            messages.success(request, _("You are logged out."))  # in the new, empty session
        return response


def code_attempt(request: HttpRequest, check: Callable[[], bool], label: str) -> bool | None:
    """Run one code check, throttled per account and per address: None when blocked."""
    keys = attempt_keys(request, kind="code", account=f"user-{request.user.pk}")
    if attempts_blocked(keys):
        session_event_record(
            code="accounts.step_up.throttled", actor=request.user, data={"device": label}
        )
        return None
    if check():
        attempts_cleared(keys)
        return True
    attempt_failed(keys)
    return False


def step_up_succeeded(request: HttpRequest, device: Any) -> None:
    step_up_login(request, device)
    session_event_record(
        code="accounts.step_up.verified", actor=request.user, data={"device": device.name}
    )


def factor_enrolled(request: HttpRequest, device: Any, next_url: str) -> str:
    """After a factor was set up: enrolling it proved the user holds it, so it completes a
    step-up not yet done; and the user is told. Returns where to go: while the user has no
    backup codes, the security page, which offers them as the next step (without them a lost
    phone locks the user out); else ``next_url`` (or the security page)."""
    if not step_up_valid(request):
        step_up_login(request, device)
    security = reverse("accounts:security")
    if not has_backup_codes(request.user):
        messages.success(
            request,
            _(
                "The second factor is set up. Next step: create backup codes, for the day "
                "you lose your phone or key."
            ),
        )
        return f"{security}?{urlencode({'next': next_url})}" if next_url else security
    messages.success(request, _("The second factor is set up."))
    return next_url or security


def step_up_failed(request: HttpRequest, label: str) -> None:
    session_event_record(code="accounts.step_up.failed", actor=request.user, data={"device": label})


def device_wait_message(device: Any) -> str:
    """django-otp makes a device wait a little longer after each wrong code (1, 2, 4… s); a code
    typed within that time is not checked at all, so say so instead of "wrong code"."""
    allowed, _info = device.verify_is_allowed()
    return "" if allowed else _("Wait a few seconds after a wrong code, then try again.")


def wrong_code_message() -> str:
    return _("Wrong or expired code. Try again.")


def throttled_message() -> str:
    return _("Too many attempts. Wait a quarter of an hour and try again.")


def _find_device(request: HttpRequest, value: str) -> Any:
    kind, _sep, pk = value.partition(":")
    model = FACTOR_MODELS.get(kind) if kind in CODE_KINDS else None
    if model is None:
        return None
    device_pk = int_value(pk, name="device", minimum=1)
    return model.objects.filter(user=request.user, confirmed=True, pk=device_pk).first()


def managing_factors_needs_step_up(request: HttpRequest) -> bool:
    """Adding or removing a second factor needs the step-up once the user has a way to verify:
    an enrolled factor, or a school login trusted to assert two-factor (Skolfederation). Only a
    user with neither enrols their first factor with the password alone."""
    if step_up_valid(request):
        return False
    return bool(factors_for(request.user)) or bool(step_up_providers(request.user))


def _idp_step_up_url(provider: Any, next_url: str) -> str:
    query = urlencode({"idp": provider.pk, "step_up": 1, "next": next_url})
    return f"{reverse('accounts:saml_login')}?{query}"


@login_required
@require_POST
def step_up_send(request: HttpRequest) -> HttpResponse:
    """Sends a code by SMS to the chosen phone, then shows the step-up page again."""
    next_url = safe_next(request, request.POST.get("next"))
    device = _find_device(request, str(request.POST.get("device", "")))
    if isinstance(device, SMSDevice):
        device.generate_challenge()
        messages.info(request, _("A code was sent to %(number)s.") % {"number": device.name})
    return redirect(step_up_url(next_url))


@login_required
@require_http_methods(["GET", "POST"])
def step_up(request: HttpRequest) -> HttpResponse:
    """Asks for the second factor, then returns the user to where they were going."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    factors = factors_for(request.user)
    providers = [(p, _idp_step_up_url(p, next_url)) for p in step_up_providers(request.user)]
    if not factors:
        # Without a factor: the school login if it can confirm 2FA, else set up a first factor.
        url = f"{reverse('accounts:security')}?{urlencode({'next': next_url})}"
        enrol = {"next": next_url, "enrol_url": "" if providers else url, "providers": providers}
        enrol["audience"] = step_up_audience(request.user)
        return render(request, "accounts/step_up.html", enrol)
    choices = factor_choices(factors)
    error = ""
    if request.method == "POST":
        device = _find_device(request, str(request.POST.get("device", "")))
        if device is None:
            return redirect(request.get_full_path())
        error = device_wait_message(device)
        if not error:
            code = str(request.POST.get("code", "")).strip()
            result = code_attempt(request, lambda: bool(device.verify_token(code)), device.name)
            if result:
                step_up_succeeded(request, device)
                return HttpResponseRedirect(next_url)
            if result is False:
                step_up_failed(request, device.name)
            error = throttled_message() if result is None else wrong_code_message()
    context: dict[str, Any] = {
        "next": next_url,
        "choices": choices,
        "has_security_key": any(factor_kind(d) == "webauthn" for d in factors),
        "providers": providers,
        "error": error,
        "audience": step_up_audience(request.user),
    }
    return render(request, "accounts/step_up.html", context, status=400 if error else 200)
