from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from elevstod.core.timeutil import today
from elevstod.notifications.reminders import send_reminders


class Command(BaseCommand):
    help = "Remind responsible persons of dates in the support chain. Idempotent: run it hourly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="as if today were DATE")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders(day=options["date"] or today())
        self.stdout.write(f"{sent} reminders sent")
