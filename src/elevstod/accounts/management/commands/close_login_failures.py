from typing import Any

from django.core.management.base import BaseCommand

from elevstod.accounts.failures import failure_tallies_close


class Command(BaseCommand):
    help = (
        "Write the closing audit row (how many failed logins) of every failure window that is "
        "over. Idempotent; run it every few minutes (docs/operations.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        closed = failure_tallies_close()
        self.stdout.write(f"{closed} failure windows closed")
