"""What the talk and plan pages share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.views.decorators.http import require_http_methods

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.support.forms.common import ServiceForm

GET_POST = require_http_methods(["GET", "POST"])


def run(
    request: SignedInRequest, form: ServiceForm | None, call: Callable[[], Any], success: str
) -> bool:
    """Call one service; on refusal show why (next to the field when there is one), keeping
    what was typed. A refusal for lack of access is the same 404 as a missing page."""
    try:
        call()
    except AccessDenied:
        raise
    except DomainError as error:
        if error.code == "forbidden":
            raise AccessDenied() from error
        if form is not None:
            form.add_domain_error(error)
        else:
            messages.error(request, str(error.message))
        return False
    messages.success(request, success)
    return True
