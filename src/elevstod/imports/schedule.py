"""The nightly sync: which API sources are due, queued as runs on the worker."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ImportRun, Source
from .sync import sync_start
from .tasks import sync_run


def sync_due(*, now: dt.datetime | None = None) -> list[ImportRun]:
    """Queue an incremental run on the worker for each API source whose last run started more
    than ``SS12000_SYNC_INTERVAL_HOURS`` (24: nightly) ago and that has none queued or running.
    Idempotent: run it from cron or the periodic loop as often as you like."""
    now = now or timezone.now()
    interval = dt.timedelta(hours=float(getattr(settings, "SS12000_SYNC_INTERVAL_HOURS", 24)))
    queued = []
    for source in Source.objects.exclude(base_url="").select_related("organiser"):
        runs = source.runs.exclude(kind=ImportRun.Kind.FILE)
        if runs.filter(status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]).exists():
            continue
        last = runs.order_by("-started_at").first()
        if last is not None and last.started_at > now - interval:
            continue
        run = sync_start(actor=None, source=source, full=False)
        run_id = run.pk
        transaction.on_commit(lambda run_id=run_id: sync_run.enqueue(run_id))  # type: ignore[misc]
        queued.append(run)
    return queued
