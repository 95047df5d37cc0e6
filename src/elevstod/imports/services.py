"""Writes of the imports app itself: sources and the record of each run."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from elevstod.audit.services import audit_record
from elevstod.core.actors import Actor
from elevstod.organisation.models import Organiser

from .models import ImportRun, Source


@transaction.atomic
def source_create(
    *,
    actor: Actor | None,
    name: str,
    organiser: Organiser,
    secret_env: str = "",
    base_url: str = "",
    token_url: str = "",
    client_id: str = "",
    role_mapping: dict[str, str] | None = None,
    truncation_share: float = 0.1,
) -> Source:
    source = Source.objects.create(
        name=name,
        organiser=organiser,
        secret_env=secret_env,
        base_url=base_url,
        token_url=token_url,
        client_id=client_id,
        role_mapping=role_mapping or {},
        truncation_share=truncation_share,
    )
    audit_record(code="imports.source.created", actor=actor, obj=source, data={"name": name})
    return source


def run_create(
    *, actor: Actor | None, source: Source, kind: str, confirmed: bool = False
) -> ImportRun:
    return ImportRun.objects.create(
        source=source,
        kind=kind,
        status=ImportRun.Status.QUEUED,
        started_by_id=getattr(actor, "pk", None),
        confirmed=confirmed,
    )


def run_progress(*, run: ImportRun, kind: str, done: int, total: int | None = None) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING,
        progress_kind=kind,
        progress_done=done,
        progress_total=total,
    )


@transaction.atomic
def run_finish(
    *,
    actor: Actor | None,
    run: ImportRun,
    status: str,
    counts: dict[str, dict[str, int]],
    errors: list[dict[str, str]],
    errors_total: int,
    message: str = "",
    advance_watermark: bool = False,
) -> ImportRun:
    """Close the run; its audit event carries counts only, never a name or an id."""
    run.status = status
    run.finished_at = timezone.now()
    run.counts = counts
    run.errors = errors
    run.errors_total = errors_total
    run.message = message
    run.save()
    if advance_watermark:
        Source.objects.filter(pk=run.source_id).update(modified_after=run.started_at)
    data: dict[str, Any] = {"kind": run.kind, "status": status, "counts": counts}
    data["failed"] = errors_total
    audit_record(code="imports.run.finished", actor=actor, obj=run, data=data)
    return run
