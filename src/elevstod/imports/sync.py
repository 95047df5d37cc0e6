"""Synchronising with a source's SS 12000 API: the client built from the source's settings (the
secret from the environment, never the database), then the run."""

from __future__ import annotations

import os

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from elevstod.core.actors import Actor

from .client import ApiClient, ApiData
from .models import ImportRun, Source
from .runs import Progress, SourceError, run_execute
from .services import run_create, run_finish


def client_for(source: Source) -> ApiClient:
    if not source.base_url:
        raise SourceError(_("The source has no API address."))
    secret = os.environ.get(source.secret_env, "") if source.secret_env else ""
    if not secret:
        raise SourceError(
            _("The environment variable %(name)s with the source's secret is not set.")
            % {"name": source.secret_env or "-"}
        )
    oauth = bool(source.token_url)
    return ApiClient(
        base_url=source.base_url,
        token="" if oauth else secret,
        token_url=source.token_url,
        client_id=source.client_id,
        client_secret=secret if oauth else "",
        timeout=float(getattr(settings, "SS12000_TIMEOUT", 30)),
        page_size=int(getattr(settings, "SS12000_PAGE_SIZE", 500)),
    )


def sync_start(
    *, actor: Actor | None, source: Source, full: bool, confirmed: bool = False
) -> ImportRun:
    incremental = not full and source.modified_after is not None
    kind = ImportRun.Kind.INCREMENTAL if incremental else ImportRun.Kind.FULL
    return run_create(actor=actor, source=source, kind=kind, confirmed=confirmed)


def sync_execute(
    *,
    run: ImportRun,
    actor: Actor | None,
    client: ApiClient | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    source = run.source
    incremental = run.kind == ImportRun.Kind.INCREMENTAL
    try:
        client = client or client_for(source)
    except SourceError as error:
        return run_finish(
            actor=actor,
            run=run,
            status=ImportRun.Status.FAILED,
            counts={},
            errors=[],
            errors_total=0,
            message=error.swedish(),
        )
    try:
        data = ApiData(client, source.modified_after if incremental else None)
        return run_execute(run=run, data=data, full=not incremental, actor=actor, progress=progress)
    finally:
        client.close()
