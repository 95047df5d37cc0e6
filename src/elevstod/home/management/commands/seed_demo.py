"""``manage.py seed_demo``: load the demo municipality and print the demo logins."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from elevstod.accounts.models import User
from elevstod.conversations.demo import conversations_demo_load
from elevstod.home.demo import DEMO_PASSWORD, DemoLogin, demo_load
from elevstod.organisation.access import pupils_visible_to
from elevstod.organisation.demo_names import LOGINS
from elevstod.organisation.models import Organiser, Placement
from elevstod.support.demo import special_support_demo_load, support_demo_load


class Command(BaseCommand):
    help = (
        "Läser in demodata (Åbyholms kommun med tre skolenheter, elever, vårdnadshavare, "
        "personal) och skriver ut demoinloggningarna."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--pupils", type=int, default=300, help="ungefärligt antal elever")
        parser.add_argument(
            "--seed", type=int, default=2026, help="slumpfrö (samma frö, samma data)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="gör ingenting om databasen redan har en huvudman",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Organiser.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Databasen har redan demodata; ingen ny demodata lästes in.")
                self._print_logins()
                return
            raise CommandError(
                "Databasen har redan en huvudman. Använd en tom databas, eller --if-empty."
            )
        started = time.perf_counter()
        try:
            result = demo_load(pupils=options["pupils"], seed=options["seed"])
            support_demo_load(seed=options["seed"])
            special_support_demo_load(seed=options["seed"])
            conversations_demo_load(seed=options["seed"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demodata inläst: {result.pupils} elever på {seconds:.1f} s.")
        )
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(self._table())
        self.stdout.write(f"\nLösenord för alla demoinloggningar: {DEMO_PASSWORD}")

    def _table(self) -> str:
        logins = [DemoLogin(username, role, sees, 0) for username, (role, sees) in LOGINS.items()]
        users = User.objects.in_bulk([login.username for login in logins], field_name="username")
        placed = Placement.objects.active().values("pupil_id")
        rows = [("Användarnamn", "Roll", "Ser", "Elever")]
        for login in logins:
            user = users.get(login.username)
            if user is None:
                continue
            visible = pupils_visible_to(user, staff_only=False).filter(pk__in=placed).count()
            rows.append((login.username, login.role, login.sees, str(visible)))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n" + "\n".join(line.rstrip() for line in lines)
