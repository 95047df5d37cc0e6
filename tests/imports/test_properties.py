"""Properties of the mapping: the order and size of the batches do not matter, and importing the
same data again changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elevstod.audit.models import AuditEvent
from elevstod.imports.mapping import KINDS, Importer
from elevstod.imports.models import ImportRun
from elevstod.imports.parse import modified_of
from elevstod.imports.runs import batched
from elevstod.imports.services import run_create

from . import ssdata
from .test_file_import import snapshot

pytestmark = pytest.mark.django_db

EXPORT = ssdata.base_export()
DAY = dt.date(2026, 8, 10)


def import_once(source, orders, size):
    run = run_create(actor=None, source=source, kind=ImportRun.Kind.FILE)
    importer = Importer(run=run, actor=None, today=DAY)
    for kind in KINDS:
        records = [EXPORT[kind][i] for i in orders[kind]]
        for chunk in batched(records, size):
            importer.batch(kind, chunk)
        if kind == "persons":
            importer.resolve_deferred_guardians()
    return importer


def orders_strategy():
    return st.fixed_dictionaries(
        {kind: st.permutations(range(len(EXPORT[kind]))) for kind in KINDS}
    )


def in_rollback(fn):
    with transaction.atomic():
        result = fn()
        transaction.set_rollback(True)
    return result


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=orders_strategy(), second=orders_strategy(), size=st.integers(1, 7))
def test_any_batch_order_gives_the_same_database_and_a_rerun_changes_nothing(
    source, first, second, size
):
    canonical = {kind: list(range(len(EXPORT[kind]))) for kind in KINDS}

    def reference():
        import_once(source, canonical, 500)
        return snapshot()

    def shuffled():
        importer = import_once(source, first, size)
        assert importer.errors == []
        after_first = snapshot()
        events = AuditEvent.objects.filter(code__startswith="organisation").count()
        again = import_once(source, second, size)
        changes = {
            kind: {k: v for k, v in counts.items() if k not in ("unchanged", "skipped")}
            for kind, counts in again.counts.items()
        }
        assert {k: v for k, v in changes.items() if any(v.values())} == {}
        assert AuditEvent.objects.filter(code__startswith="organisation").count() == events
        assert snapshot() == after_first
        return after_first

    assert in_rollback(shuffled) == in_rollback(reference)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-17T20:40:46-23:29", dt.datetime(2026, 10, 18, 20, 9, 46, tzinfo=dt.UTC)),
        ("2026-10-17T20:40:46Z", dt.datetime(2026, 10, 17, 20, 40, 46, tzinfo=dt.UTC)),
        ("2026-10-17T20:40:46", dt.datetime(2026, 10, 17, 20, 40, 46, tzinfo=dt.UTC)),
        ("0001-01-01T00:10:00+23:00", None),
        ("igår", None),
    ],
)
def test_a_records_modified_time_is_kept_in_utc_or_left_out(value, expected):
    assert modified_of({"meta": {"modified": value}}) == expected
