"""Tamper evidence: the audit and access logs are hash chains, and changes are found."""

from __future__ import annotations

import itertools
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection, transaction

import pytest

from elevstod.audit.chain import GENESIS, chain_verify
from elevstod.audit.models import AccessLogEntry, AuditEvent
from elevstod.audit.services import access_log_record, audit_record
from elevstod.core.db import (
    APPEND_ONLY_TABLES,
    append_only_triggers_present,
    create_append_only_triggers,
)

pytestmark = pytest.mark.django_db


def _write(n: int = 5) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(code="test.thing.done", actor=None, data={"i": i, "text": "å"})
        access_log_record(
            actor=None, pupil_id=i, purpose="test.read", reasons=["MENTOR"], granted=True
        )


def _tamper(table: str, sql: str) -> None:
    """Change a row behind the application's back, as an attacker with database access would:
    the append-only trigger has to be switched off first (all undone when the test ends)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(sql)
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:  # SQLite keeps the dropped triggers dropped: put them back right away
            cursor.execute(f"DROP TRIGGER {table}_no_update")
            cursor.execute(f"DROP TRIGGER {table}_no_delete")
            cursor.execute(sql)
            create_append_only_triggers(connection.schema_editor(), [table])


def test_every_row_links_to_the_one_before():
    _write()
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert chain_verify(AuditEvent).intact
    assert chain_verify(AccessLogEntry).intact


def test_an_altered_audit_row_is_found_at_its_id():
    _write()
    victim = AuditEvent.objects.order_by("id")[2]
    _tamper(
        "audit_auditevent",
        f"UPDATE audit_auditevent SET code = 'test.thing.hidden' WHERE id = {victim.pk}",
    )
    report = chain_verify(AuditEvent)
    assert report.first_broken_id == victim.pk
    assert "changed" in report.reason


def test_a_removed_access_log_row_is_found():
    _write()
    rows = list(AccessLogEntry.objects.order_by("id"))
    _tamper("audit_accesslogentry", f"DELETE FROM audit_accesslogentry WHERE id = {rows[1].pk}")
    report = chain_verify(AccessLogEntry)
    assert report.first_broken_id == rows[2].pk
    assert "link" in report.reason


def test_the_verify_command_reports_intact_and_broken_chains():
    _write(3)
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert "chain intact" in out.getvalue()
    victim = AuditEvent.objects.order_by("id").first()
    assert victim is not None
    _tamper(
        "audit_auditevent",
        f"UPDATE audit_auditevent SET actor_label = 'someone' WHERE id = {victim.pk}",
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", stdout=out)
    assert f"BROKEN at id {victim.pk}" in out.getvalue()


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_every_append_only_table_has_its_triggers_after_all_migrations(table):
    assert append_only_triggers_present(connection, table)
