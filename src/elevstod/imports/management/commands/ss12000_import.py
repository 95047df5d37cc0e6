"""``manage.py ss12000_import PATH --source NAME [--confirm]``: import an SS 12000 file export
(a folder or a zip with one JSON file per entity kind), showing progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from elevstod.imports.commands import print_run, progress_printer, source_named
from elevstod.imports.files import FileExport
from elevstod.imports.models import ImportRun
from elevstod.imports.runs import SourceError, run_execute
from elevstod.imports.services import run_create


class Command(BaseCommand):
    help = "Import an SS 12000 file export (a folder or a zip of JSON files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", help="the source's name (needed when there are several)")
        parser.add_argument(
            "--confirm", action="store_true", help="end pupils' placements past the guard"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = source_named(options["source"])
        try:
            data = FileExport(options["path"])
        except SourceError as error:
            raise CommandError(str(error)) from None
        run = run_create(
            actor=None, source=source, kind=ImportRun.Kind.FILE, confirmed=options["confirm"]
        )
        run = run_execute(
            run=run, data=data, full=True, actor=None, progress=progress_printer(self.stderr)
        )
        print_run(run, self.stdout)
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.message)
