"""The standing cast: two organisers, three school units, six pupils and the people around them.

Organiser A (Ekby kommun) has unit A1 (Ekskolan, support module enabled) and unit A2 (Aspskolan,
without the module); organiser B (Friskolan AB) has unit B1 (Björkskolan). At A1, class 5A and
the teaching group "Ma 5A" (mathematics) hold ``pupil`` and ``protected_pupil``; class 5B holds
``other_pupil``. Every name is unique in the cast, so a page that shows a name shows that person.

Built afresh for each test that asks for ``cast`` (and rolled back after it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.test import Client
from django.utils import translation

import pytest

from elevstod.accounts import sms
from elevstod.accounts.models import User
from elevstod.organisation.models import Group, Organiser, Person, SchoolUnit, Subject

from .factories import (
    DutyFactory,
    GroupFactory,
    GroupMembershipFactory,
    GuardianshipFactory,
    MentorshipFactory,
    OrganiserFactory,
    PersonFactory,
    PlacementFactory,
    SchoolUnitFactory,
    SubjectFactory,
    TeachingAssignmentFactory,
    UserFactory,
    civic_number_for,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "real_step_up: force_login does not mark the session as verified by a second factor",
    )


@pytest.fixture(autouse=True)
def _sms_to_locmem(settings):
    """SMS go to ``elevstod.accounts.sms.outbox`` (emptied for each test), never out."""
    settings.SMS_BACKEND = "elevstod.accounts.sms.LocmemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A page asked for in English leaves English active in the thread: back to the default."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _force_login_steps_up(request, monkeypatch):
    """``client.force_login(user)`` also verifies a second factor, as after a Skolfederation
    login with 2FA, so that tests of the support pages need not step up. Tests of the step-up
    itself use ``@pytest.mark.real_step_up``."""
    if request.node.get_closest_marker("real_step_up"):
        return
    original = Client.force_login

    def force_login(self, user, backend=None):
        from elevstod.accounts.models import FederationDevice
        from elevstod.accounts.stepup import session_mark_verified

        original(self, user, backend)
        device, _ = FederationDevice.objects.get_or_create(
            user=user, defaults={"name": "test", "confirmed": True}
        )
        session_mark_verified(self.session, device)

    monkeypatch.setattr(Client, "force_login", force_login)


PUPILS = (
    "pupil",
    "other_pupil",
    "far_pupil",
    "foreign_pupil",
    "protected_pupil",
    "former_pupil",
)
USERS = (
    "teacher",
    "mentor",
    "colleague",
    "principal",
    "health",
    "admin",
    "other_unit_teacher",
    "other_unit_principal",
    "foreign_principal",
    "analyst",
    "guardian",
    "other_guardian",
    "pupil_user",
    "former_teacher",
    "nobody",
)


@dataclass
class Cast:
    organiser_a: Organiser
    organiser_b: Organiser
    unit_a1: SchoolUnit
    unit_a2: SchoolUnit
    unit_b1: SchoolUnit
    maths: Subject
    class_5a: Group
    class_5b: Group
    maths_5a: Group
    maths_a2: Group
    # pupils
    pupil: Person
    other_pupil: Person
    far_pupil: Person
    foreign_pupil: Person
    protected_pupil: Person
    former_pupil: Person
    protected_guardian: Person  # the protected pupil's guardian: no login, contact details set
    # users
    teacher: User
    mentor: User
    colleague: User
    principal: User
    health: User
    admin: User
    other_unit_teacher: User
    other_unit_principal: User
    foreign_principal: User
    analyst: User
    guardian: User
    other_guardian: User
    pupil_user: User
    former_teacher: User
    nobody: User

    def user(self, name: str) -> User:
        assert name in USERS, name
        return getattr(self, name)  # type: ignore[no-any-return]

    def pupil_named(self, name: str) -> Person:
        assert name in PUPILS, name
        return getattr(self, name)  # type: ignore[no-any-return]

    def names(self) -> dict[str, str]:
        """Full names of every person in the cast, by cast name."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Person):
                out[f.name] = value.full_name
            elif isinstance(value, User) and value.person is not None:
                out[f.name] = value.person.full_name
        return out


def _pupil(given: str, family: str, unit: SchoolUnit, born: dt.date, **kw: object) -> Person:
    person = PersonFactory(
        given_name=given, family_name=family, civic_number=civic_number_for(born, 123), **kw
    )
    PlacementFactory(pupil=person, unit=unit, school_year=5)
    return person


def _login(username: str, given: str, family: str, **person_kw: object) -> User:
    person = PersonFactory(given_name=given, family_name=family, **person_kw)
    return UserFactory(username=username, person=person)


def _staff(username: str, given: str, family: str, unit: SchoolUnit, **duty_kw: object) -> User:
    user = _login(username, given, family)
    DutyFactory(person=user.person, unit=unit, **duty_kw)
    return user


