"""The JSON endpoints of the security-key ceremonies, called by ``accounts/webauthn.js``.

They are django-otp-webauthn's views with the project's rules added: enrolling a key needs the
step-up once the user has a factor (as the other factors do), a key is a second factor only,
failed and throttled verifications count like wrong codes, and every outcome is an audit event.
Errors answer ``{"code", "message"}`` with a message for the user in their language.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from elevstod.core.errors import DomainError

from . import services
from .models import User
from .stepup import safe_next
from .views import (
    code_attempt,
    factor_enrolled,
    managing_factors_needs_step_up,
    step_up_failed,
    step_up_succeeded,
    throttled_message,
)
from .webauthn import ceremony_errors


class Throttled(exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_code = "throttled"


def _message(code: str, registering: bool) -> str:
    if code == "throttled":
        return throttled_message()
    if code == "duplicate":
        return _("This security key is already registered.")
    if code in {"user_not_verified", "not_authenticated"}:
        return _("Confirm your login with your second factor first, then try again.")
    if code in {"invalid_state", "expired"}:
        return _("The request had expired. Try again.")
    if code in {"credential_not_found", "credential_user_mismatch", "credential_disabled"}:
        return _("This security key is not registered for your account.")
    if registering:
        return _("The security key could not be registered. Try again.")
    return _("The security key could not be used. Try again, or confirm another way.")


class _Answers:
    """Every refusal as JSON with a translated message; nothing reaches the user as a 500."""

    registering = False

    def _parse_request_data(self, request: HttpRequest) -> Any:
        try:
            return super()._parse_request_data(request)  # type: ignore[misc]
        except ValueError as error:  # e.g. a body that is not UTF-8
            raise exceptions.MalformedRequest() from error

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, DomainError):
            exc = exceptions.UnprocessableEntity(code=exc.code or "refused")
        if not isinstance(exc, exceptions.OTPWebAuthnApiError):
            raise exc
        body = {"code": exc.code, "message": _message(exc.code, self.registering)}
        return JsonResponse(body, status=exc.status_code)


class RegisterBegin(_Answers, BeginCredentialRegistrationView):
    registering = True

    def check_can_register(self) -> None:
        if managing_factors_needs_step_up(self.request):
            raise exceptions.NotVerified()


class RegisterComplete(_Answers, CompleteCredentialRegistrationView):
    registering = True

    def check_can_register(self) -> None:
        if managing_factors_needs_step_up(self.request):
            raise exceptions.NotVerified()

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        user: User = request.user  # behind login (the library's request is untyped)
        state = self.get_state()
        data: Any = getattr(request, "data", {})
        device = services.webauthn_enrol_confirm(
            user=user,
            helper=self.get_helper(),
            state=state,
            credential=data.get("credential") if isinstance(data, dict) else None,
            name=str(data.get("name", "")) if isinstance(data, dict) else "",
        )
        next_url = safe_next(request, request.GET.get("next"), "")
        return JsonResponse({"redirect_url": factor_enrolled(request, device, next_url)})


class VerifyBegin(_Answers, BeginCredentialAuthenticationView):
    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()


class VerifyComplete(_Answers, CompleteCredentialAuthenticationView):
    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        state = self.get_state()
        found: list[Any] = []
        refused: list[exceptions.OTPWebAuthnApiError] = []

        def check() -> bool:
            try:
                with ceremony_errors():
                    device = self.get_helper().authenticate_complete(
                        user=request.user, state=state, data=getattr(request, "data", {})
                    )
                self.check_device_usable(device)
            except exceptions.OTPWebAuthnApiError as error:
                refused.append(error)
                return False
            found.append(device)
            return True

        result = code_attempt(request, check, "webauthn")
        if result is None:
            raise Throttled()
        if not result:
            step_up_failed(request, "webauthn")
            raise refused[0]
        step_up_succeeded(request, found[0])
        return JsonResponse({"redirect_url": safe_next(request, request.GET.get("next"))})
