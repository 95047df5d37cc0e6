"""Tamper evidence: the audit and access logs are hash chains, and changes are found."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from elevstod.audit.chain import FIELDS, GENESIS, KEYED, UNKEYED, chain_verify, row_hash
from elevstod.audit.models import AccessLogEntry, AuditEvent
from elevstod.audit.services import (
    access_log_record,
    access_log_record_each,
    access_log_record_many,
    audit_record,
)
from elevstod.core.db import (
    APPEND_ONLY_TABLES,
    append_only_triggers_present,
    create_append_only_triggers,
)
from elevstod.organisation.models import Duty

from ..factories import DutyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _write(n: int = 5) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(code="test.thing.done", actor=None, data={"i": i, "text": "å"})
        access_log_record(
            actor=None, pupil_id=i, purpose="test.read", reasons=["MENTOR"], granted=True
        )


def _tamper(table: str, *statements: str | tuple[str, list]) -> None:
    """Change rows behind the application's back, as an attacker with database access would:
    the append-only trigger has to be switched off first (all undone when the test ends)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:  # SQLite keeps the dropped triggers dropped: put them back right away
            cursor.execute(f"DROP TRIGGER {table}_no_update")
            cursor.execute(f"DROP TRIGGER {table}_no_delete")
        for statement in statements:
            sql, params = statement if isinstance(statement, tuple) else (statement, [])
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            create_append_only_triggers(connection.schema_editor(), [table])


def test_every_row_links_to_the_one_before():
    _write()
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert chain_verify(AuditEvent).intact
    assert chain_verify(AccessLogEntry).intact


def test_reads_logged_together_are_written_in_one_insert_of_one_moment():
    with CaptureQueriesContext(connection) as queries:
        access_log_record_each(
            actor=None,
            reads=[(7, ["TEACHER"]), (8, ["PRINCIPAL", "MENTOR"])],
            purpose="test.read",
            granted=True,
            path="/lista/" + "x" * 400,
        )

    inserts = [q for q in queries.captured_queries if "INSERT INTO" in q["sql"]]
    assert len(inserts) == 1
    rows = list(AccessLogEntry.objects.order_by("id").values())
    assert [(r["pupil_id"], r["reasons"]) for r in rows] == [
        (7, "TEACHER"),
        (8, "MENTOR,PRINCIPAL"),
    ]
    assert {(r["occurred_at"], r["actor_label"], r["granted"], len(r["path"])) for r in rows} == {
        (rows[0]["occurred_at"], "system", True, 300)
    }
    assert chain_verify(AccessLogEntry).intact


def test_reads_logged_together_are_chained_one_after_the_other():
    _write(2)
    access_log_record_many(
        actor=None,
        pupil_ids=[7, 8, 9],
        purpose="test.read",
        reasons=["ADMINISTRATOR"],
        granted=True,
    )
    access_log_record(actor=None, pupil_id=10, purpose="test.read", reasons=[], granted=True)

    rows = list(AccessLogEntry.objects.order_by("id"))
    assert [r.pupil_id for r in rows] == [0, 1, 7, 8, 9, 10]
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
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


# --- keyed hashes and signed checkpoints ------------------------------------------------------


@pytest.fixture
def checkpoints(settings, tmp_path):
    settings.ELEVSTOD_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    return tmp_path / "audit-checkpoints.jsonl"


def _verify_and_checkpoint() -> str:
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def _rehash(model, *, version: int, key: str | None = None, change_first: bool = False) -> None:
    """Rewrite the whole chain as an attacker would: change a row, then recompute every hash,
    unkeyed (version 0) or with a key of their own."""
    table = model._meta.db_table
    rows = list(model.objects.order_by("id").values("id", *FIELDS[table]))
    prev, statements = GENESIS, []
    for i, row in enumerate(rows):
        if change_first and i == 0:
            row["actor_label"] = "someone else"
        with override_settings(ELEVSTOD_AUDIT_KEY=key or "x"):
            digest = row_hash(prev, table, row, version)
        sql = f"UPDATE {table} SET actor_label = %s, prev_hash = %s, hash = %s, hash_version = %s"
        statements.append(
            (f"{sql} WHERE id = %s", [row["actor_label"], prev, digest, version, row["id"]])
        )
        prev = digest
    _tamper(table, *statements)


def test_a_new_row_is_keyed_and_its_hash_cannot_be_made_without_the_key():
    _write(1)
    event = AuditEvent.objects.get()
    assert event.hash_version == KEYED
    values = {f: getattr(event, f) for f in FIELDS["audit_auditevent"]}
    assert row_hash(GENESIS, "audit_auditevent", values, UNKEYED) != event.hash
    with override_settings(ELEVSTOD_AUDIT_KEY="another-key"):
        assert row_hash(GENESIS, "audit_auditevent", values, KEYED) != event.hash


def test_rows_removed_from_the_end_are_found_by_the_signed_checkpoint(checkpoints):
    _write(5)
    assert "checkpoint written" in _verify_and_checkpoint()
    last_two = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:2])

    _tamper("audit_auditevent", f"DELETE FROM audit_auditevent WHERE id IN {tuple(last_two)}")

    report = chain_verify(AuditEvent)
    assert not report.intact
    assert "removed" in report.reason
    assert report.first_broken_id == max(last_two)
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", stdout=StringIO())


