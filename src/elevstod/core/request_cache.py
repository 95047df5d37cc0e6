"""Work done once per request: a dictionary per namespace that lives as long as the request.

Outside a request (services called by commands, workers, tests) there is no cache and every
call does its own work, so nothing read there can go stale.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

_store: ContextVar[dict[str, dict[Any, Any]] | None] = ContextVar(
    "elevstod_request_cache", default=None
)


def request_cache(namespace: str) -> dict[Any, Any] | None:
    """The request's dictionary for ``namespace``; None outside a request."""
    store = _store.get()
    return None if store is None else store.setdefault(namespace, {})


class RequestCacheMiddleware:
    """Opens the cache for the request and drops it with the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)
