"""Who may see which pupil (organisation/access.py), over the standing cast.

Each rule is tested with its allowed and its refused case side by side; the table of every user's
reasons for every pupil of the cast is ``test_access_table.py``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.core.errors import AccessDenied
from elevstod.core.timeutil import today
from elevstod.organisation.access import (
    Reason,
    Right,
    access_group,
    access_pupil,
    access_unit,
    pupil_grant,
    pupils_visible_to,
    pupils_with_support_access,
)
from elevstod.organisation.models import TeachingAssignment
from elevstod.organisation.selectors import family_pupils, organiser_overview

from .authorization import reasons, visible
from .conftest import PUPILS
from .factories import UserFactory

# --- teachers ------------------------------------------------------------------------------


def test_teacher_sees_the_pupils_of_the_groups_they_teach(cast):
    assert reasons(cast, "teacher", "pupil") == {Reason.TEACHER}
    assert "pupil" in visible(cast, "teacher")


def test_teacher_does_not_see_a_pupil_of_another_class(cast):
    # given other_pupil is in class 5B, taught by the colleague, not by the teacher
    assert reasons(cast, "colleague", "other_pupil") == {Reason.TEACHER}
    # then
    assert reasons(cast, "teacher", "other_pupil") == set()
    assert "other_pupil" not in visible(cast, "teacher")


def test_colleague_at_the_same_unit_does_not_see_the_teachers_pupil(cast):
    assert reasons(cast, "teacher", "pupil") == {Reason.TEACHER}
    assert reasons(cast, "colleague", "pupil") == set()


def test_teacher_at_another_unit_sees_no_pupil_of_this_unit(cast):
    assert visible(cast, "other_unit_teacher") == {"far_pupil"}
    for name in ("pupil", "other_pupil", "protected_pupil"):
        assert reasons(cast, "other_unit_teacher", name) == set()


def test_mentor_sees_their_mentees_and_no_one_else(cast):
    assert visible(cast, "mentor") == {"pupil", "protected_pupil"}
    assert reasons(cast, "mentor", "other_pupil") == set()


def test_ended_teaching_assignment_gives_no_access(cast):
    # given the teacher and the former teacher both hold a teacher duty at A1 today
    assert reasons(cast, "teacher", "pupil") == {Reason.TEACHER}
    # then only the one whose assignment of Ma 5A still runs sees the group's pupils
    assert reasons(cast, "former_teacher", "pupil") == set()
    assert visible(cast, "former_teacher") == set()


def test_ended_teaching_assignment_gave_access_while_it_ran(cast):
    two_months_ago = today() - dt.timedelta(days=60)
    grant = pupil_grant(cast.former_teacher, cast.pupil, day=two_months_ago)
    assert grant.reasons == {Reason.TEACHER}


def test_a_grant_asked_again_outside_a_request_sees_an_assignment_that_ended(cast):
    # given the teacher teaches the pupil
    assert reasons(cast, "teacher", "pupil") == {Reason.TEACHER}
    # when the assignment ends (grants are kept only for the length of one request)
    TeachingAssignment.objects.filter(teacher=cast.teacher.person).update(
        end_date=today() - dt.timedelta(days=1)
    )
    # then the same user object is told at once
    assert reasons(cast, "teacher", "pupil") == set()


# --- principals, pupil health, administrators ----------------------------------------------


def test_principal_sees_every_pupil_placed_at_their_unit(cast):
    assert visible(cast, "principal") == {"pupil", "other_pupil", "protected_pupil"}
    assert reasons(cast, "principal", "far_pupil") == set()


def test_principal_of_another_unit_of_the_same_organiser_sees_only_that_unit(cast):
    assert visible(cast, "other_unit_principal") == {"far_pupil"}
    assert reasons(cast, "other_unit_principal", "pupil") == set()


def test_principal_of_another_organiser_sees_nothing(cast):
    # given the foreign principal sees the pupils of their own unit
    assert visible(cast, "foreign_principal") == {"foreign_pupil"}
    # then nothing of organiser A
    for name in ("pupil", "other_pupil", "far_pupil", "protected_pupil", "former_pupil"):
        assert reasons(cast, "foreign_principal", name) == set()


def test_pupil_health_sees_every_pupil_placed_at_their_unit(cast):
    assert visible(cast, "health") == {"pupil", "other_pupil", "protected_pupil"}
    assert reasons(cast, "health", "far_pupil") == set()


def test_ended_placement_gives_the_principal_no_access(cast):
    assert reasons(cast, "principal", "pupil") == {Reason.PRINCIPAL}
    assert reasons(cast, "principal", "former_pupil") == set()
    assert "former_pupil" not in visible(cast, "principal")


def test_ended_placement_gave_the_principal_access_while_it_ran(cast):
    two_months_ago = today() - dt.timedelta(days=60)
    grant = pupil_grant(cast.principal, cast.former_pupil, day=two_months_ago)
    assert grant.reasons == {Reason.PRINCIPAL}
    ids = pupils_visible_to(cast.principal, day=two_months_ago).values_list("pk", flat=True)
    assert cast.former_pupil.pk in set(ids)


def test_administrator_sees_pupils_but_not_support(cast):
    admin = pupil_grant(cast.admin, cast.pupil)
    principal = pupil_grant(cast.principal, cast.pupil)
    assert admin.reasons == {Reason.ADMINISTRATOR}
    assert admin.has(Right.VIEW_PUPIL)
    assert admin.has(Right.MANAGE_PEOPLE)
    assert not admin.has(Right.VIEW_SUPPORT)
    assert principal.has(Right.VIEW_SUPPORT)
    assert set(pupils_with_support_access(cast.admin)) == set()
    assert set(pupils_with_support_access(cast.principal)) == {
        cast.pupil,
        cast.other_pupil,
        cast.protected_pupil,
    }


def test_support_is_visible_only_for_pupils_at_a_unit_with_the_module(cast):
    # given A1 has the support module and A2 has not
    teacher_a1 = pupil_grant(cast.teacher, cast.pupil)
    teacher_a2 = pupil_grant(cast.other_unit_teacher, cast.far_pupil)
    # then both teachers see their pupil, only the one at A1 sees the support
    assert teacher_a1.has(Right.VIEW_PUPIL)
    assert teacher_a2.has(Right.VIEW_PUPIL)
    assert teacher_a1.has(Right.VIEW_SUPPORT)
    assert not teacher_a2.has(Right.VIEW_SUPPORT)
    assert set(pupils_with_support_access(cast.other_unit_teacher)) == set()


# --- protected identity --------------------------------------------------------------------


def test_protected_pupil_is_hidden_from_the_teacher_who_teaches_them(cast):
    # given the teacher teaches Ma 5A, where both pupils are members
    assert reasons(cast, "teacher", "pupil") == {Reason.TEACHER}
    # then the one with skyddad folkbokföring is hidden from them
    assert reasons(cast, "teacher", "protected_pupil") == set()
    assert "protected_pupil" not in visible(cast, "teacher")


def test_protected_pupil_is_visible_to_mentor_principal_and_pupil_health(cast):
    assert reasons(cast, "mentor", "protected_pupil") == {Reason.MENTOR}
    assert reasons(cast, "principal", "protected_pupil") == {Reason.PRINCIPAL}
    assert reasons(cast, "health", "protected_pupil") == {Reason.PUPIL_HEALTH}
    for name in ("mentor", "principal", "health"):
        assert "protected_pupil" in visible(cast, name)


def test_protected_pupil_is_hidden_from_the_administrator(cast):
    assert reasons(cast, "admin", "pupil") == {Reason.ADMINISTRATOR}
    assert reasons(cast, "admin", "protected_pupil") == set()
    assert "protected_pupil" not in visible(cast, "admin")


@pytest.mark.parametrize("marking", ["SEKRETESSMARKERING", "SKYDDAD_FOLKBOKFORING"])
def test_every_security_marking_hides_the_pupil_from_their_teacher(cast, marking):
    pupil = cast.pupil
    assert pupil_grant(cast.teacher, pupil).reasons == {Reason.TEACHER}
    pupil.security_marking = marking
    pupil.save()
    assert pupil_grant(cast.teacher, pupil).reasons == frozenset()
    assert pupil_grant(cast.mentor, pupil).reasons == {Reason.MENTOR}


def test_protected_pupils_guardian_contacts_are_never_shown(cast):
    # given the principal sees the guardians' contact details of an ordinary pupil
    assert pupil_grant(cast.principal, cast.pupil).has(Right.VIEW_GUARDIAN_CONTACTS)
    # then no one sees those of the protected pupil, whatever their reason
    for name in ("mentor", "principal", "health"):
        grant = pupil_grant(cast.user(name), cast.protected_pupil)
        assert grant.has(Right.VIEW_PUPIL)
        assert not grant.has(Right.VIEW_GUARDIAN_CONTACTS)


def test_protected_pupils_guardian_sees_their_child(cast):
    user = UserFactory(person=cast.protected_guardian)
    assert pupil_grant(user, cast.protected_pupil).reasons == {Reason.GUARDIAN}


# --- families ------------------------------------------------------------------------------


def test_guardian_sees_own_child_in_family_view_only(cast):
    grant = pupil_grant(cast.guardian, cast.pupil)
    assert grant.reasons == {Reason.GUARDIAN}
    assert grant.rights == {Right.FAMILY_VIEW}
    assert visible(cast, "guardian") == set()
    assert visible(cast, "guardian", staff_only=False) == {"pupil"}
    assert access_pupil(actor=cast.guardian, pk=cast.pupil.pk, purpose="t", right=Right.FAMILY_VIEW)
    with pytest.raises(AccessDenied):
        access_pupil(actor=cast.guardian, pk=cast.pupil.pk, purpose="t", right=Right.VIEW_PUPIL)


def test_guardian_does_not_see_another_child(cast):
    assert reasons(cast, "other_guardian", "other_pupil") == {Reason.GUARDIAN}
    assert reasons(cast, "guardian", "other_pupil") == set()
    assert visible(cast, "guardian", staff_only=False) == {"pupil"}
    assert list(family_pupils(actor=cast.guardian)) == [cast.pupil]
    with pytest.raises(AccessDenied):
        access_pupil(
            actor=cast.guardian, pk=cast.other_pupil.pk, purpose="t", right=Right.FAMILY_VIEW
        )


def test_pupil_sees_themselves_in_family_view_only(cast):
    grant = pupil_grant(cast.pupil_user, cast.pupil)
    assert grant.reasons == {Reason.SELF}
    assert grant.rights == {Right.FAMILY_VIEW}
    assert reasons(cast, "pupil_user", "other_pupil") == set()
    assert visible(cast, "pupil_user") == set()
    assert visible(cast, "pupil_user", staff_only=False) == {"pupil"}


# --- analysts and users without a role -----------------------------------------------------


def test_analyst_sees_no_pupil(cast):
    # given the analyst's organiser has pupils, which the analyst counts (never the one with
    # protected identity: a count could reveal them)
    counts = {row["name"]: row["pupil_count"] for row in organiser_overview(actor=cast.analyst)}
    assert counts == {"Ekskolan": 2, "Aspskolan": 1}
    # then no pupil is visible to them, one by one or as a list
    assert visible(cast, "analyst", staff_only=False) == set()
    for name in PUPILS:
        assert reasons(cast, "analyst", name) == set()


def test_user_without_a_person_sees_nothing(cast):
    assert visible(cast, "nobody", staff_only=False) == set()
    assert reasons(cast, "nobody", "pupil") == set()
    assert organiser_overview(actor=cast.nobody) == []


def test_anonymous_user_sees_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not pupils_visible_to(AnonymousUser(), staff_only=False).exists()
    assert pupil_grant(AnonymousUser(), cast.pupil).reasons == frozenset()


# --- access_pupil: the one way to get one pupil, logged ------------------------------------


def test_access_pupil_logs_a_granted_read_with_its_reasons(cast):
    grant = access_pupil(
        actor=cast.teacher, pk=cast.pupil.pk, purpose="test.read", path="/elever/1/"
    )
    assert grant.pupil == cast.pupil
    entry = AccessLogEntry.objects.get()
    assert (entry.actor_id, entry.pupil_id, entry.purpose) == (
        cast.teacher.pk,
        cast.pupil.pk,
        "test.read",
    )
    assert entry.reasons == "TEACHER"
    assert entry.granted is True
    assert entry.path == "/elever/1/"


def test_access_pupil_refuses_and_logs_a_pupil_the_actor_may_not_see(cast):
    with pytest.raises(AccessDenied):
        access_pupil(actor=cast.teacher, pk=cast.other_pupil.pk, purpose="test.read")
    entry = AccessLogEntry.objects.get()
    assert entry.pupil_id == cast.other_pupil.pk
    assert entry.granted is False
    assert entry.reasons == ""


def test_access_pupil_answers_a_missing_pupil_as_a_refused_one(cast):
    missing = max(p.pk for p in (cast.pupil, cast.former_pupil, cast.protected_guardian)) + 1000
    with pytest.raises(AccessDenied) as refused:
        access_pupil(actor=cast.teacher, pk=cast.other_pupil.pk, purpose="test.read")
    with pytest.raises(AccessDenied) as absent:
        access_pupil(actor=cast.teacher, pk=missing, purpose="test.read")
    assert str(refused.value) == str(absent.value)
    assert refused.value.code == absent.value.code
    assert [e.granted for e in AccessLogEntry.objects.all()] == [False, False]
    assert AccessLogEntry.objects.filter(pupil_id__isnull=True).count() == 1


def test_access_pupil_needs_the_asked_right(cast):
    assert access_pupil(actor=cast.admin, pk=cast.pupil.pk, purpose="t", right=Right.VIEW_PUPIL)
    with pytest.raises(AccessDenied):
        access_pupil(actor=cast.admin, pk=cast.pupil.pk, purpose="t", right=Right.VIEW_SUPPORT)
    assert [e.granted for e in AccessLogEntry.objects.order_by("id")] == [True, False]


# --- units and groups ----------------------------------------------------------------------


def test_staff_open_the_units_where_they_hold_a_duty_and_no_other(cast):
    assert access_unit(actor=cast.teacher, pk=cast.unit_a1.pk) == cast.unit_a1
    for actor in (cast.teacher, cast.analyst, cast.guardian, cast.nobody):
        with pytest.raises(AccessDenied):
            access_unit(actor=actor, pk=cast.unit_a2.pk)
    with pytest.raises(AccessDenied):
        access_unit(actor=cast.foreign_principal, pk=cast.unit_a1.pk)


def test_staff_open_the_groups_of_their_units_and_no_other(cast):
    assert access_group(actor=cast.colleague, pk=cast.maths_5a.pk) == cast.maths_5a
    with pytest.raises(AccessDenied):
        access_group(actor=cast.teacher, pk=cast.maths_a2.pk)
    with pytest.raises(AccessDenied):
        access_group(actor=cast.guardian, pk=cast.class_5a.pk)
