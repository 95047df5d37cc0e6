"""factory_boy factories for the organisation and login accounts, with traits for states.

They write rows directly (no services, no audit events): test setup only. Periods start well in
the past and are open unless a trait ends them, so everything is active "today" by default:

    PersonFactory(protected=True)              a pupil with skyddad folkbokföring
    PlacementFactory(ended=True)               a placement that ended last month
    DutyFactory(principal=True, unit=unit)     the principal of a unit
    GroupFactory(teaching=True)                a teaching group with a subject
"""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from elevstod.accounts.models import User
from elevstod.core.timeutil import today
from elevstod.organisation.civic import luhn_digit
from elevstod.organisation.models import (
    Duty,
    Group,
    GroupMembership,
    Guardianship,
    Mentorship,
    Organiser,
    Person,
    Placement,
    SchoolUnit,
    Subject,
    TeachingAssignment,
)

PASSWORD = "rätt-häst-batteri-häftklammer"
STARTED_DAYS_AGO = 200
ENDED_DAYS_AGO = 30  # "last month"


def started() -> dt.date:
    return today() - dt.timedelta(days=STARTED_DAYS_AGO)


def ended() -> dt.date:
    return today() - dt.timedelta(days=ENDED_DAYS_AGO)


def civic_number_for(born: dt.date, serial: int) -> str:
    """A valid 12-digit personnummer (YYYYMMDDNNNC) for ``born`` and a three-digit serial."""
    nine = f"{born:%y%m%d}{serial % 1000:03d}"
    return f"{born:%Y}{nine[2:]}{luhn_digit(nine)}"


_DAYS = 3650  # birth dates cycle through ten years; the serial makes each number unique


def _born(base: dt.date) -> factory.Sequence:
    return factory.Sequence(lambda n: base + dt.timedelta(days=n % _DAYS))


def _ended_trait() -> factory.Trait:
    """The trait shared by every period model: started long ago, ended last month."""
    return factory.Trait(
        start_date=factory.LazyFunction(lambda: today() - dt.timedelta(days=400)),
        end_date=factory.LazyFunction(ended),
    )


class OrganiserFactory(DjangoModelFactory):
    class Meta:
        model = Organiser

    name = factory.Sequence(lambda n: f"Kommun {n}")
    kind = Organiser.Kind.MUNICIPALITY

    class Params:
        independent = factory.Trait(kind=Organiser.Kind.INDEPENDENT)


class SchoolUnitFactory(DjangoModelFactory):
    class Meta:
        model = SchoolUnit

    organiser = factory.SubFactory(OrganiserFactory)
    name = factory.Sequence(lambda n: f"Skola {n}")
    school_unit_code = factory.Sequence(lambda n: f"{20000000 + n}")
    support_module_enabled = False

    class Params:
        module = factory.Trait(support_module_enabled=True)


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"GRGRX{n:04d}")
    name = factory.Sequence(lambda n: f"Ämne {n}")


class PersonFactory(DjangoModelFactory):
    """Anyone: staff, guardian or pupil. ``PersonFactory(pupil=True)`` is born ten years ago."""

    class Meta:
        model = Person
        exclude = ("born",)

    given_name = factory.Sequence(lambda n: f"Förnamn{n}")
    family_name = factory.Sequence(lambda n: f"Efternamn{n}")
    born = _born(dt.date(1970, 1, 1))
    civic_number = factory.LazyAttributeSequence(lambda o, n: civic_number_for(o.born, n // _DAYS))
    security_marking = Person.SecurityMarking.NONE

    class Params:
        pupil = factory.Trait(born=_born(dt.date(2012, 1, 1)))
        protected = factory.Trait(security_marking=Person.SecurityMarking.PROTECTED_REGISTRATION)
        confidential = factory.Trait(security_marking=Person.SecurityMarking.CONFIDENTIALITY)
        without_civic_number = factory.Trait(civic_number=None)


class GuardianshipFactory(DjangoModelFactory):
    class Meta:
        model = Guardianship

    guardian = factory.SubFactory(PersonFactory)
    pupil = factory.SubFactory(PersonFactory, pupil=True)


class PlacementFactory(DjangoModelFactory):
    class Meta:
        model = Placement

    pupil = factory.SubFactory(PersonFactory, pupil=True)
    unit = factory.SubFactory(SchoolUnitFactory)
    school_year = 5
    start_date = factory.LazyFunction(started)
    end_date = None

    class Params:
        ended = _ended_trait()


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    unit = factory.SubFactory(SchoolUnitFactory)
    name = factory.Sequence(lambda n: f"Grupp {n}")
    kind = Group.Kind.CLASS
    school_year = 5
    subject = None
    start_date = factory.LazyFunction(started)
    end_date = None

    class Params:
        teaching = factory.Trait(
            kind=Group.Kind.TEACHING, subject=factory.SubFactory(SubjectFactory)
        )
        ended = _ended_trait()


class GroupMembershipFactory(DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(GroupFactory)
    pupil = factory.SubFactory(PersonFactory, pupil=True)
    start_date = factory.LazyFunction(started)
    end_date = None

    class Params:
        ended = _ended_trait()


class DutyFactory(DjangoModelFactory):
    """A teacher's duty by default; traits for the other roles. Analysts have no unit."""

    class Meta:
        model = Duty

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(SchoolUnitFactory)
    organiser = factory.LazyAttribute(lambda o: o.unit.organiser)
    role = Duty.Role.TEACHER
    start_date = factory.LazyFunction(started)
    end_date = None

    class Params:
        principal = factory.Trait(role=Duty.Role.PRINCIPAL)
        pupil_health = factory.Trait(role=Duty.Role.PUPIL_HEALTH, title="Specialpedagog")
        administrator = factory.Trait(role=Duty.Role.ADMINISTRATOR)
        analyst = factory.Trait(
            role=Duty.Role.ORGANISER_ANALYST,
            unit=None,
            organiser=factory.SubFactory(OrganiserFactory),
        )
        ended = _ended_trait()


class TeachingAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = TeachingAssignment

    teacher = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(GroupFactory, teaching=True)
    start_date = factory.LazyFunction(started)
    end_date = None

    class Params:
        ended = _ended_trait()


class MentorshipFactory(DjangoModelFactory):
    class Meta:
        model = Mentorship

    mentor = factory.SubFactory(PersonFactory)
    pupil = factory.SubFactory(PersonFactory, pupil=True)
    unit = factory.SubFactory(SchoolUnitFactory)
    start_date = factory.LazyFunction(started)
    end_date = None

    class Params:
        ended = _ended_trait()


class UserFactory(DjangoModelFactory):
    """A login with the password ``PASSWORD``; ``UserFactory(person=None)`` has no person."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    person = factory.SubFactory(PersonFactory)
    password = factory.django.Password(PASSWORD)

    class Params:
        inactive = factory.Trait(is_active=False)
