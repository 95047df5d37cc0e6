"""Importing an SS 12000 file export fills an empty Elevstöd, and a second run changes nothing."""

from __future__ import annotations

import json
import zipfile
from io import StringIO

from django.core.management import call_command

import pytest
import time_machine

from elevstod.audit.models import AuditEvent
from elevstod.imports import hooks
from elevstod.imports.files import FileExport
from elevstod.imports.models import ImportRun
from elevstod.imports.runs import run_execute
from elevstod.imports.services import run_create
from elevstod.organisation.models import (
    Duty,
    Group,
    GroupMembership,
    Guardianship,
    Mentorship,
    Person,
    Placement,
    SchoolUnit,
    TeachingAssignment,
)

from . import ssdata

pytestmark = pytest.mark.django_db


def run_file(source, path, *, confirmed=False):
    run = run_create(actor=None, source=source, kind=ImportRun.Kind.FILE, confirmed=confirmed)
    return run_execute(run=run, data=FileExport(path), full=True, actor=None)


def snapshot():
    """Everything the import writes, as comparable tuples (no primary keys)."""
    return {
        "units": set(SchoolUnit.objects.values_list("external_id", "name", "school_unit_code")),
        "persons": set(
            Person.objects.values_list(
                "external_id",
                "given_name",
                "family_name",
                "civic_number",
                "security_marking",
                "email",
                "eppn",
            )
        ),
        "placements": set(
            Placement.objects.values_list(
                "pupil__external_id", "unit__external_id", "school_year", "end_date"
            )
        ),
        "guardians": set(
            Guardianship.objects.values_list("guardian__external_id", "pupil__external_id")
        ),
        "duties": set(
            Duty.objects.values_list("external_id", "role", "unit__external_id", "end_date")
        ),
        "groups": set(Group.objects.values_list("external_id", "kind", "name", "end_date")),
        "memberships": set(
            GroupMembership.objects.values_list(
                "group__external_id", "pupil__external_id", "end_date"
            )
        ),
        "mentorships": set(
            Mentorship.objects.values_list("mentor__external_id", "pupil__external_id", "end_date")
        ),
        "teaching": set(
            TeachingAssignment.objects.values_list(
                "teacher__external_id", "group__external_id", "end_date"
            )
        ),
    }


def test_an_export_fills_an_empty_organiser(source, tmp_path):
    # given an export of two units, eight pupils, their guardians and three staff
    path = ssdata.write(tmp_path / "export", ssdata.base_export())

    # when it is imported
    run = run_file(source, path)

    # then everything is there
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.errors == []
    assert SchoolUnit.objects.filter(organiser=source.organiser).count() == 2
    assert Person.objects.count() == 8 + 8 + 3
    assert Placement.objects.active().filter(unit__name="Ekskolan").count() == 8
    assert Guardianship.objects.count() == 8
    assert set(Duty.objects.values_list("role", flat=True)) == {
        Duty.Role.PRINCIPAL,
        Duty.Role.TEACHER,
        Duty.Role.PUPIL_HEALTH,
    }
    assert set(Group.objects.values_list("name", "kind")) == {
        ("5A", Group.Kind.CLASS),
        ("Ma 5A", Group.Kind.TEACHING),
    }
    assert GroupMembership.objects.count() == 8
    assert Mentorship.objects.filter(mentor__given_name="Lars").count() == 2
    assert TeachingAssignment.objects.filter(
        teacher__given_name="Lars", group__name="Ma 5A"
    ).exists()
    protected = Person.objects.get(external_id=ssdata.uid(ssdata.PUPILS[1]))
    assert protected.has_protected_identity
    assert protected.eppn == "elev2.101@ekby.example"
    assert run.counts["persons"]["created"] == 19
    assert run.counts["groups"]["skipped"] == 1  # the schedule group is not kept


