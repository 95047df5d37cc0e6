"""Helpers shared by the special support views: each step of a page is one small POST view that
parses its form, calls one service through ``run`` and goes back to the page, or shows the page
again with the bound form when the input or the service said no."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import DomainError
from elevstod.organisation.models import Person
from elevstod.organisation.staff_access import staff_with_access_to

from ..forms.common import ServiceForm

GET_POST = require_http_methods(["GET", "POST"])
POST = require_POST

T = TypeVar("T")

# What a step view shows when its form or its service said no: the page with the bound form.
Page = Callable[[ServiceForm], HttpResponse]


def run(
    request: SignedInRequest,
    form: ServiceForm | None,
    call: Callable[[], T],
    success: str,
) -> T | None:
    """Call a service and return what it returns; on refusal show why (next to the field when
    there is one) and return None."""
    try:
        result = call()
    except DomainError as error:
        if form is not None:
            form.add_domain_error(error)
        else:
            messages.error(request, str(error.message))
        return None
    messages.success(request, success)
    return result


def form_step(
    request: SignedInRequest,
    form: ServiceForm,
    call: Callable[[dict[str, Any]], object],
    success: str,
    *,
    back: HttpResponse,
    page: Page,
) -> HttpResponse:
    """One step that posts a form: on success ``back``; else ``page`` with the form and its
    typed text."""
    if not form.is_valid():
        return page(form)
    done = run(request, form, lambda: call(form.cleaned_data), success)
    return back if done is not None else page(form)


def plain_step(
    request: SignedInRequest, call: Callable[[], object], success: str, *, to: str, pk: int
) -> HttpResponse:
    """One step without a form (a button): the service's answer as a message, then the page."""
    run(request, None, call, success)
    return redirect(to, pk)


def staff_of(pupil: Person) -> list[Person]:
    return list(staff_with_access_to(pupil).order_by("family_name", "given_name"))
