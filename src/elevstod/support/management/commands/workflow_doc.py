from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from elevstod.support.workflow_doc import render


class Command(BaseCommand):
    help = "Write docs/workflow.md from the workflow table."

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(settings.PROJECT_DIR) / "docs" / "workflow.md"
        target.write_text(render(), encoding="utf-8")
        self.stdout.write(f"wrote {target.relative_to(settings.PROJECT_DIR)}")
