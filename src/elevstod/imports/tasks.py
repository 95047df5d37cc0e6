"""The worker's side of the sync (Django's tasks API through django-tasks): a queued run is
claimed with a compare-and-set update, so a task delivered twice runs once."""

from __future__ import annotations

from django_tasks import task


@task()
def sync_run(run_id: int) -> str:
    from .models import ImportRun
    from .sync import sync_execute

    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING
    )
    if not claimed:
        return "already taken"
    run = ImportRun.objects.select_related("source__organiser").get(pk=run_id)
    return str(sync_execute(run=run, actor=None).status)
