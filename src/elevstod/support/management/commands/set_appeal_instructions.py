"""Set an organiser's own appeal instructions (printed on every appealable decision), or show
the text in use. ``{unit}`` in the text is replaced by the school unit's name."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from elevstod.audit.services import audit_record
from elevstod.organisation.models import Organiser
from elevstod.support.models import SupportSettings
from elevstod.support.texts import DEFAULT_APPEAL_INSTRUCTIONS


class Command(BaseCommand):
    help = "Set (--file) or reset (--default) an organiser's appeal instructions, or show them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("organiser", help="the organiser's name or organisation number")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--file", type=Path, help="a UTF-8 text file with the instructions")
        group.add_argument("--default", action="store_true", help="use the built-in text")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["organiser"]
        organiser = (
            Organiser.objects.filter(name=key).first()
            or Organiser.objects.filter(organisation_number=key).first()
        )
        if organiser is None:
            raise CommandError(f"no organiser named {key!r}")
        if options["file"] is None and not options["default"]:
            current = (
                SupportSettings.objects.filter(organiser=organiser)
                .values_list("appeal_instructions", flat=True)
                .first()
            )
            self.stdout.write(current or DEFAULT_APPEAL_INSTRUCTIONS)
            return
        text = "" if options["default"] else options["file"].read_text(encoding="utf-8").strip()
        if options["file"] is not None and not text:
            raise CommandError("the file is empty")
        with transaction.atomic():
            settings, _ = SupportSettings.objects.update_or_create(
                organiser=organiser, defaults={"appeal_instructions": text}
            )
            audit_record(
                code="support.settings.appeal_instructions_changed",
                actor=None,
                obj=settings,
                data={"organiser_id": organiser.pk, "length": len(text)},
            )
        self.stdout.write(f"appeal instructions of {organiser.name} updated")
