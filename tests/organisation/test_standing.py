"""The acting user's standing (``organisation.scope.standing_of``): their duties, mentorships,
taught groups and family read in one query, each of them only while it is active."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from elevstod.core.timeutil import today
from elevstod.organisation.scope import standing_of
from tests.factories import (
    DutyFactory,
    GuardianshipFactory,
    MentorshipFactory,
    PersonFactory,
    PlacementFactory,
    SchoolUnitFactory,
    TeachingAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_teacher_who_mentors_and_is_a_parent_has_their_standing_read_in_one_query():
    # given a teacher at one unit, principal at another, who mentors a pupil, teaches a
    # group, is the guardian of a child and was once a pupil here; each also ended once
    person = PersonFactory()
    unit, other = SchoolUnitFactory(), SchoolUnitFactory()
    DutyFactory(person=person, unit=unit)
    DutyFactory(person=person, unit=other, principal=True)
    DutyFactory(person=person, unit=other, pupil_health=True, ended=True)
    mentee = MentorshipFactory(mentor=person, unit=unit).pupil
    MentorshipFactory(mentor=person, unit=unit, ended=True)
    group = TeachingAssignmentFactory(teacher=person).group
    TeachingAssignmentFactory(teacher=person, ended=True)
    child = GuardianshipFactory(guardian=person).pupil
    GuardianshipFactory(guardian=person, end_date=today() - dt.timedelta(days=1))
    PlacementFactory(pupil=person, ended=True)
    user = UserFactory(person=person)
    # when
    with CaptureQueriesContext(connection) as queries:
        standing = standing_of(user)
        again = standing_of(user)
    # then
    assert len(queries) == 1
    assert again is standing
    assert standing.scope.teacher_units == {unit.pk}
    assert standing.scope.principal_units == {other.pk}
    assert standing.scope.health_units == frozenset()
    assert standing.mentorships == ((mentee.pk, unit.pk),)
    assert standing.taught_groups == (group.pk,)
    assert standing.family == {child.pk, person.pk}


def test_a_user_without_a_person_has_no_standing_and_costs_no_query():
    user = UserFactory(person=None)
    with CaptureQueriesContext(connection) as queries:
        standing = standing_of(user)
    assert len(queries) == 0
    assert standing.scope.person_id is None
    assert standing.family == frozenset()
