from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from elevstod.notifications.delivery import deliver_due


class Command(BaseCommand):
    help = "Send the e-mail and SMS deliveries that are due (retries included). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        run = deliver_due()
        self.stdout.write(f"{run.sent} sent, {run.retried} to retry, {run.failed} failed")
