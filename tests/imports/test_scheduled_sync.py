"""The nightly sync: due sources are queued on the worker once per interval, and a queued run
is taken by one worker only."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest

from elevstod.imports.models import ImportRun
from elevstod.imports.schedule import sync_due
from elevstod.imports.tasks import sync_run
from elevstod.organisation.models import Person

from . import ssdata
from .server import Server, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_source(source, monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with Server(State(export=ssdata.base_export())) as server:
        source.base_url = server.url
        source.save()
        monkeypatch.setenv("EKBY_SS12000_TOKEN", server.state.token)
        yield source


def test_a_due_source_is_synced_by_the_worker_once_per_interval(
    api_source, settings, django_capture_on_commit_callbacks
):
    settings.SS12000_SYNC_INTERVAL_HOURS = 24

    with django_capture_on_commit_callbacks(execute=True):
        first = sync_due()
    with django_capture_on_commit_callbacks(execute=True):
        again = sync_due()
    with django_capture_on_commit_callbacks(execute=True):
        tomorrow = sync_due(now=timezone.now() + dt.timedelta(hours=25))

    assert len(first) == 1
    first[0].refresh_from_db()
    assert first[0].status == ImportRun.Status.SUCCEEDED, first[0].message
    assert Person.objects.count() == 19
    assert again == []
    assert len(tomorrow) == 1
    assert tomorrow[0].kind == ImportRun.Kind.INCREMENTAL


def test_a_source_without_an_api_is_not_scheduled(source):
    assert sync_due() == []


def test_a_run_already_taken_is_not_run_again(api_source):
    run = ImportRun.objects.create(
        source=api_source, kind=ImportRun.Kind.FULL, status=ImportRun.Status.RUNNING
    )

    assert sync_run.call(run.pk) == "already taken"
    assert Person.objects.count() == 0
