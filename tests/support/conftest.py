"""A small school for the support tests, built with the real organisation services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from elevstod.accounts.models import User
from elevstod.accounts.services import user_create
from elevstod.core.timeutil import today
from elevstod.organisation import services as org
from elevstod.organisation.models import Duty, Group, Person, SchoolUnit, Subject


@dataclass
class School:
    unit: SchoolUnit
    plain_unit: SchoolUnit
    maths: Subject
    music: Subject
    pupil: Person
    classmate: Person
    protected: Person
    plain_pupil: Person
    teacher: User
    mentor: User
    colleague: User
    principal: User
    admin: User
    health: User
    plain_principal: User
    guardian: User
    maths_group: Group


def _staff(name: str, unit: SchoolUnit, role: str, start: dt.date, title: str = "") -> User:
    given, family = name.split()
    person = org.person_create(actor=None, given_name=given, family_name=family)
    org.duty_assign(actor=None, person=person, role=role, unit=unit, start_date=start, title=title)
    return user_create(actor=None, username=given.lower(), person=person, password="x" * 12)


@pytest.fixture
def school(db) -> School:
    start = today() - dt.timedelta(days=200)
    organiser = org.organiser_create(actor=None, name="Testby kommun", kind="MUNICIPALITY")
    unit = org.unit_create(
        actor=None,
        organiser=organiser,
        name="Ekskolan",
        school_unit_code="10000001",
        support_module_enabled=True,
    )
    plain = org.unit_create(
        actor=None,
        organiser=organiser,
        name="Aspskolan",
        school_unit_code="10000002",
        support_module_enabled=False,
    )
    maths = org.subject_create(actor=None, code="GRGRMAT01", name="Matematik")
    music = org.subject_create(actor=None, code="GRGRMUS01", name="Musik")
    org.subject_create(actor=None, code="GRGRSVE01", name="Svenska")

    def pupil(given: str, at: SchoolUnit, **kw: str) -> Person:
        p = org.person_create(actor=None, given_name=given, family_name="Elev", **kw)
        org.placement_start(actor=None, pupil=p, unit=at, school_year=5, start_date=start)
        return p

    p1, p2 = pupil("Alva", unit), pupil("Bo", unit)
    prot = pupil("Cilla", unit, security_marking=Person.SecurityMarking.PROTECTED_REGISTRATION)
    plain_pupil = pupil("Dan", plain)
    class_5a = org.group_create(
        actor=None, unit=unit, name="5A", kind=Group.Kind.CLASS, start_date=start, school_year=5
    )
    maths_5a = org.group_create(
        actor=None,
        unit=unit,
        name="Ma 5A",
        kind=Group.Kind.TEACHING,
        start_date=start,
        subject=maths,
        school_year=5,
    )
    for p in (p1, p2, prot):
        org.membership_add(actor=None, group=class_5a, pupil=p, start_date=start)
        org.membership_add(actor=None, group=maths_5a, pupil=p, start_date=start)
    teacher = _staff("Tove Lärare", unit, Duty.Role.TEACHER, start)
    mentor = _staff("Mats Mentor", unit, Duty.Role.TEACHER, start)
    colleague = _staff("Kim Kollega", unit, Duty.Role.TEACHER, start)
    org.teaching_assign(actor=None, teacher=teacher.person, group=maths_5a, start_date=start)
    for p in (p1, prot):
        org.mentorship_assign(
            actor=None, mentor=mentor.person, pupil=p, unit=unit, start_date=start
        )
    guardian_person = org.person_create(actor=None, given_name="Gun", family_name="Elev")
    org.guardianship_add(actor=None, guardian=guardian_person, pupil=p1)
    return School(
        unit=unit,
        plain_unit=plain,
        maths=maths,
        music=music,
        pupil=p1,
        classmate=p2,
        protected=prot,
        plain_pupil=plain_pupil,
        teacher=teacher,
        mentor=mentor,
        colleague=colleague,
        principal=_staff("Rut Rektor", unit, Duty.Role.PRINCIPAL, start),
        admin=_staff("Ada Admin", unit, Duty.Role.ADMINISTRATOR, start),
        health=_staff("Sara Specialpedagog", unit, Duty.Role.PUPIL_HEALTH, start, "Specialpedagog"),
        plain_principal=_staff("Per Rektor", plain, Duty.Role.PRINCIPAL, start),
        guardian=user_create(actor=None, username="gun", person=guardian_person, password="x" * 12),
        maths_group=maths_5a,
    )
