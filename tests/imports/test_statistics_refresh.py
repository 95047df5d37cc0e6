"""An import fills tables within minutes, before the database has counted them: each kind has
the statistics of the tables it fills refreshed as it grows (after 1,000 records, then each
time fourfold), and only those tables, so the planner never takes a grown table for an empty
one and the big tables are not sampled again for every kind."""

from __future__ import annotations

import threading

from django.db import connection

import pytest

from elevstod.imports import runs
from elevstod.imports.models import SourceRecord
from elevstod.imports.pipeline import Prepared
from elevstod.organisation.models import Group, GroupMembership, Guardianship, Person, Placement


class _Importer:
    def prepare(self, kind, records):
        return Prepared(size=len(records))

    def batch(self, kind, records, ready=None):
        pass


pytestmark = pytest.mark.django_db  # each batch commits with its progress


def _analysed(monkeypatch, kind, n):
    calls = []
    monkeypatch.setattr(runs, "tables_analyze", lambda *tables: calls.append(tables))
    monkeypatch.setattr(runs.services, "run_progress", lambda **kwargs: None)
    runs._import_kind(_Importer(), None, kind, iter(range(n)), None)
    return calls


def test_the_persons_tables_are_analysed_after_a_thousand_persons_then_at_four_times_as_many(
    monkeypatch,
):
    calls = _analysed(monkeypatch, "persons", 16_000)

    assert calls == [(SourceRecord, Person, Placement, Guardianship)] * 3  # 1,000, 4,000, 16,000


def test_a_kind_has_only_the_tables_it_fills_analysed(monkeypatch):
    assert _analysed(monkeypatch, "groups", 1_000) == [(SourceRecord, Group, GroupMembership)]
    assert _analysed(monkeypatch, "groups", 999) == []
    assert _analysed(monkeypatch, "organisations", 5_000) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a connection of its own")
def test_the_statistics_are_refreshed_beside_the_batches_not_between_them(monkeypatch):
    threads = []
    monkeypatch.setattr(
        runs, "tables_analyze", lambda *t: threads.append(threading.current_thread())
    )
    monkeypatch.setattr(runs.services, "run_progress", lambda **kwargs: None)

    runs._import_kind(_Importer(), None, "persons", iter(range(4_000)), None)

    assert len(threads) == 2
    assert threading.main_thread() not in threads
