"""``manage.py seed_scale``: load one organiser at municipality scale, for benchmarks."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from elevstod.home.scale import SCALE_PASSWORD, scale_load
from elevstod.organisation.models import Organiser


class Command(BaseCommand):
    help = (
        "Läser in skaldata: en huvudman med många elever på många skolenheter, med "
        "vårdnadshavare, personal, grupper, extra anpassningar, åtgärdsprogram och ett års logg."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--pupils", type=int, default=100_000, help="antal elever")
        parser.add_argument("--units", type=int, default=50, help="antal skolenheter")
        parser.add_argument("--seed", type=int, default=2026, help="slumpfrö")
        parser.add_argument(
            "--access-per-pupil", type=int, default=3, help="rader i åtkomstloggen per elev"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Organiser.objects.exists():
            raise CommandError("Databasen har redan en huvudman. Använd en tom databas.")
        started = time.perf_counter()
        try:
            result = scale_load(
                pupils=options["pupils"],
                units=options["units"],
                seed=options["seed"],
                access_per_pupil=options["access_per_pupil"],
                progress=lambda text: self.stdout.write(
                    f"{time.perf_counter() - started:7.1f} s  {text}"
                ),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Skaldata inläst på {seconds:.1f} s: {result.pupils} elever på {result.units} "
                f"skolenheter, {result.adaptations} extra anpassningar, {result.programmes} "
                f"åtgärdsprogram, {result.audit_rows} händelser och {result.access_rows} "
                "rader i åtkomstloggen."
            )
        )
        self.stdout.write(
            f"Rektorerna loggar in som rektor-<skolenhetskod>, lösenord {SCALE_PASSWORD}."
        )
