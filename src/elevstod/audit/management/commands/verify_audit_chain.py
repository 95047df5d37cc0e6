from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from elevstod.audit.verification import chains_verify


class Command(BaseCommand):
    help = (
        "Verify the hash chains of the audit and access logs against their latest signed "
        "checkpoints; report the first broken link, then write new checkpoints of the heads."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-checkpoint", action="store_true", help="verify only, write no checkpoint"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = chains_verify(checkpoint=not options["no_checkpoint"])
        for report in result.reports:
            if report.intact:
                self.stdout.write(f"{report.table}: {report.rows} rows, chain intact")
            else:
                self.stdout.write(
                    f"{report.table}: BROKEN at id {report.first_broken_id}: {report.reason}"
                )
        for place in result.checkpointed:
            self.stdout.write(f"checkpoint written to {place}")
        if not result.intact:
            raise CommandError("the audit chain is broken")
        if result.checkpoint_error:
            raise CommandError(f"the checkpoint could not be written: {result.checkpoint_error}")
