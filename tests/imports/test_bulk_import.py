"""Writing a batch in bulk: a bad record is reported on its own while the good ones of its batch
are written, a guardian the source no longer lists stops being a guardian, one audit event per
batch and kind keeps the chain verifiable, and a batch runs the same number of queries whatever
its size."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from elevstod.accounts.services import user_create
from elevstod.audit.chain import chain_verify
from elevstod.audit.models import AuditEvent
from elevstod.imports.mapping import Importer
from elevstod.imports.models import ImportRun
from elevstod.imports.services import run_create
from elevstod.organisation.models import Guardianship, Person, Placement
from elevstod.organisation.selectors import family_pupils
from elevstod.organisation.services import person_create

from . import ssdata
from .server import Server, State
from .test_api_sync import sync
from .test_file_import import run_file

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 8, 10)


def _importer(source):
    run = run_create(actor=None, source=source, kind=ImportRun.Kind.FILE)
    importer = Importer(run=run, actor=None, today=DAY)
    importer.batch("organisations", ssdata.base_export()["organisations"])
    return importer


def _pupils(n, start=0):
    """``n`` pupils at Ekskolan, each followed by their guardian."""
    records = []
    for i in range(start, start + n):
        records.append(
            ssdata.person(f"Bulk{i} Elev", i, enrolled_at="Ekskolan", guardians=(f"Bulk{i} Vh",))
        )
        records.append(ssdata.person(f"Bulk{i} Vh", i, born=dt.date(1980, 1, 1)))
    return records


def test_one_bad_record_is_reported_and_the_good_ones_of_its_batch_are_written(source):
    importer = _importer(source)
    records = _pupils(5)
    records[4]["civicNo"] = {"value": "20150301-0000"}  # a wrong check digit

    importer.batch("persons", records)

    assert importer.errors == [
        {
            "entity": "persons",
            "id": records[4]["id"],
            "reason": "Ogiltigt personnummer.",
        }
    ]
    assert Person.objects.count() == 9
    assert Placement.objects.count() == 4
    assert Guardianship.objects.count() == 4  # the refused pupil's guardian is there, unlinked
    assert importer.counts["persons"] == {"created": 9, "failed": 1}


def test_a_civic_number_taken_twice_in_one_batch_refuses_the_second_only(source):
    importer = _importer(source)
    records = _pupils(2)
    records[2]["civicNo"] = records[0]["civicNo"]

    importer.batch("persons", records)

    assert [e["id"] for e in importer.errors] == [records[2]["id"]]
    assert importer.errors[0]["reason"] == "En annan person har redan detta personnummer."
    assert Person.objects.count() == 3


def _civic_of(record):
    return record["civicNo"]["value"].replace("-", "")


def test_a_person_entered_by_hand_is_adopted_by_their_civic_number(source):
    importer = _importer(source)
    records = _pupils(3)
    by_hand = person_create(
        actor=None, given_name="Hand", family_name="Inlagd", civic_number=_civic_of(records[2])
    )

    importer.batch("persons", records)

    by_hand.refresh_from_db()
    assert by_hand.external_id == records[2]["id"]
    assert by_hand.given_name == "Bulk1"
    assert Person.objects.count() == 6
    assert importer.counts["persons"] == {"created": 5, "updated": 1}


def test_a_civic_number_another_imported_person_holds_refuses_the_record(source):
    importer = _importer(source)
    records = _pupils(3)
    holder = person_create(
        actor=None,
        given_name="Annan",
        family_name="Person",
        civic_number=_civic_of(records[2]),
        external_id=ssdata.uid("Annan Person"),
    )

    importer.batch("persons", records)

    assert importer.errors == [
        {
            "entity": "persons",
            "id": records[2]["id"],
            "reason": "En annan person har redan detta personnummer.",
        }
    ]
    holder.refresh_from_db()
    assert (holder.given_name, holder.external_id) == ("Annan", ssdata.uid("Annan Person"))
    assert Person.objects.count() == 6


def test_a_batch_writes_one_audit_event_per_kind_and_the_chain_verifies(source):
    importer = _importer(source)
    before = AuditEvent.objects.count()

    importer.batch("persons", _pupils(20))

    codes = list(AuditEvent.objects.order_by("id").values_list("code", flat=True)[before:])
    assert codes == [
        "organisation.persons.written_in_bulk",
        "organisation.placements.written_in_bulk",
        "organisation.guardianships.written_in_bulk",
        # and one per pupil changed, for the log search of that pupil
        *["imports.pupil.synchronised"] * 20,
    ]
    event = AuditEvent.objects.get(code="organisation.persons.written_in_bulk")
    assert event.data["created"] == 40
    assert "Bulk1" not in str(event.data)
    assert chain_verify(AuditEvent).intact


def _statements_of_a_batch(source, n, start):
    """The batch's SQL statements, an insert split by the database's parameter limit (SQLite:
    999) counted once: that is one write in chunks, not a write per record."""
    importer = _importer(source)
    records = _pupils(n, start)
    with CaptureQueriesContext(connection) as ctx:
        importer.batch("persons", records)
    statements: list[str] = []
    for query in ctx.captured_queries:
        head = query["sql"].split("(", 1)[0]
        if not (head.startswith("INSERT") and statements and statements[-1] == head):
            statements.append(head)
    return statements


def test_the_queries_of_a_batch_do_not_grow_with_its_size(source):
    small = _statements_of_a_batch(source, 3, 0)
    large = _statements_of_a_batch(source, 150, 100)

    assert len(large) == len(small)
    assert len(small) < 40


def _guardianship(pupil, guardian):
    return Guardianship.objects.get(
        pupil__external_id=ssdata.uid(pupil), guardian__external_id=ssdata.uid(guardian)
    )


def _login(name):
    person = Person.objects.get(external_id=ssdata.uid(name))
    return user_create(
        actor=None, username=name.split()[0].lower(), person=person, password="x" * 12
    )


def test_a_guardian_no_longer_among_the_responsibles_stops_being_a_guardian(source, tmp_path):
    source.truncation_share = 0.25  # one pupil of eight loses a guardian: below it
    source.save()
    export = ssdata.base_export()
    with time_machine.travel("2026-08-10 03:00"):
        run_file(source, ssdata.write(tmp_path / "one", export))
    guardian = _login("Förälder1 Ek")
    assert list(family_pupils(actor=guardian)) != []
    # the first pupil's guardian is no longer listed as responsible
    export["persons"][0]["responsibles"] = []

    with time_machine.travel("2026-09-01 03:00"):
        run = run_file(source, ssdata.write(tmp_path / "two", export))
        link = _guardianship(ssdata.PUPILS[0], "Förälder1 Ek")
        assert link.end_date == dt.date(2026, 8, 31)
        assert list(family_pupils(actor=guardian)) == []
    assert run.counts["guardianships"]["ended"] == 1
    # the other guardians stay
    assert Guardianship.objects.current(dt.date(2026, 9, 1)).count() == 7


def test_a_record_that_no_longer_sends_responsibles_keeps_its_guardians(source, tmp_path):
    # a supplier that stops sending the field (or sends only the reference subset) has not
    # told us the guardians are gone: an export must not take every family's access at once
    export = ssdata.base_export()
    with time_machine.travel("2026-08-10 03:00"):
        run_file(source, ssdata.write(tmp_path / "one", export))
    for person in export["persons"]:
        person.pop("responsibles", None)
        person["givenName"] = person.get("givenName", "") + "x"  # the record changed

    with time_machine.travel("2026-09-01 03:00"):
        run = run_file(source, ssdata.write(tmp_path / "two", export))
        assert Guardianship.objects.current(dt.date(2026, 9, 1)).count() == 8
    assert "ended" not in run.counts.get("guardianships", {})


def test_a_guardian_listed_again_is_a_guardian_again(source, tmp_path):
    export = ssdata.base_export()
    responsibles = export["persons"][0]["responsibles"]
    export["persons"][0]["responsibles"] = []
    with time_machine.travel("2026-08-10 03:00"):
        run_file(source, ssdata.write(tmp_path / "one", ssdata.base_export()))
        run_file(source, ssdata.write(tmp_path / "two", export))
    export["persons"][0]["responsibles"] = responsibles

    with time_machine.travel("2026-09-01 03:00"):
        run_file(source, ssdata.write(tmp_path / "three", export))

    link = _guardianship(ssdata.PUPILS[0], "Förälder1 Ek")
    assert link.end_date is None
    assert Guardianship.objects.count() == 8


@pytest.fixture
def ss12000():
    with Server(State(export=ssdata.base_export())) as running:
        yield running


def test_a_deleted_guardian_stops_being_a_guardian(source, ss12000):
    source.truncation_share = 0.25  # one pupil of eight loses a guardian: below it
    source.save()
    server = ss12000
    with time_machine.travel("2026-08-10 03:00"):
        sync(source, server, full=True)
    source.refresh_from_db()
    gone = next(p for p in server.state.export["persons"] if p["givenName"] == "Förälder2")
    server.state.export["persons"].remove(gone)
    server.state.deleted = {"persons": [("2026-09-01T10:00:00+02:00", gone["id"])]}

    with time_machine.travel("2026-09-02 03:00"):
        run = sync(source, server)

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    link = _guardianship(ssdata.PUPILS[1], "Förälder2 Ek")
    assert link.end_date == dt.date(2026, 9, 1)
    assert Person.objects.filter(external_id=gone["id"]).exists()  # ended, never deleted