def test_the_same_export_twice_changes_nothing_the_second_time(source, tmp_path):
    path = ssdata.write(tmp_path / "export", ssdata.base_export())
    run_file(source, path)
    before, events = snapshot(), AuditEvent.objects.filter(code__startswith="organisation").count()

    second = run_file(source, path)

    assert second.status == ImportRun.Status.SUCCEEDED
    assert snapshot() == before
    assert AuditEvent.objects.filter(code__startswith="organisation").count() == events
    assert {
        c.get("created", 0) + c.get("updated", 0) + c.get("ended", 0)
        for c in second.counts.values()
    } == {0}


def test_a_pupil_missing_from_the_next_export_is_ended_not_deleted(source, tmp_path, monkeypatch):
    told: list[int] = []  # what the support app hears (it asks the principal to close)
    monkeypatch.setattr(hooks, "_placements_ended", [told.extend])
    source.truncation_share = 0.25  # one of eight is below it
    source.save()
    export = ssdata.base_export()
    with time_machine.travel("2026-08-10 12:00"):
        run_file(source, ssdata.write(tmp_path / "one", export))
    gone = ssdata.uid(ssdata.PUPILS[0])
    export["persons"] = [p for p in export["persons"] if p["id"] != gone]
    for g in export["groups"]:
        g["groupMemberships"] = [m for m in g["groupMemberships"] if m["person"]["id"] != gone]

    run = run_file(source, ssdata.write(tmp_path / "two", export))

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    pupil = Person.objects.get(external_id=gone)  # still there
    assert not Placement.objects.active().filter(pupil=pupil).exists()
    assert Placement.objects.filter(pupil=pupil, end_date__isnull=False).exists()
    assert not GroupMembership.objects.active().filter(pupil=pupil).exists()
    assert not Mentorship.objects.active().filter(pupil=pupil).exists()
    assert run.counts["placements"]["ended"] == 1
    assert told == [Placement.objects.get(pupil=pupil).pk]


def test_a_truncated_export_stops_and_asks_before_ending_pupils(source, tmp_path):
    export = ssdata.base_export()
    with time_machine.travel("2026-08-10 12:00"):
        run_file(source, ssdata.write(tmp_path / "one", export))
    # the export broke off after three pupils
    export["persons"] = export["persons"][:3]

    run = run_file(source, ssdata.write(tmp_path / "two", export))

    assert run.status == ImportRun.Status.AWAITING_CONFIRMATION
    assert "Ekskolan" in run.message
    assert Placement.objects.active().filter(unit__name="Ekskolan").count() == 8

    confirmed = run_file(source, ssdata.write(tmp_path / "two", export), confirmed=True)
    assert confirmed.status == ImportRun.Status.SUCCEEDED
    assert Placement.objects.active().filter(unit__name="Ekskolan").count() == 3


def test_bad_records_are_reported_one_by_one_in_swedish_and_the_rest_imported(source, tmp_path):
    export = ssdata.base_export()
    export["persons"][0]["civicNo"]["value"] = "20150301-1234"  # wrong check digit
    del export["persons"][2]["id"]
    export["persons"][3]["enrolments"][0]["enroledAt"] = ssdata.ref("Okänd skola")
    export["duties"].append(ssdata.duty("d-okand", "Ingen Alls", "Ekskolan", "Lärare"))
    export["persons"][4]["givenName"] = 42

    run = run_file(source, ssdata.write(tmp_path / "export", export))

    assert run.status == ImportRun.Status.SUCCEEDED
    reasons = {(e["entity"], e["id"]): e["reason"] for e in run.errors}
    assert reasons[("persons", ssdata.uid(ssdata.PUPILS[0]))] == "Ogiltigt personnummer."
    assert ("persons", "") in reasons
    assert reasons[("placements", ssdata.uid(ssdata.PUPILS[3]))].startswith("Okänd skolenhet")
    assert reasons[("duties", ssdata.uid("d-okand"))].startswith("Okänd person")
    assert "givenName" in reasons[("persons", ssdata.uid(ssdata.PUPILS[4]))]
    # the groups' memberships of the refused pupils are refused too, one by one
    assert [e["entity"] for e in run.errors].count("persons") == 3
    assert run.errors_total == len(run.errors)
    assert Person.objects.count() == 19 - 3
    assert not Person.objects.filter(external_id=ssdata.uid(ssdata.PUPILS[0])).exists()


