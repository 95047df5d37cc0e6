"""What the health and readiness endpoints check: the database answers, the task queue answers
(and how deep it is), every static file the base page links to resolves in the static storage
(under production settings a missing ``collectstatic`` makes every page a server error), and,
for readiness, that no migration is waiting.

Each check returns a ``Check``; none raises, so one failing check never hides another."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connection
from django.db.models import Count, QuerySet

from .compiled import compiled_rows

BASE_TEMPLATE = "base.html"
_STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return Check("database", False, type(error).__name__)
    return Check("database", True)


def queue_depth() -> int | None:
    """Tasks waiting in the default queue of the configured backend; None for backends without
    a queue (immediate, dummy). Raises when the queue cannot be reached."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_db.DatabaseBackend":
        rows = compiled_rows("core:queue_depth", _waiting)  # asked every few seconds
        return int(rows[0]["n"]) if rows else 0
    if backend == "django_tasks_rq.RQBackend":
        import redis
        from rq import Queue

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
        return int(Queue("default", connection=client).count)
    return None


def _waiting() -> QuerySet[Any]:
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY").order_by()
    return waiting.values("status").annotate(n=Count("pk"))


def queue() -> Check:
    try:
        depth = queue_depth()
    except Exception as error:  # the queue is down or unreachable: report, never raise
        return Check("queue", False, type(error).__name__)
    return Check("queue", True, "" if depth is None else f"{depth} waiting")


@cache
def _static_names() -> tuple[str, ...]:
    """The static files the base template links to (every page extends it)."""
    folders: list[Path] = list(settings.TEMPLATES[0]["DIRS"])  # type: ignore[call-overload]
    for folder in folders:
        path = Path(folder) / BASE_TEMPLATE
        if path.exists():
            return tuple(_STATIC_TAG.findall(path.read_text(encoding="utf-8")))
    return ()


def static_files() -> Check:
    missing = []
    for name in _static_names():
        try:
            staticfiles_storage.url(name)
        except ValueError:  # the manifest has no entry (or there is no manifest)
            missing.append(name)
    if missing:
        return Check("static", False, "not collected: " + ", ".join(missing))
    return Check("static", True)


def migrations() -> Check:
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return Check("migrations", False, type(error).__name__)
    if plan:
        return Check("migrations", False, f"{len(plan)} not applied")
    return Check("migrations", True)


def health() -> list[Check]:
    return [database(), queue(), static_files()]


def readiness() -> list[Check]:
    return [*health(), migrations()]
