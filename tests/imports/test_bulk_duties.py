"""Duties and activities written in bulk: a bad record is reported on its own in Swedish while
the good ones of its batch are written, one audit event per batch and kind keeps the chain
verifiable, a second run changes nothing, and the SQL statements of a batch do not grow with
its size."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from elevstod.audit.chain import chain_verify
from elevstod.audit.models import AuditEvent
from elevstod.imports.models import SourceRecord
from elevstod.organisation.models import Duty, Group, GroupMembership, TeachingAssignment

from . import ssdata
from .test_bulk_import import _importer

pytestmark = pytest.mark.django_db


def _staff(n, start):
    """``n`` teachers at Ekskolan, each with a teaching group, a mentor group and a pupil in
    both, a duty that is mentor of the mentor group and an activity in their own subject."""
    people, duties, groups, activities = [], [], [], []
    for i in range(start, start + n):
        teacher, pupil = f"Lär{i} Arsson", f"Elev{i} Sson"
        people += [
            ssdata.person(teacher, 3000 + i, born=dt.date(1980, 1, 1)),
            ssdata.person(pupil, 3000 + i, enrolled_at="Ekskolan"),
        ]
        duty = ssdata.duty(f"Tjänst{i}", teacher, "Ekskolan", "Lärare")
        duty["assignmentRole"] = [
            {"group": ssdata.ref(f"Mentor{i}"), "assignmentRoleType": "Mentor"}
        ]
        duties.append(duty)
        groups += [
            ssdata.group(f"Ma{i}", "Ekskolan", "Undervisning", [pupil]),
            ssdata.group(f"Mentor{i}", "Ekskolan", "Mentor", [pupil]),
        ]
        activity = ssdata.activity(f"Akt{i}", "Ekskolan", [f"Ma{i}"], [f"Tjänst{i}"])
        activity["syllabus"] = {"subjectCode": f"GRGRX{i:04d}", "subjectName": f"Ämne {i}"}
        activities.append(activity)
    return people, duties, groups, activities


def _load(importer, people, duties, groups, activities):
    importer.batch("persons", people)
    importer.batch("duties", duties)
    importer.batch("groups", groups)
    importer.batch("activities", activities)


def _statements(ctx):
    """The statements, an insert split by the database's parameter limit counted once."""
    statements: list[str] = []
    for query in ctx.captured_queries:
        head = query["sql"].split("(", 1)[0]
        if not (head.startswith("INSERT") and statements and statements[-1] == head):
            statements.append(head)
    return statements


def _statements_of_duties_and_activities(source, n, start):
    importer = _importer(source)
    people, duties, groups, activities = _staff(n, start)
    importer.batch("persons", people)
    with CaptureQueriesContext(connection) as ctx:
        importer.batch("duties", duties)
    written = _statements(ctx)
    importer.batch("groups", groups)
    with CaptureQueriesContext(connection) as ctx:
        importer.batch("activities", activities)
    written += _statements(ctx)
    for duty in duties:  # a new role, an end and no longer a mentor: the update paths
        duty["dutyRole"], duty["endDate"], duty["assignmentRole"] = "Rektor", "2026-12-31", []
    with CaptureQueriesContext(connection) as ctx:
        importer.batch("duties", duties)
    return written + _statements(ctx)


def test_the_queries_of_the_duties_and_activities_of_a_batch_do_not_grow_with_its_size(source):
    small = _statements_of_duties_and_activities(source, 2, 0)
    large = _statements_of_duties_and_activities(source, 120, 100)

    assert len(large) == len(small)
    assert len(small) < 80


def test_a_duty_of_an_unknown_person_is_reported_and_the_others_of_its_batch_are_written(source):
    importer = _importer(source)
    people, duties, _, _ = _staff(3, 0)
    duties[1]["person"] = ssdata.ref("Ingen Alls")
    importer.batch("persons", people)
    before = AuditEvent.objects.count()

    importer.batch("duties", duties)

    assert importer.errors == [
        {
            "entity": "duties",
            "id": duties[1]["id"],
            "reason": f"Okänd person {ssdata.uid('Ingen Alls')}.",
        }
    ]
    assert set(Duty.objects.values_list("external_id", flat=True)) == {
        duties[0]["id"],
        duties[2]["id"],
    }
    codes = list(AuditEvent.objects.order_by("id").values_list("code", flat=True)[before:])
    assert codes == ["organisation.duties.written_in_bulk"]
    assert AuditEvent.objects.get(code="organisation.duties.written_in_bulk").data["assigned"] == 2
    assert chain_verify(AuditEvent).intact


def test_an_unmapped_duty_role_is_skipped_and_a_mapped_one_kept(source):
    importer = _importer(source)
    people, duties, _, _ = _staff(2, 0)
    duties[0]["dutyRole"] = "Vaktmästare"
    importer.batch("persons", people)

    importer.batch("duties", duties)

    assert list(Duty.objects.values_list("external_id", "role")) == [
        (duties[1]["id"], Duty.Role.TEACHER)
    ]
    assert importer.counts["duties"] == {"created": 1, "skipped": 1}


def test_an_activity_with_an_unknown_teacher_keeps_its_known_teacher_and_reports_the_other(
    source,
):
    importer = _importer(source)
    people, duties, groups, activities = _staff(2, 0)
    activities[0]["teachers"].append({"duty": ssdata.ref("Okänd Tjänst")})
    importer.batch("persons", people)
    importer.batch("duties", duties)
    importer.batch("groups", groups)

    importer.batch("activities", activities)

    assert importer.errors == [
        {
            "entity": "teaching",
            "id": activities[0]["id"],
            "reason": f"Okänt tjänstgöringsuppdrag {ssdata.uid('Okänd Tjänst')}.",
        }
    ]
    assert TeachingAssignment.objects.count() == 2
    assert Group.objects.filter(subject__isnull=False).count() == 2
    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert {
        "organisation.teaching.written_in_bulk",
        "organisation.subjects.created_in_bulk",
        "organisation.groups.subject_set_in_bulk",
    } <= codes
    assert chain_verify(AuditEvent).intact


def test_a_second_run_of_the_same_duties_and_activities_changes_nothing(source):
    data = _staff(5, 0)
    _load(_importer(source), *data)
    teaching = set(TeachingAssignment.objects.values_list("pk", "end_date"))
    events = AuditEvent.objects.count()

    # read again in full, as a record that changed and came back would be
    SourceRecord.objects.filter(kind__in=["duties", "activities"]).update(digest="")
    again = _importer(source)
    again.batch("duties", data[1])
    again.batch("activities", data[3])

    assert set(TeachingAssignment.objects.values_list("pk", "end_date")) == teaching
    assert AuditEvent.objects.count() == events
    assert again.counts["duties"]["unchanged"] == 0
    assert "created" not in again.counts["duties"]
    assert "created" not in again.counts["teaching"]


def _statements_of_groups(source, n, start):
    importer = _importer(source)
    people, duties, groups, _ = _staff(n, start)
    importer.batch("persons", people)
    importer.batch("duties", duties)
    plain = [g for g in groups if g["groupType"] != "Mentor"]  # mentor groups go one by one
    with CaptureQueriesContext(connection) as ctx:
        importer.batch("groups", plain)
    return _statements(ctx)


def test_the_queries_of_a_batch_of_classes_and_teaching_groups_do_not_grow_with_its_size(source):
    small = _statements_of_groups(source, 2, 0)
    large = _statements_of_groups(source, 60, 100)

    assert len(large) == len(small)
    assert GroupMembership.objects.count() == 62