def test_a_change_of_security_marking_is_applied(source, tmp_path):
    export = ssdata.base_export()
    run_file(source, ssdata.write(tmp_path / "one", export))
    export["persons"][0]["securityMarking"] = "Sekretessmarkering"

    run = run_file(source, ssdata.write(tmp_path / "two", export))

    pupil = Person.objects.get(external_id=ssdata.uid(ssdata.PUPILS[0]))
    assert pupil.security_marking == Person.SecurityMarking.CONFIDENTIALITY
    assert run.counts["persons"]["updated"] == 1
    event = AuditEvent.objects.filter(code="organisation.persons.written_in_bulk").latest("id")
    assert event.data["updated"] == 1
    assert event.data["fields"] == ["security_marking"]


def test_the_run_is_recorded_with_an_audit_event_holding_counts_only(source, tmp_path):
    run = run_file(source, ssdata.write(tmp_path / "export", ssdata.base_export()))

    event = AuditEvent.objects.get(code="imports.run.finished", object_id=str(run.pk))
    assert event.data["counts"]["persons"]["created"] == 19
    text = json.dumps(event.data, ensure_ascii=False)
    assert "Elev1" not in text
    assert ssdata.uid(ssdata.PUPILS[0]) not in text


def test_the_command_imports_a_zip_and_shows_progress(source, tmp_path):
    folder = ssdata.write(tmp_path / "export", ssdata.base_export(), shape="schema")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in folder.iterdir():
            zf.write(file, f"export/{file.name}")
    out, err = StringIO(), StringIO()

    call_command("ss12000_import", str(archive), "--source", "ekby", stdout=out, stderr=err)

    assert "SUCCEEDED" in out.getvalue()
    assert "persons: 19" in err.getvalue()
    assert Person.objects.count() == 19


def test_a_refused_enrolment_ends_nothing_the_pupil_had(source, tmp_path):
    export = ssdata.base_export()
    with time_machine.travel("2026-08-10 12:00"):
        run_file(source, ssdata.write(tmp_path / "one", export))
    pupil = export["persons"][0]
    pupil["enrolments"][0]["schoolYear"] = "fem"  # a broken record from the source
    pupil["familyName"] = "Ekström"

    run = run_file(source, ssdata.write(tmp_path / "two", export))

    assert [e["entity"] for e in run.errors] == ["placements"]
    person = Person.objects.get(external_id=pupil["id"])
    assert person.family_name == "Ekström"
    assert Placement.objects.active().filter(pupil=person).exists()


def test_enrolments_missing_from_changed_records_stop_the_run_and_wait_for_confirmation(
    source, tmp_path
):
    export = ssdata.base_export()
    with time_machine.travel("2026-08-10 12:00"):
        run_file(source, ssdata.write(tmp_path / "one", export))
    # the export lost the enrolments of five of the eight pupils, the persons are there
    for pupil in export["persons"][:5]:
        pupil["enrolments"] = []

    run = run_file(source, ssdata.write(tmp_path / "two", export))
    again = run_file(source, ssdata.write(tmp_path / "two", export))

    assert run.status == again.status == ImportRun.Status.AWAITING_CONFIRMATION
    assert "Ekskolan" in run.message
    assert Placement.objects.active().filter(unit__name="Ekskolan").count() == 8
    confirmed = run_file(source, ssdata.write(tmp_path / "two", export), confirmed=True)
    assert confirmed.status == ImportRun.Status.SUCCEEDED
    assert Placement.objects.active().filter(unit__name="Ekskolan").count() == 3


def test_guardians_missing_from_changed_records_count_towards_the_guard(source, tmp_path):
    export = ssdata.base_export()
    with time_machine.travel("2026-08-10 12:00"):
        run_file(source, ssdata.write(tmp_path / "one", export))
    for pupil in export["persons"][:5]:
        pupil["responsibles"] = []

    run = run_file(source, ssdata.write(tmp_path / "two", export))

    assert run.status == ImportRun.Status.AWAITING_CONFIRMATION
    assert "vårdnadshavarna" in run.message  # the message names what it would end
    assert Guardianship.objects.filter(end_date__isnull=True).count() == 8
