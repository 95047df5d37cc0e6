"""Prometheus metrics: requests and their latency per route (counted in each server process),
and gauges read from the database when the metrics are scraped (the task queue's depth here;
other apps declare theirs with ``register_gauge`` from their ``registrations.py``, e.g. failed
deliveries).

Under gunicorn each worker process counts its own requests; with ``PROMETHEUS_MULTIPROC_DIR``
set (``scripts/serve.sh`` does) the processes write their counters to files there and a scrape
adds up all of them (prometheus-client's multiprocess mode). Labels are route names and status
codes, never a path: paths carry ids, and a bounded set of labels keeps the series bounded."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "elevstod_http_requests_total",
    "HTTP requests answered, by route and status code.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "elevstod_http_request_duration_seconds",
    "Time to answer an HTTP request, by route.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    read: Callable[[], float | None]  # None: not applicable (e.g. a backend without a queue)


_GAUGES: dict[str, Gauge] = {}


def register_gauge(name: str, documentation: str, read: Callable[[], float | None]) -> None:
    _GAUGES[name] = Gauge(name, documentation, read)


def request_observed(*, route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    LATENCY.labels(route=route).observe(seconds)


class _DeclaredGauges(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        for gauge in _GAUGES.values():
            value = gauge.read()
            if value is not None:
                yield GaugeMetricFamily(gauge.name, gauge.documentation, value=value)


def _queue_depth() -> float | None:
    from .health import queue_depth

    depth = queue_depth()
    return None if depth is None else float(depth)


register_gauge("elevstod_task_queue_depth", "Tasks waiting in the default queue.", _queue_depth)


def exposition() -> bytes:
    """The text format of every metric: all server processes' counters, then the gauges."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ThisProcess())
    registry.register(_DeclaredGauges())
    return bytes(generate_latest(registry))


class _ThisProcess(Collector):
    def collect(self) -> Iterator[Metric]:
        yield from REQUESTS.collect()
        yield from LATENCY.collect()