@pytest.fixture
def cast(db) -> Cast:
    a = OrganiserFactory(name="Ekby kommun")
    b = OrganiserFactory(name="Friskolan AB", independent=True)
    a1 = SchoolUnitFactory(organiser=a, name="Ekskolan", school_unit_code="10000001", module=True)
    a2 = SchoolUnitFactory(organiser=a, name="Aspskolan", school_unit_code="10000002")
    b1 = SchoolUnitFactory(
        organiser=b, name="Björkskolan", school_unit_code="20000001", module=True
    )
    maths = SubjectFactory(code="GRGRMAT01", name="Matematik")

    class_5a = GroupFactory(unit=a1, name="5A")
    class_5b = GroupFactory(unit=a1, name="5B")
    maths_5a = GroupFactory(unit=a1, name="Ma 5A", teaching=True, subject=maths)
    maths_a2 = GroupFactory(unit=a2, name="Ma 5 Asp", teaching=True, subject=maths)

    pupil = _pupil("Alva", "Andersson", a1, dt.date(2015, 3, 12))
    other_pupil = _pupil("Bruno", "Bergqvist", a1, dt.date(2015, 4, 2))
    far_pupil = _pupil("Filippa", "Fagerlund", a2, dt.date(2015, 5, 20))
    foreign_pupil = _pupil("Gustav", "Granholm", b1, dt.date(2015, 6, 1))
    protected_pupil = _pupil("Siri", "Sjöström", a1, dt.date(2015, 7, 7), protected=True)
    former_pupil = PersonFactory(
        given_name="Tor",
        family_name="Tidemark",
        civic_number=civic_number_for(dt.date(2015, 8, 8), 123),
    )
    PlacementFactory(pupil=former_pupil, unit=a1, ended=True)
    GroupMembershipFactory(group=class_5a, pupil=former_pupil, ended=True)

    for member in (pupil, protected_pupil):
        GroupMembershipFactory(group=class_5a, pupil=member)
        GroupMembershipFactory(group=maths_5a, pupil=member)
    GroupMembershipFactory(group=class_5b, pupil=other_pupil)
    GroupMembershipFactory(group=maths_a2, pupil=far_pupil)

    teacher = _staff("teacher", "Tove", "Lärkström", a1)
    TeachingAssignmentFactory(teacher=teacher.person, group=maths_5a)
    mentor = _staff("mentor", "Mats", "Mentorsson", a1)
    for mentee in (pupil, protected_pupil):
        MentorshipFactory(mentor=mentor.person, pupil=mentee, unit=a1)
    colleague = _staff("colleague", "Kim", "Kollberg", a1)
    TeachingAssignmentFactory(teacher=colleague.person, group=class_5b)
    other_unit_teacher = _staff("other_unit_teacher", "Olle", "Aspelin", a2)
    TeachingAssignmentFactory(teacher=other_unit_teacher.person, group=maths_a2)
    former_teacher = _staff("former_teacher", "Frans", "Förre", a1)
    TeachingAssignmentFactory(teacher=former_teacher.person, group=maths_5a, ended=True)

    analyst = _login("analyst", "Anna", "Analys")
    DutyFactory(person=analyst.person, organiser=a, analyst=True)

    guardian = _login(
        "guardian", "Gunnel", "Andersson", mobile="070-111 11 11", email="gunnel@example.se"
    )
    GuardianshipFactory(guardian=guardian.person, pupil=pupil)
    other_guardian = _login("other_guardian", "Oskar", "Bergqvist", mobile="070-222 22 22")
    GuardianshipFactory(guardian=other_guardian.person, pupil=other_pupil)
    protected_guardian = PersonFactory(
        given_name="Hedvig",
        family_name="Sjöström",
        mobile="070-999 99 99",
        email="hedvig@example.se",
        address="Hemliga vägen 1",
    )
    GuardianshipFactory(guardian=protected_guardian, pupil=protected_pupil)

    return Cast(
        organiser_a=a,
        organiser_b=b,
        unit_a1=a1,
        unit_a2=a2,
        unit_b1=b1,
        maths=maths,
        class_5a=class_5a,
        class_5b=class_5b,
        maths_5a=maths_5a,
        maths_a2=maths_a2,
        pupil=pupil,
        other_pupil=other_pupil,
        far_pupil=far_pupil,
        foreign_pupil=foreign_pupil,
        protected_pupil=protected_pupil,
        former_pupil=former_pupil,
        protected_guardian=protected_guardian,
        teacher=teacher,
        mentor=mentor,
        colleague=colleague,
        principal=_staff("principal", "Rut", "Rektorsson", a1, principal=True),
        health=_staff("health", "Sara", "Specht", a1, pupil_health=True),
        admin=_staff("admin", "Ada", "Adminsson", a1, administrator=True),
        other_unit_teacher=other_unit_teacher,
        other_unit_principal=_staff("other_unit_principal", "Per", "Aspgren", a2, principal=True),
        foreign_principal=_staff("foreign_principal", "Fia", "Friman", b1, principal=True),
        analyst=analyst,
        guardian=guardian,
        other_guardian=other_guardian,
        pupil_user=UserFactory(username="pupil_user", person=pupil),
        former_teacher=former_teacher,
        nobody=UserFactory(username="nobody", person=None),
    )


@pytest.fixture
def fixed_csrf_mask(monkeypatch):
    """The masked CSRF token is the one random part of a page: fix it to compare pages whole."""
    monkeypatch.setattr("django.middleware.csrf._get_new_csrf_string", lambda: "x" * 32)


@pytest.fixture
def as_user(client, cast):
    """``as_user("teacher")``: the test client, logged in as that member of the cast."""

    def login(name: str):
        client.force_login(cast.user(name))
        return client

    return login
