"""Mentor assignments on duties (``assignmentRole`` of type Mentor, full standard): the duty's
person mentors the members of the group it names; without them a mentor group's staff members
are the mentors, as before."""

from __future__ import annotations

import datetime as dt

import pytest

from elevstod.imports.files import FileExport
from elevstod.imports.models import ImportRun
from elevstod.imports.runs import run_execute
from elevstod.imports.services import run_create
from elevstod.organisation.models import Mentorship

from . import ssdata

pytestmark = pytest.mark.django_db


def run_file(source, path):
    run = run_create(actor=None, source=source, kind=ImportRun.Kind.FILE)
    return run_execute(run=run, data=FileExport(path), full=True, actor=None)


def export(*, assignment="Mentor", group="Mentor Lars", mentor_is_member=False):
    data = ssdata.base_export()
    members = ssdata.PUPILS[:2]
    data["groups"][2] = ssdata.group(
        "Mentor Lars",
        "Ekskolan",
        "Mentor",
        (["Lars Lärarsson"] if mentor_is_member else []) + members,
    )
    if assignment:
        data["duties"][1]["assignmentRole"] = [
            {"group": ssdata.ref(group), "assignmentRoleType": assignment}
        ]
    return data


def mentorships():
    return set(
        Mentorship.objects.values_list("mentor__external_id", "pupil__external_id", "end_date")
    )


def lars_mentors(*pupils, end=None):
    return {(ssdata.uid("Lars Lärarsson"), ssdata.uid(p), end) for p in pupils}


def test_the_duty_of_a_mentor_makes_them_mentor_of_the_groups_members(source, tmp_path):
    run = run_file(source, ssdata.write(tmp_path, export()))

    assert run.errors == []
    assert mentorships() == lars_mentors(*ssdata.PUPILS[:2])


def test_without_an_assignment_a_mentor_group_without_staff_gives_no_mentors(source, tmp_path):
    run_file(source, ssdata.write(tmp_path, export(assignment=None)))

    assert mentorships() == set()


def test_another_assignment_type_gives_no_mentors(source, tmp_path):
    run_file(source, ssdata.write(tmp_path, export(assignment="Elevassistent")))

    assert mentorships() == set()


def test_a_mentor_both_assigned_and_member_is_counted_once_and_a_rerun_changes_nothing(
    source, tmp_path
):
    path = ssdata.write(tmp_path, export(mentor_is_member=True))
    first = run_file(source, path)
    second = run_file(source, path)

    assert Mentorship.objects.count() == 2
    assert first.counts["mentorships"] == {"created": 2}
    assert "mentorships" not in second.counts


def test_an_assignment_to_a_class_makes_the_mentor_of_its_pupils(source, tmp_path):
    run_file(source, ssdata.write(tmp_path, export(group="5A")))

    assert lars_mentors(*ssdata.PUPILS[:4]) <= mentorships()


def test_an_assignment_added_later_takes_effect_though_the_group_is_unchanged(source, tmp_path):
    run_file(source, ssdata.write(tmp_path / "one", export(assignment=None)))

    run_file(source, ssdata.write(tmp_path / "two", export()))

    assert mentorships() == lars_mentors(*ssdata.PUPILS[:2])


def test_an_assignment_dropped_ends_the_mentorships_it_gave(source, tmp_path):
    run_file(source, ssdata.write(tmp_path / "one", export()))

    run = run_file(source, ssdata.write(tmp_path / "two", export(assignment=None)))

    assert run.counts["mentorships"]["ended"] == 2
    assert Mentorship.objects.filter(end_date__isnull=True).count() == 0
    assert Mentorship.objects.count() == 2  # ended, never deleted


def test_an_assignment_without_a_valid_group_refuses_the_duty(source, tmp_path):
    data = export()
    data["duties"][1]["assignmentRole"] = [{"group": {}, "assignmentRoleType": "Mentor"}]

    run = run_file(source, ssdata.write(tmp_path, data))

    assert ("duties", ssdata.uid("d-larare")) in [(e["entity"], e["id"]) for e in run.errors]
    assert mentorships() == set()


def test_a_duty_gone_from_the_export_ends_the_mentorships_it_gave(source, tmp_path):
    # a mentor who leaves keeps no access to the pupils they mentored
    run_file(source, ssdata.write(tmp_path / "one", export()))
    data = export()
    data["duties"] = [d for d in data["duties"] if d is not data["duties"][1]]

    run_file(source, ssdata.write(tmp_path / "two", data))

    assert Mentorship.objects.filter(end_date__isnull=True).count() == 0
    assert Mentorship.objects.count() == 2  # ended, never deleted


def test_a_duty_at_another_unit_makes_no_mentor_of_this_units_group(source, tmp_path):
    data = export()
    assignment = data["duties"][1]["assignmentRole"]
    data["duties"][1] = ssdata.duty("d-larare", "Lars Lärarsson", "Aspskolan", "Lärare")
    data["duties"][1]["assignmentRole"] = assignment

    run_file(source, ssdata.write(tmp_path, data))

    assert mentorships() == set()


def _dated(data, **dates):
    data["duties"][1]["assignmentRole"][0].update(dates)
    return data


def mentorship_periods():
    return set(Mentorship.objects.values_list("pupil__external_id", "start_date", "end_date"))


def test_a_mentor_assignment_gives_the_mentorship_its_start_and_end(source, tmp_path):
    data = _dated(export(), startDate="2026-08-17", endDate="2027-06-11")

    run = run_file(source, ssdata.write(tmp_path, data))

    assert run.errors == []
    assert mentorship_periods() == {
        (ssdata.uid(p), dt.date(2026, 8, 17), dt.date(2027, 6, 11)) for p in ssdata.PUPILS[:2]
    }


def test_a_changed_assignment_end_ends_the_mentorships_on_the_new_day(source, tmp_path):
    run_file(source, ssdata.write(tmp_path, export()))
    data = _dated(export(), endDate="2099-06-11")

    second = run_file(source, ssdata.write(tmp_path, data))
    third = run_file(source, ssdata.write(tmp_path, data))

    assert {end for _, _, end in mentorship_periods()} == {dt.date(2099, 6, 11)}
    assert Mentorship.objects.count() == 2
    assert second.counts["mentorships"] == {"ended": 2}
    assert "mentorships" not in third.counts


def test_a_duty_with_a_future_end_ends_its_mentorships_on_that_day(source, tmp_path):
    run_file(source, ssdata.write(tmp_path, export()))
    data = export()
    data["duties"][1]["endDate"] = "2099-06-30"

    run_file(source, ssdata.write(tmp_path, data))

    assert mentorships() == lars_mentors(*ssdata.PUPILS[:2], end=dt.date(2099, 6, 30))


def test_an_assignment_ending_after_its_duty_ends_with_the_duty(source, tmp_path):
    data = _dated(export(), startDate="2026-08-17", endDate="2099-12-31")
    data["duties"][1]["endDate"] = "2099-06-30"

    run_file(source, ssdata.write(tmp_path, data))

    assert mentorships() == lars_mentors(*ssdata.PUPILS[:2], end=dt.date(2099, 6, 30))


def test_a_mentor_groups_mentor_mentors_until_their_duty_ends(source, tmp_path):
    # given the fallback (no assignment, the mentor a member of the mentor group) and a duty
    # that ends
    data = export(assignment="", mentor_is_member=True)
    data["duties"][1]["endDate"] = "2099-06-30"

    run_file(source, ssdata.write(tmp_path, data))

    assert mentorships() == lars_mentors(*ssdata.PUPILS[:2], end=dt.date(2099, 6, 30))
