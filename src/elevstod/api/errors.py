"""Errors as JSON: a code, the message in Swedish and in English, and the field it is about.

The services' refusals are the forms' refusals: ``FieldError`` (400, with its field),
``StaleVersion`` (409, with the current version), ``AccessDenied`` (404, the same answer as for
an object that does not exist), other ``DomainError`` (403 when the actor may not, else 422).
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from rest_framework import exceptions, status
from rest_framework.response import Response

from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.params import BadParameter
from elevstod.support.errors import FieldError, StaleVersion

NOT_FOUND = _("Not found.")

# The codes of the framework's own refusals, in our words (Swedish and English).
DRF_MESSAGES = {
    "required": _("This value is required."),
    "blank": _("Write something here."),
    "null": _("This value cannot be empty."),
    "invalid": _(
        "This value is not valid: see the API reference for its form (dates as YYYY-MM-DD)."
    ),
    "invalid_choice": _("Choose one of the values the API reference lists."),
    "not_a_list": _("Send a list here."),
    "max_length": _("Send fewer values or a shorter text."),
    "min_value": _("The number is too small."),
    "max_value": _("The number is too large."),
    "max_string_length": _("The number is too large."),
    "parse_error": _("The request is not valid JSON."),
    "unsupported_media_type": _("Send JSON (Content-Type: application/json)."),
    "not_authenticated": _("Send a token: Authorization: Bearer <token>."),
    "authentication_failed": _("The token is not valid: unknown, expired or revoked."),
    "permission_denied": _("The token lacks the scope for this request (read or write)."),
    "method_not_allowed": _("This address does not take this method."),
    "throttled": _("Too many requests with this token: wait the seconds in Retry-After."),
    "not_found": NOT_FOUND,
}


def _message(code: str, detail: Any) -> Any:
    return DRF_MESSAGES.get(code, detail)


def both_languages(message: Any) -> dict[str, str]:
    """The message in Swedish and English (a text already rendered stays as it is)."""
    texts = {}
    for language in ("sv", "en"):
        with translation.override(language):
            texts[language] = str(message)
    return texts


def error_body(code: str, message: Any, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": both_languages(message), "field": field, **extra}


class Stale(Exception):
    """A write started from an old version: answered 409 with the current one."""

    def __init__(self, error: StaleVersion, current: dict[str, Any]) -> None:
        super().__init__(str(error))
        self.error = error
        self.current = current


def _drf_error(exc: exceptions.APIException) -> Response:
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        field, messages = next(iter(exc.detail.items()))
        first = messages[0] if isinstance(messages, list) and messages else messages
        if isinstance(first, dict):  # a nested serializer: its first field
            field, inner = next(iter(first.items()))
            first = inner[0] if isinstance(inner, list) else inner
        code = str(getattr(first, "code", "invalid"))
        name = None if field == "non_field_errors" else str(field)
        return Response(error_body(code, _message(code, first), name), status=exc.status_code)
    detail = exc.detail
    first = detail[0] if isinstance(detail, list) and detail else detail
    codes = exc.get_codes()
    code = str(codes[0] if isinstance(codes, list) and codes else codes)
    response = Response(error_body(code, _message(code, first)), status=exc.status_code)
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait is not None:
        response["Retry-After"] = str(math.ceil(wait))
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Stale):
        body = error_body("stale", exc.error.message, None, current=exc.current)
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, AccessDenied | Http404 | ObjectDoesNotExist):
        return Response(error_body("not_found", NOT_FOUND), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, FieldError):
        return Response(error_body("invalid", exc.message, exc.field), status=400)
    if isinstance(exc, StaleVersion):
        return Response(error_body("stale", exc.message), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DomainError):
        code = 403 if exc.code == "forbidden" else 422
        return Response(error_body(exc.code, exc.message), status=code)
    if isinstance(exc, BadParameter):
        return Response(error_body("invalid", exc.message, exc.name), status=400)
    if isinstance(exc, exceptions.APIException):
        response = _drf_error(exc)
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    return None
