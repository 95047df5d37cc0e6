from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections


class Command(BaseCommand):
    help = (
        "The periodic notification jobs in a loop (for the demo and small installations; "
        "production runs the same commands from cron/systemd timers): deliver what is due, "
        "send reminders, queue digests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between runs")
        parser.add_argument("--once", action="store_true", help="run the jobs once and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            close_old_connections()
            for command in ("send_reminders", "send_digests", "deliver_notifications"):
                try:
                    call_command(command, stdout=self.stdout)
                except Exception as exc:  # one failing job must not stop the others
                    self.stderr.write(f"{command} failed: {exc}")
            if options["once"]:
                return
            time.sleep(options["interval"])
