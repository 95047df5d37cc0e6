"""The administrator's page: the sources, "sync now", the progress of running syncs (polled by
htmx), the history of runs and a lookup of where a person's data came from. The URL namespace
``imports`` needs the step-up (settings.ELEVSTOD_STEP_UP_NAMESPACES)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from elevstod.accounts.http import SignedInRequest
from elevstod.core.params import id_param

from .access import sources_administered_by
from .models import ImportRun
from .selectors import ACTIVE, person_origins, run_list, running_list
from .sync import sync_start
from .tasks import sync_run


@login_required
@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    context = {
        "sources": list(sources_administered_by(request.user)),
        "runs": list(run_list(actor=request.user)),
        "running": running_list(actor=request.user),
    }
    return render(request, "imports/sources.html", context)


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    return render(request, "imports/_progress.html", {"running": running_list(actor=request.user)})


@login_required
@require_POST
def sync_now(request: SignedInRequest) -> HttpResponse:
    pk = id_param(request.POST, "source")
    source = get_object_or_404(sources_administered_by(request.user).exclude(base_url=""), pk=pk)
    with transaction.atomic():
        # a second click while a run is queued or running starts nothing new
        if not source.runs.filter(status__in=ACTIVE).exists():
            run = sync_start(actor=request.user, source=source, full=False)
            run_id = run.pk
            transaction.on_commit(lambda: sync_run.enqueue(run_id))
    messages.success(request, _("The synchronisation has started."))
    return redirect("imports:sources")


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    found = person_origins(actor=request.user, query=query, path=request.path)
    return render(request, "imports/people.html", {"query": query, "found": found})


__all__ = ["ImportRun", "people", "progress", "sources", "sync_now"]
