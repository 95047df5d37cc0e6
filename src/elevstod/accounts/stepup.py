"""The step-up: every URL of a protected namespace (``support``) needs a verified second factor
in the session, used within the last ``ELEVSTOD_STEP_UP_IDLE_MINUTES``.

Keyed on the resolved URL namespace, so a new support page is covered without doing anything.
Anonymous users pass through to the view, which sends them to the login page. A user with no
staff duty (a guardian, a pupil) gets the 404 page of any refused access: the staff area is not
theirs, so they are neither told it exists nor invited to set up a second factor for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

import django_otp
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from django_otp.models import Device

from elevstod.organisation.access import scope_for

from .verification import DEVICE_OK, expect_device, verification_end

STAMP_SESSION_KEY = "elevstod_step_up_at"
# When the second factor was last verified (not refreshed by activity): for a step that asks
# for a fresh verification, such as a party confirming receipt of a decision.
VERIFIED_SESSION_KEY = "elevstod_step_up_verified_at"
FRESH_SECONDS = 10 * 60
_RESTAMP_SECONDS = 60  # write the session at most once a minute for the idle clock


def step_up_login(request: HttpRequest, device: Device) -> None:
    """Record in the session that ``device`` verified the user now."""
    django_otp.login(request, device)
    request.session[STAMP_SESSION_KEY] = request.session[VERIFIED_SESSION_KEY] = time.time()


def session_mark_verified(session: Any, device: Device) -> None:
    """The same, for a session outside a request (tests that log in with force_login)."""
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[STAMP_SESSION_KEY] = session[VERIFIED_SESSION_KEY] = time.time()
    session.save()


def step_up_valid(request: HttpRequest) -> bool:
    """True when the user verified a second factor and has not been idle since; an expired
    verification is dropped from the session."""
    user: Any = request.user
    if not (user.is_authenticated and user.is_verified()):
        return False
    now = time.time()
    stamp = float(request.session.get(STAMP_SESSION_KEY, 0))
    if now - stamp > settings.ELEVSTOD_STEP_UP_IDLE_MINUTES * 60:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        request.session.pop(STAMP_SESSION_KEY, None)
        verification_end(user)
        return False
    if now - stamp > _RESTAMP_SECONDS:
        request.session[STAMP_SESSION_KEY] = now
    return True


def step_up_fresh(request: HttpRequest, seconds: int = FRESH_SECONDS) -> bool:
    """True when the user verified their own second factor within the last ``seconds``, in
    this session (a step-up long ago, kept alive by activity, is not fresh)."""
    verified = float(request.session.get(VERIFIED_SESSION_KEY, 0))
    return step_up_valid(request) and time.time() - verified <= seconds


def step_up_audience(user: Any) -> str:
    """Who is asked for the second factor, for the pages that say why: ``"support"``, staff who
    work with pupils' support (principal, teacher, pupil health); ``"staff"``, other duties
    (administrator, analyst, data protection officer), whose pages behind the step-up are others;
    ``"family"``, no duty (a guardian, a pupil), who read the decisions of which they are party."""
    scope = scope_for(user)
    if scope.principal_units or scope.teacher_units or scope.health_units:
        return "support"
    return "staff" if scope.has_duty else "family"


def safe_next(request: HttpRequest, candidate: str | None, default: str = "/") -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def step_up_url(next_url: str) -> str:
    return f"{reverse('accounts:step_up')}?{urlencode({'next': next_url})}"


def step_up_redirect(request: HttpRequest) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    if htmx:
        current = safe_next(request, htmx.current_url_abs_path, request.get_full_path())
        return HttpResponseClientRedirect(step_up_url(current))
    next_url = request.get_full_path() if request.method == "GET" else request.path
    return HttpResponseRedirect(step_up_url(next_url))


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware, but the session's device is checked in the query that reads the
    user (``accounts.verification``) instead of a query of its own; read on its own only when
    the user was read without that check. ``user.otp_device`` is set only by a verification in
    this request (``step_up_login``) or when the device was read."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if persistent_id:
            persistent_id = self._normalize_persistent_id(persistent_id)
        expect_device(persistent_id)
        user.otp_device = None

        def is_verified() -> bool:
            if user.otp_device is not None:
                return True
            if not (persistent_id and user.is_authenticated):
                return False
            ok = getattr(user, DEVICE_OK, None)
            if ok is None:  # read without the check: read the device, as django-otp does
                device = self._device_from_persistent_id(persistent_id)
                user.otp_device = self._finalize_device(request, user, device)
                ok = user.otp_device is not None
                setattr(user, DEVICE_OK, ok)
            elif not ok:  # removed, unconfirmed or another user's: out of the session
                request.session.pop(DEVICE_ID_SESSION_KEY, None)
            return bool(ok)

        user.is_verified = is_verified
        return user


class StepUpMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.namespaces = frozenset(settings.ELEVSTOD_STEP_UP_NAMESPACES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not self.namespaces.intersection(match.namespaces):
            return None
        if not request.user.is_authenticated:
            return None
        if not scope_for(request.user).has_duty:
            return render(request, "404.html", status=404)  # as DomainErrorMiddleware does
        if step_up_valid(request):
            return None
        return step_up_redirect(request)
