"""Health, readiness and metrics, for load balancers and monitoring.

``/healthz``: the database, the task queue and the static files the pages link to; 503 when one
fails. ``/readyz``: the same and no migration waiting, so a load balancer sends no traffic to a
server whose code is ahead of the database during an upgrade. ``/metrics``: Prometheus text,
only with ``Authorization: Bearer <ELEVSTOD_METRICS_TOKEN>`` (without a token set it does not
exist). The answers name the checks and their state, nothing about anybody's data."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from . import health, metrics


def _answer(checks: list[health.Check]) -> JsonResponse:
    ok = all(check.ok for check in checks)
    body = {
        "status": "ok" if ok else "fail",
        "checks": {
            c.name: ("ok" if c.ok else "fail") + (f": {c.detail}" if c.detail else "")
            for c in checks
        },
    }
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return _answer(health.health())


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    return _answer(health.readiness())


def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    expected = settings.ELEVSTOD_METRICS_TOKEN
    if not expected:
        raise Http404
    if not hmac.compare_digest(_bearer(request).encode(), expected.encode()):
        response = HttpResponse("a metrics token is required\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    response = HttpResponse(metrics.exposition(), content_type="text/plain; version=0.0.4")
    response["Cache-Control"] = "no-store"
    return response
