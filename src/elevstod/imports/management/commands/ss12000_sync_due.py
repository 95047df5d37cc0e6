"""``manage.py ss12000_sync_due``: queue the nightly incremental runs that are due on the worker
(hourly from cron; also part of the periodic loop)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from elevstod.imports.schedule import sync_due


class Command(BaseCommand):
    help = "Queue the SS 12000 incremental runs that are due (SS12000_SYNC_INTERVAL_HOURS)."

    def handle(self, *args: Any, **options: Any) -> None:
        for run in sync_due():
            self.stdout.write(f"queued run {run.pk} of {run.source.name}")
