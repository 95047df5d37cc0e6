from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from elevstod.notifications.digests import send_digests


class Command(BaseCommand):
    help = (
        "Queue the daily digest for users who chose it. Idempotent (one per user and day); "
        "does nothing before NOTIFICATIONS_DIGEST_HOUR unless --now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="ignore the digest hour")

    def handle(self, *args: Any, **options: Any) -> None:
        local = timezone.localtime()
        if not options["now"] and local.hour < settings.NOTIFICATIONS_DIGEST_HOUR:
            self.stdout.write("0 digests queued (before the digest hour)")
            return
        queued = send_digests(day=local.date())
        self.stdout.write(f"{queued} digests queued")
