"""An activity's subject (``syllabus`` of the full standard) becomes its teaching group's subject;
without one the group keeps what it has, and a class (taught many subjects) gets none."""

from __future__ import annotations

import pytest

from elevstod.audit.models import AuditEvent
from elevstod.imports.files import FileExport
from elevstod.imports.models import ImportRun
from elevstod.imports.runs import run_execute
from elevstod.imports.services import run_create
from elevstod.organisation.models import Group, Subject

from . import ssdata

pytestmark = pytest.mark.django_db

MATHS = {"subjectCode": "GRGRMAT01", "subjectName": "Matematik"}


def run_file(source, path):
    run = run_create(actor=None, source=source, kind=ImportRun.Kind.FILE)
    return run_execute(run=run, data=FileExport(path), full=True, actor=None)


def export_with(syllabus, groups=("Ma 5A",)):
    export = ssdata.base_export()
    export["activities"][0]["groups"] = [ssdata.ref(g) for g in groups]
    if syllabus is not None:
        export["activities"][0]["syllabus"] = syllabus
    return export


def test_the_teaching_group_gets_the_subject_of_its_activity(source, tmp_path):
    run = run_file(source, ssdata.write(tmp_path, export_with(MATHS)))

    group = Group.objects.get(external_id=ssdata.uid("Ma 5A"))
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (group.subject.code, group.subject.name) == ("GRGRMAT01", "Matematik")
    event = AuditEvent.objects.get(code="organisation.subjects.created_in_bulk")
    assert event.data["created"] == 1


def test_an_existing_subject_is_used_and_a_second_run_changes_nothing(source, tmp_path):
    Subject.objects.create(code="GRGRMAT01", name="Matematik")
    path = ssdata.write(tmp_path, export_with(MATHS))
    run_file(source, path)
    events = AuditEvent.objects.count()

    run_file(source, path)

    assert Subject.objects.count() == 1
    assert AuditEvent.objects.filter(code="organisation.subjects.created_in_bulk").count() == 0
    assert AuditEvent.objects.filter(code="organisation.groups.subject_set_in_bulk").count() == 1
    assert AuditEvent.objects.count() == events + 1  # the second run's own event only


def test_without_a_syllabus_the_group_has_no_subject_as_before(source, tmp_path):
    run_file(source, ssdata.write(tmp_path, export_with(None)))

    assert Group.objects.get(external_id=ssdata.uid("Ma 5A")).subject is None
    assert not Subject.objects.exists()


def test_a_bare_syllabus_reference_without_a_code_is_no_subject(source, tmp_path):
    run = run_file(source, ssdata.write(tmp_path, export_with({"id": ssdata.uid("syllabus")})))

    assert run.errors_total == 0
    assert Group.objects.get(external_id=ssdata.uid("Ma 5A")).subject is None


def test_a_class_taught_in_the_activity_gets_no_subject(source, tmp_path):
    run_file(source, ssdata.write(tmp_path, export_with(MATHS, groups=("5A", "Ma 5A"))))

    assert Group.objects.get(external_id=ssdata.uid("5A")).subject is None
    assert Group.objects.get(external_id=ssdata.uid("Ma 5A")).subject is not None


def test_a_syllabus_that_is_not_an_object_refuses_the_activity(source, tmp_path):
    run = run_file(source, ssdata.write(tmp_path, export_with("GRGRMAT01")))

    assert [e["entity"] for e in run.errors] == ["activities"]
    assert "syllabus" in run.errors[0]["reason"]
    assert Group.objects.get(external_id=ssdata.uid("Ma 5A")).subject is None
