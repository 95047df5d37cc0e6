"""Structured logs of requests: one JSON line per request (request id, user id, method, route,
path, status, duration, through ``logs.JsonFormatter``) and the request's metrics.

What is logged about a request is chosen so that no pupil's name or personal identity number
ever reaches a log line: the path without its query string (searches type names into the query
string), and the user's id rather than a name. ``tests/test_logs_hold_no_personal_data.py``
walks the pupil pages and scans what was logged."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import metrics
from .logs import request_id_set

request_logger = logging.getLogger("elevstod.request")
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # a proxy's X-Request-ID, if it looks sane
REQUEST_ID_HEADER = "X-Request-ID"


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else "unmatched"


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


class RequestLogMiddleware:
    """Outermost middleware: gives the request an id (the proxy's ``X-Request-ID`` when it sent
    a well-formed one), answers with it, and logs and counts the request when it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        reset = request_id_set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            route = _route(request)
            response.headers[REQUEST_ID_HEADER] = request_id
            metrics.request_observed(
                route=route,
                method=request.method or "",
                status=response.status_code,
                seconds=seconds,
            )
            request_logger.info(
                "request",
                extra={
                    "http": {
                        "user_id": _user_id(request),
                        "method": request.method,
                        "route": route,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round(seconds * 1000, 1),
                    }
                },
            )
            return response
        finally:
            reset()
