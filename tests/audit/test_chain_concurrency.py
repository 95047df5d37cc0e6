"""Page views on several servers log their reads at the same moment: the access log's chain
stays one unbroken line in id order (``chain.append_chained``), whether a writer waits for the
table's lock (inside a transaction) or not (a page's read, outside any), and a row linked to a
head that was extended meanwhile is refused by the database and linked again."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, connection, transaction

import pytest

from elevstod.audit.chain import GENESIS, chain_verify
from elevstod.audit.models import AccessLogEntry
from elevstod.audit.services import access_log_record, access_log_record_many
from tests.concurrency import race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def _reads(n: int, pupil: int) -> Callable[[], None]:
    def write() -> None:
        for _ in range(n):
            access_log_record(
                actor=None, pupil_id=pupil, purpose="test.read", reasons={"T"}, granted=True
            )
        access_log_record_many(
            actor=None, pupil_ids=[pupil, pupil + 1], purpose="test.list", reasons=[], granted=True
        )

    return write


def _reads_in_a_transaction(n: int, pupil: int) -> Callable[[], None]:
    def write() -> None:
        for _ in range(n):
            with transaction.atomic():  # a service's write: waits for the lock
                access_log_record(
                    actor=None, pupil_id=pupil, purpose="test.write", reasons=[], granted=False
                )

    return write


def test_page_views_logged_at_once_on_several_servers_keep_one_chain_in_id_order():
    outcomes = race(_reads(30, 1), _reads(30, 3), _reads(30, 5), _reads_in_a_transaction(15, 7))
    assert outcomes == ["ok"] * 4
    assert AccessLogEntry.objects.count() == 3 * (30 + 2) + 15
    report = chain_verify(AccessLogEntry)
    assert report.intact, report.reason


def test_a_row_linked_to_a_head_already_extended_is_refused_by_the_database():
    access_log_record(actor=None, pupil_id=1, purpose="test.read", reasons=[], granted=True)
    fork = AccessLogEntry(actor_id=None, pupil_id=2, purpose="test.fork", granted=True)
    fork.prev_hash, fork.hash, fork.hash_version = GENESIS, "f" * 64, 1
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(force_insert=True)
    access_log_record(actor=None, pupil_id=2, purpose="test.read", reasons=[], granted=True)
    assert chain_verify(AccessLogEntry).intact


def test_a_value_longer_than_its_column_is_refused_not_cut_to_break_the_chain():
    with pytest.raises(Exception, match="too long"):
        access_log_record(actor=None, pupil_id=1, purpose="x" * 101, reasons=[], granted=True)
    assert AccessLogEntry.objects.count() == 0
    access_log_record(actor=None, pupil_id=1, purpose="x" * 100, reasons=[], granted=True)
    assert chain_verify(AccessLogEntry).intact
