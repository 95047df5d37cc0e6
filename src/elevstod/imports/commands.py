"""What the import commands share: finding the source, printing progress and the result."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from .models import ImportRun, Source
from .runs import Progress


def source_named(name: str | None) -> Source:
    if name:
        source = Source.objects.select_related("organiser").filter(name=name).first()
        if source is None:
            raise CommandError(f"No source named {name!r}.")
        return source
    sources = list(Source.objects.select_related("organiser")[:2])
    if len(sources) != 1:
        raise CommandError("Name the source with --source.")
    return sources[0]


def progress_printer(out: Any) -> Progress:
    def show(kind: str, done: int) -> None:
        out.write(f"\r{kind}: {done}", ending="")
        out.flush()

    return show


def print_run(run: ImportRun, out: Any) -> None:
    out.write("")
    out.write(f"Run {run.pk}: {run.status}")
    for kind, counts in run.counts.items():
        out.write(f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for error in run.errors[:50]:
        out.write(f"  ! {error['entity']} {error['id']}: {error['reason']}")
    if run.errors_total > 50:
        out.write(f"  … and {run.errors_total - 50} more (see the run's page)")
    if run.message:
        out.write(run.message)
