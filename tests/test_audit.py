"""The audit and access logs: written in the service's transaction, and append-only in the
database itself (triggers on SQLite and PostgreSQL), whatever code asks."""

from __future__ import annotations

from django.db import DatabaseError, connection, transaction

import pytest

from elevstod.audit.models import AccessLogEntry, AuditEvent
from elevstod.audit.services import access_log_record, audit_record
from elevstod.organisation import services
from elevstod.organisation.models import Organiser, Placement
from elevstod.organisation.services import units

from .factories import OrganiserFactory, PlacementFactory, UserFactory


class Boom(Exception):
    """A failure after the service has done its work."""


# --- written in the service's transaction --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    # This test commits for real (no wrapping transaction), so it must leave no audit row: the
    # flush after it would be refused by the append-only triggers.
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit_record(code="test.thing.done", actor=None)
    assert not AuditEvent.objects.exists()

    # inside a transaction it writes (rolled back here, see above)
    written = []

    def record_then_fail():
        with transaction.atomic():
            written.append(audit_record(code="test.thing.done", actor=None))
            assert AuditEvent.objects.filter(pk=written[0].pk).exists()
            raise Boom

    with pytest.raises(Boom):
        record_then_fail()
    assert len(written) == 1
    assert not AuditEvent.objects.exists()


def test_a_service_writes_its_audit_event_with_the_change(db):
    actor = UserFactory(username="rektor")
    organiser = services.organiser_create(actor=actor, name="Ekby kommun", kind="MUNICIPALITY")
    event = AuditEvent.objects.get(code="organisation.organiser.created")
    assert event.object_type == "organisation.organiser"
    assert event.object_id == str(organiser.pk)
    assert event.actor_id == actor.pk
    assert event.actor_label.startswith("rektor")
    assert event.data == {"name": "Ekby kommun"}


def test_a_service_writes_its_audit_event_in_the_same_transaction(db):
    seen_inside = []

    def create_then_fail():
        with transaction.atomic():
            organiser = services.organiser_create(
                actor=None, name="Ekby kommun", kind="MUNICIPALITY"
            )
            seen_inside.append(AuditEvent.objects.filter(object_id=str(organiser.pk)).exists())
            raise Boom

    # when the caller fails after the service has done its work
    with pytest.raises(Boom):
        create_then_fail()
    # then the event was there inside the transaction, and neither it nor the change remains
    assert seen_inside == [True]
    assert not Organiser.objects.filter(name="Ekby kommun").exists()
    assert not AuditEvent.objects.filter(code="organisation.organiser.created").exists()


def test_a_change_whose_audit_event_cannot_be_written_is_not_saved(db, monkeypatch):
    placement = PlacementFactory()

    def failing_audit_record(**kwargs):
        raise Boom

    monkeypatch.setattr(units, "audit_record", failing_audit_record)  # where placements live
    with pytest.raises(Boom):
        services.placement_end(actor=None, placement=placement, end_date=placement.start_date)
    placement.refresh_from_db()
    assert placement.end_date is None
    assert Placement.objects.filter(end_date__isnull=False).count() == 0


# --- append-only in the database -----------------------------------------------------------


def _audit_event() -> AuditEvent:
    with transaction.atomic():
        return audit_record(code="test.thing.done", actor=None, data={"n": 1})


def _access_entry() -> AccessLogEntry:
    access_log_record(
        actor=None, pupil_id=1, purpose="test.read", reasons=["PRINCIPAL"], granted=True
    )
    return AccessLogEntry.objects.latest("id")


ROWS = {"AuditEvent": _audit_event, "AccessLogEntry": _access_entry}


def _raw_update(row):
    table = row._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_label = %s WHERE id = %s", ["forged", row.pk])


def _raw_delete(row):
    table = row._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])


def _orm_update(row):
    type(row).objects.filter(pk=row.pk).update(actor_label="forged")


def _orm_delete(row):
    type(row).objects.filter(pk=row.pk).delete()


def _save(row):
    row.actor_label = "forged"
    row.save()


def _instance_delete(row):
    row.delete()


CHANGES = {
    "raw UPDATE": (_raw_update, "UPDATE"),
    "raw DELETE": (_raw_delete, "DELETE"),
    "ORM update()": (_orm_update, "UPDATE"),
    "ORM delete()": (_orm_delete, "DELETE"),
    "instance save()": (_save, "UPDATE"),
    "instance delete()": (_instance_delete, "DELETE"),
}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("model", ROWS)
def test_the_database_refuses_to_change_or_delete_log_rows(db, model, change):
    # given a row in the log
    row = ROWS[model]()
    label = row.actor_label
    do, operation = CHANGES[change]
    # when code changes or deletes it (in a savepoint, which PostgreSQL needs after an error)
    with (
        pytest.raises(DatabaseError, match=f"append-only: {operation} refused"),
        transaction.atomic(),
    ):
        do(row)
    # then the database refused, and the row is as it was
    assert type(row).objects.get(pk=row.pk).actor_label == label == "system"


@pytest.mark.parametrize("model", ROWS)
def test_new_log_rows_can_still_be_appended(db, model):
    ROWS[model]()
    ROWS[model]()
    assert (AuditEvent if model == "AuditEvent" else AccessLogEntry).objects.count() == 2


def test_deleting_other_rows_is_not_blocked(db):
    """The triggers guard the two log tables only."""
    organiser = OrganiserFactory()
    organiser.delete()
    assert not Organiser.objects.exists()
