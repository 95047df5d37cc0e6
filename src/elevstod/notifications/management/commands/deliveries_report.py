from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from elevstod.notifications.selectors import delivery_failed_list


class Command(BaseCommand):
    help = "List failed e-mail/SMS deliveries (no content: recipient, channel, error). "

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=100)
        parser.add_argument("--check", action="store_true", help="exit 1 if any failed")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = list(delivery_failed_list()[: options["limit"]])
        for d in rows:
            self.stdout.write(
                f"{d.pk}\t{d.created_at:%Y-%m-%d %H:%M}\t{d.recipient.get_username()}\t"
                f"{d.channel}\t{d.kind}\t{d.attempts}\t{d.last_error}"
            )
        self.stdout.write(f"{len(rows)} failed deliveries")
        if rows and options["check"]:
            raise SystemExit(1)