def test_without_a_checkpoint_rows_removed_from_the_end_go_unnoticed():
    # the reason the checkpoints exist: the chain alone cannot tell where its end was
    _write(5)
    last = AuditEvent.objects.order_by("-id").first()
    _tamper("audit_auditevent", f"DELETE FROM audit_auditevent WHERE id = {last.pk}")
    assert chain_verify(AuditEvent).intact


def test_rows_appended_after_a_checkpoint_still_verify(checkpoints):
    _write(3)
    _verify_and_checkpoint()
    _write(2)
    assert chain_verify(AuditEvent).intact
    assert chain_verify(AccessLogEntry).intact


def test_a_chain_rehashed_with_another_key_is_found():
    _write(4)
    _rehash(AuditEvent, version=KEYED, key="the-attackers-key", change_first=True)
    report = chain_verify(AuditEvent)
    assert report.first_broken_id == AuditEvent.objects.order_by("id").first().pk
    assert "changed" in report.reason


def test_a_chain_rehashed_without_the_key_is_found_by_the_checkpoint(checkpoints):
    _write(4)
    _verify_and_checkpoint()

    _rehash(AuditEvent, version=UNKEYED, change_first=True)

    report = chain_verify(AuditEvent)
    assert not report.intact
    assert "without the key" in report.reason


def test_a_keyed_chain_turned_unkeyed_from_the_middle_is_found():
    _write(4)
    events = list(AuditEvent.objects.order_by("id"))
    table = "audit_auditevent"
    values = {f: getattr(events[-1], f) for f in FIELDS[table]}
    digest = row_hash(events[-1].prev_hash, table, values, UNKEYED)
    _tamper(
        table,
        (f"UPDATE {table} SET hash = %s, hash_version = 0 WHERE id = %s", [digest, events[-1].pk]),
    )
    assert chain_verify(AuditEvent).first_broken_id == events[-1].pk


def test_rows_hashed_before_the_key_still_verify_and_the_keyed_chain_goes_on(checkpoints):
    # given: rows written before this version, with the plain SHA-256 of that time
    _write(3)
    _rehash(AuditEvent, version=UNKEYED)
    # when: new rows are written, keyed, after them
    _write(2)
    # then
    versions = list(AuditEvent.objects.order_by("id").values_list("hash_version", flat=True))
    assert versions == [UNKEYED] * 3 + [KEYED] * 2
    assert chain_verify(AuditEvent).intact
    assert "chain intact" in _verify_and_checkpoint()


def test_a_forged_checkpoint_is_found(checkpoints):
    _write(2)
    _verify_and_checkpoint()
    forged = json.loads(checkpoints.read_text().splitlines()[0])
    forged.update(rows=1, last_id=forged["last_id"] - 1)
    checkpoints.write_text(checkpoints.read_text() + json.dumps(forged) + "\n")
    report = chain_verify(AuditEvent)
    assert not report.intact
    assert "not a signed checkpoint" in report.reason


def test_no_checkpoint_is_written_for_a_broken_chain(checkpoints):
    _write(3)
    victim = AuditEvent.objects.order_by("id").first()
    _tamper("audit_auditevent", f"UPDATE audit_auditevent SET code = 'x' WHERE id = {victim.pk}")
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", stdout=StringIO())
    assert not checkpoints.exists()


def test_the_data_protection_officer_sees_rows_removed_from_the_end(client, cast, checkpoints):
    dpo = UserFactory()
    DutyFactory(
        person=dpo.person,
        organiser=cast.organiser_a,
        unit=None,
        role=Duty.Role.DATA_PROTECTION_OFFICER,
    )
    _write(3)
    client.force_login(dpo)
    assert client.get(reverse("audit:chain")).status_code == 200  # verifies, then checkpoints
    third = AccessLogEntry.objects.order_by("id")[2]
    _tamper("audit_accesslogentry", f"DELETE FROM audit_accesslogentry WHERE id >= {third.pk}")

    page = client.get(reverse("audit:chain")).content.decode()

    assert "removed" in page


def test_production_refuses_to_start_without_the_audit_key():
    env = {**os.environ, "ELEVSTOD_SECRET_KEY": "s" * 50, "ELEVSTOD_AUDIT_KEY": ""}
    env.pop("DATABASE_URL", None)
    run = subprocess.run(
        [sys.executable, "-c", "import elevstod.config.settings.production"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0
    assert "ELEVSTOD_AUDIT_KEY" in run.stderr


def test_a_checkpoint_that_cannot_be_written_fails_the_command(settings, tmp_path):
    (tmp_path / "not-a-folder").write_text("")
    settings.ELEVSTOD_AUDIT_CHECKPOINT_FILE = str(tmp_path / "not-a-folder" / "checkpoints")
    _write(1)
    with pytest.raises(CommandError, match="could not be written"):
        call_command("verify_audit_chain", stdout=StringIO())
