"""gunicorn's settings for ``make serve`` and the systemd unit (docs/deployment.md), read from
the environment: ``HOST``/``PORT`` (127.0.0.1:8000), ``ELEVSTOD_WEB_WORKERS`` (4 sync worker
processes), ``ELEVSTOD_WEB_TIMEOUT`` (60 s), ``ELEVSTOD_FORWARDED_ALLOW_IPS`` (the proxy's
address, 127.0.0.1). No access log: the app writes one JSON line per request without the query
string (core/observability.py); gunicorn's own messages are JSON lines too."""

from __future__ import annotations

import os
from typing import Any

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("ELEVSTOD_WEB_WORKERS", "4"))
worker_class = "sync"
timeout = int(os.environ.get("ELEVSTOD_WEB_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced after this many requests: memory cannot creep up over weeks.
max_requests = int(os.environ.get("ELEVSTOD_WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("ELEVSTOD_FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket (gunicornc): it sits at one path per user, and two servers on one host
# would take each other's.
control_socket_disable = True
accesslog = None
errorlog = "-"
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "elevstod.core.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


def child_exit(server: Any, worker: Any) -> None:
    """A worker process ended: its request counters leave the metrics (multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def post_worker_init(worker: Any) -> None:
    """Ready the new worker before its first request (``warmup.py``)."""
    from elevstod.config.warmup import warm

    warm()
