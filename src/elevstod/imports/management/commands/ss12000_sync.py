"""``manage.py ss12000_sync --source NAME [--full] [--confirm]``: synchronise with a source's
SS 12000 API (incremental since the last successful run unless --full), showing progress. Run
it from cron or a systemd timer; the worker runs it nightly too (SS12000_SYNC_INTERVAL_HOURS)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from elevstod.imports.commands import print_run, progress_printer, source_named
from elevstod.imports.models import ImportRun
from elevstod.imports.sync import sync_execute, sync_start


class Command(BaseCommand):
    help = "Synchronise with an SS 12000 API source."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", help="the source's name (needed when there are several)")
        parser.add_argument("--full", action="store_true", help="read everything, not changes")
        parser.add_argument(
            "--confirm", action="store_true", help="end pupils' placements past the guard"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = source_named(options["source"])
        run = sync_start(
            actor=None, source=source, full=options["full"], confirmed=options["confirm"]
        )
        run = sync_execute(run=run, actor=None, progress=progress_printer(self.stderr))
        print_run(run, self.stdout)
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.message)
