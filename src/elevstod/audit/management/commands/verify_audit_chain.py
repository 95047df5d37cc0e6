from typing import Any

from django.core.management.base import BaseCommand, CommandError

from elevstod.audit.chain import chain_verify
from elevstod.audit.models import AccessLogEntry, AuditEvent


class Command(BaseCommand):
    help = "Verify the hash chains of the audit and access logs; report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = False
        for model in (AuditEvent, AccessLogEntry):
            report = chain_verify(model)
            if report.intact:
                self.stdout.write(f"{report.table}: {report.rows} rows, chain intact")
            else:
                broken = True
                self.stdout.write(
                    f"{report.table}: BROKEN at id {report.first_broken_id}: {report.reason}"
                )
        if broken:
            raise CommandError("the audit chain is broken")
