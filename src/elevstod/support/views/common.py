"""Helpers shared by the special support views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.views.decorators.http import require_http_methods

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import DomainError
from elevstod.organisation.access import staff_with_access_to
from elevstod.organisation.models import Person

from ..forms.common import ServiceForm

GET_POST = require_http_methods(["GET", "POST"])


def run(
    request: SignedInRequest, form: ServiceForm | None, call: Callable[[], Any], success: str
) -> bool:
    """Call a service; on refusal show why (next to the field when there is one)."""
    try:
        call()
    except DomainError as error:
        if form is not None:
            form.add_domain_error(error)
        else:
            messages.error(request, str(error.message))
        return False
    messages.success(request, success)
    return True


def staff_of(pupil: Person) -> list[Person]:
    return list(staff_with_access_to(pupil).order_by("family_name", "given_name"))
