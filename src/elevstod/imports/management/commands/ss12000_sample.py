"""``manage.py ss12000_sample PATH [--organiser NAME | --demo] [--source NAME]``: write the
sample SS 12000 export (``imports.sample``) to PATH (a zip when it ends in .zip, else a folder)
and, for an organiser, a file source to import it with; prints the command that imports it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from elevstod.imports.models import Source
from elevstod.imports.sample import sample_write
from elevstod.imports.services import source_create
from elevstod.organisation.demo_names import ORGANISER_NAME
from elevstod.organisation.models import Organiser


class Command(BaseCommand):
    help = "Write a small sample SS 12000 export of a fictitious school, to try the import."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--organiser", help="the organiser it is for (makes a file source)")
        parser.add_argument("--source", default="exempelexport", help="the file source's name")
        parser.add_argument("--demo", action="store_true", help="for the demo's organiser")

    def handle(self, *args: Any, **options: Any) -> None:
        path = sample_write(options["path"])
        self.stdout.write(f"Wrote a sample SS 12000 export to {path}.")
        command = f"manage.py ss12000_import {path}"
        name = ORGANISER_NAME if options["demo"] else options["organiser"]
        if name:
            organiser = Organiser.objects.filter(name=name).first()
            if organiser is None:
                raise CommandError(f"No organiser named {name!r}.")
            source = Source.objects.filter(name=options["source"]).first()
            if source is None:
                source = source_create(actor=None, name=options["source"], organiser=organiser)
            elif source.organiser_id != organiser.pk:
                raise CommandError(f"The source {source.name!r} is another organiser's.")
            command += f" --source {source.name}"
        self.stdout.write(f"Import it with: {command}")
