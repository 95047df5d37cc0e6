"""The demo data: what `make demo` and the browser tests stand on, and what each demo login sees."""

import datetime as dt

from django.db import transaction

import pytest

from elevstod.accounts.models import User
from elevstod.audit.models import AuditEvent
from elevstod.core.timeutil import today
from elevstod.home.demo import DEMO_PASSWORD, demo_load
from elevstod.organisation.access import Reason, Right, pupil_grant, pupils_visible_to, scope_for
from elevstod.organisation.civic import civic_number_normalize, luhn_digit
from elevstod.organisation.demo_names import LOGINS, PHONE_SERIES
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

SMALL = 60


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the tests of a class, and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load(pupils=SMALL)
        transaction.set_rollback(True)


def _user(username):
    return User.objects.select_related("person").get(username=username)


def _unit(name):
    return SchoolUnit.objects.get(name=name)


def _placed_at(name):
    return set(
        Placement.objects.active().filter(unit__name=name).values_list("pupil_id", flat=True)
    )


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def _protected():
    return Person.objects.get(security_marking=Person.SecurityMarking.PROTECTED_REGISTRATION)


def _term_start():
    """The latest August 15th, today or before."""
    august = dt.date(today().year, 8, 15)
    return august if august <= today() else august.replace(year=august.year - 1)


def _family_view(user):
    placed = Placement.objects.active().values("pupil_id")
    return _ids(pupils_visible_to(user, staff_only=False).filter(pk__in=placed))


# --- the organisation -----------------------------------------------------------------------


@pytest.mark.django_db
class TestTheOrganisation:
    """The municipality, its units, pupils, groups and staff (one load for the class)."""

    def test_demo_has_one_municipality_with_three_school_units(self, demo):
        organiser = Organiser.objects.get()
        assert organiser.name == "Åbyholms kommun"
        assert organiser.kind == Organiser.Kind.MUNICIPALITY
        digits = organiser.organisation_number.replace("-", "")
        assert digits.startswith("212000")
        assert luhn_digit(digits[:9]) == int(digits[9])
        units = {u.name: u for u in SchoolUnit.objects.all()}
        assert set(units) == {"Ekbackens skola", "Lindåsskolan", "Björkängsskolan"}
        assert all(
            len(u.school_unit_code) == 8 and u.school_unit_code.isdigit() for u in units.values()
        )
        assert units["Ekbackens skola"].support_module_enabled
        assert units["Lindåsskolan"].support_module_enabled

    def test_demo_has_a_unit_without_the_support_module(self, demo):
        assert _unit("Björkängsskolan").support_module_enabled is False
        assert Placement.objects.filter(unit__name="Björkängsskolan").exists()

    def test_demo_places_the_requested_number_of_pupils_in_the_years_of_their_unit(self, demo):
        years = {
            "Ekbackens skola": range(7),
            "Lindåsskolan": range(7, 10),
            "Björkängsskolan": range(10),
        }
        placements = Placement.objects.active().select_related("unit")
        assert demo.pupils == SMALL
        assert placements.count() == SMALL
        assert placements.values("pupil").distinct().count() == SMALL
        assert all(p.school_year in years[p.unit.name] for p in placements)

    def test_demo_pupils_have_valid_identity_numbers_matching_their_school_year(self, demo):
        term_start = _term_start()
        for placement in Placement.objects.select_related("pupil"):
            number = placement.pupil.civic_number
            assert civic_number_normalize(number) == number
            assert int(number[:4]) == term_start.year - 6 - placement.school_year
            assert placement.start_date <= today()

    def test_demo_pupils_have_a_class_teaching_groups_a_mentor_and_guardians(self, demo):
        for placement in Placement.objects.select_related("pupil"):
            pupil = placement.pupil
            groups = Group.objects.filter(memberships__pupil=pupil)
            assert groups.filter(kind=Group.Kind.CLASS, unit=placement.unit).count() == 1
            if placement.school_year > 0:
                assert groups.filter(kind=Group.Kind.TEACHING, subject__isnull=False).count() >= 8
            assert Mentorship.objects.filter(pupil=pupil, unit=placement.unit).count() == 1
            assert 1 <= Guardianship.objects.filter(pupil=pupil).count() <= 2

    def test_demo_groups_are_named_like_swedish_classes_and_teaching_groups(self, demo):
        names = set(Group.objects.values_list("name", flat=True))
        assert {"FA", "4A", "8A", "Ma 4A", "Sv 8A", "Idh 8"} <= names
        codes = set(Subject.objects.values_list("code", flat=True))
        assert {
            "GRGRSVE01",
            "GRGRMAT01",
            "GRGRENG01",
            "GRGRBIL01",
            "GRGRIDR01",
            "GRGRMUS01",
        } <= codes
        assert not Group.objects.filter(kind=Group.Kind.TEACHING, subject__isnull=True).exists()
        assert not Group.objects.filter(kind=Group.Kind.CLASS, subject__isnull=False).exists()

    def test_demo_has_a_pupil_with_protected_identity(self, demo):
        marked = Person.objects.exclude(security_marking=Person.SecurityMarking.NONE)
        assert marked.count() == 1
        pupil = marked.get()
        assert pupil.security_marking == Person.SecurityMarking.PROTECTED_REGISTRATION
        assert pupil.address == ""
        placement = Placement.objects.active().get(pupil=pupil)
        assert (placement.unit.name, placement.school_year) == ("Ekbackens skola", 4)
        assert Mentorship.objects.filter(pupil=pupil, mentor__user__username="mentor").exists()

    def test_demo_units_have_principal_administrator_pupil_health_and_teachers(self, demo):
        for unit in SchoolUnit.objects.all():
            duties = Duty.objects.active().filter(unit=unit)
            assert duties.filter(role=Duty.Role.PRINCIPAL).count() == 1
            assert duties.filter(role=Duty.Role.ADMINISTRATOR).count() == 1
            titles = set(duties.filter(role=Duty.Role.PUPIL_HEALTH).values_list("title", flat=True))
            assert titles == {"Specialpedagog", "Kurator", "Skolsköterska", "Skolpsykolog"}
            classes = Group.objects.filter(unit=unit, kind=Group.Kind.CLASS).count()
            assert duties.filter(role=Duty.Role.TEACHER).count() >= classes
        analyst = Duty.objects.get(role=Duty.Role.ORGANISER_ANALYST)
        assert analyst.unit is None

    def test_every_teaching_group_has_a_teacher_who_holds_a_duty_at_its_unit(self, demo):
        for group in Group.objects.filter(kind=Group.Kind.TEACHING):
            teachers = TeachingAssignment.objects.filter(group=group).values("teacher")
            assert Duty.objects.filter(
                person__in=teachers, unit=group.unit, role=Duty.Role.TEACHER
            ).exists()

    def test_demo_contact_details_are_fictional(self, demo):
        for person in Person.objects.exclude(email=""):
            assert person.email.endswith(("@example.se", "@example.com"))
        assert set(Person.objects.exclude(mobile="").values_list("mobile", flat=True)) <= set(
            PHONE_SERIES
        )

    def test_every_demo_row_was_written_through_a_service_with_an_audit_event(self, demo):
        for code, model in [
            ("organisation.person.created", Person),
            ("organisation.placement.started", Placement),
            ("organisation.membership.added", GroupMembership),
            ("organisation.mentorship.assigned", Mentorship),
            ("organisation.duty.assigned", Duty),
            ("accounts.user.created", User),
        ]:
            assert AuditEvent.objects.filter(code=code).count() == model.objects.count()


# --- the demo logins ------------------------------------------------------------------------


@pytest.mark.django_db
class TestTheDemoLogins:
    """Each demo login gets the access the access layer promises for their role."""

    def test_demo_logins_exist_with_the_demo_password_and_a_person(self, demo):
        assert [login.username for login in demo.logins] == list(LOGINS)
        assert User.objects.count() == len(LOGINS)
        for login in demo.logins:
            user = _user(login.username)
            assert user.check_password(DEMO_PASSWORD)
            assert user.person_id == login.person_id

    def test_the_principal_sees_every_pupil_of_the_unit_including_the_protected_one(self, demo):
        rektor = _user("rektor")
        assert _ids(pupils_visible_to(rektor)) == _placed_at("Ekbackens skola")
        grant = pupil_grant(rektor, _protected())
        assert grant.reasons == {Reason.PRINCIPAL}
        assert grant.has(Right.VIEW_SUPPORT)
        assert not grant.has(Right.VIEW_GUARDIAN_CONTACTS)

    def test_the_teacher_sees_the_pupils_of_their_groups_but_not_the_protected_one(self, demo):
        larare = _user("larare")
        groups = Group.objects.filter(teaching__teacher=larare.person)
        assert groups.count() >= 3
        assert set(groups.values_list("unit__name", flat=True)) == {"Ekbackens skola"}
        assert "Matematik" in set(groups.values_list("subject__name", flat=True))
        taught = set(
            GroupMembership.objects.filter(group__in=groups).values_list("pupil_id", flat=True)
        )
        protected = _protected()
        others = taught - {protected.pk}
        assert protected.pk in taught  # they teach the protected pupil's class ...
        assert not Mentorship.objects.filter(mentor=larare.person).exists()
        assert _ids(pupils_visible_to(larare)) == others  # ... and still don't see them
        assert pupil_grant(larare, protected).reasons == frozenset()
        some_pupil = Person.objects.get(pk=min(others))
        assert pupil_grant(larare, some_pupil).has(Right.VIEW_SUPPORT)

    def test_the_mentor_sees_their_class_including_the_protected_pupil(self, demo):
        mentor = _user("mentor")
        mentees = set(
            Mentorship.objects.filter(mentor=mentor.person).values_list("pupil", flat=True)
        )
        klass = Group.objects.get(kind=Group.Kind.CLASS, memberships__pupil=_protected())
        assert mentees == set(klass.memberships.values_list("pupil_id", flat=True))
        assert mentees <= _ids(pupils_visible_to(mentor))
        grant = pupil_grant(mentor, _protected())
        assert Reason.MENTOR in grant.reasons
        assert grant.has(Right.VIEW_SUPPORT)
        assert not grant.has(Right.VIEW_GUARDIAN_CONTACTS)

    @pytest.mark.parametrize(
        ("username", "unit", "title"),
        [
            ("specialpedagog", "Ekbackens skola", "Specialpedagog"),
            ("kurator", "Lindåsskolan", "Kurator"),
        ],
    )
    def test_the_pupil_health_team_sees_every_pupil_of_their_unit(
        self, demo, username, unit, title
    ):
        user = _user(username)
        duty = Duty.objects.get(person=user.person)
        assert (duty.role, duty.unit.name, duty.title) == (Duty.Role.PUPIL_HEALTH, unit, title)
        assert _ids(pupils_visible_to(user)) == _placed_at(unit)

    def test_the_administrator_manages_the_unit_without_seeing_support_or_the_protected_pupil(
        self, demo
    ):
        admin = _user("admin")
        protected = _protected()
        assert _ids(pupils_visible_to(admin)) == _placed_at("Ekbackens skola") - {protected.pk}
        pupil = Person.objects.get(pk=min(_placed_at("Ekbackens skola") - {protected.pk}))
        grant = pupil_grant(admin, pupil)
        assert grant.has(Right.MANAGE_PEOPLE)
        assert not grant.has(Right.VIEW_SUPPORT)
        assert pupil_grant(admin, protected).reasons == frozenset()

    def test_the_principal_of_the_unit_without_the_module_sees_pupils_but_no_support(self, demo):
        rektor2 = _user("rektor2")
        visible = _ids(pupils_visible_to(rektor2))
        assert visible == _placed_at("Björkängsskolan")
        grant = pupil_grant(rektor2, Person.objects.get(pk=min(visible)))
        assert grant.has(Right.VIEW_PUPIL)
        assert not grant.has(Right.VIEW_SUPPORT)

    def test_the_second_teacher_sees_pupils_of_their_groups_at_lindasskolan(self, demo):
        larare2 = _user("larare2")
        assert Duty.objects.get(person=larare2.person).unit.name == "Lindåsskolan"
        visible = _ids(pupils_visible_to(larare2))
        assert visible
        assert visible <= _placed_at("Lindåsskolan")
        assert _user("elev").person_id in visible

    def test_the_organiser_analyst_sees_no_pupils_by_name(self, demo):
        huvudman = _user("huvudman")
        assert _ids(pupils_visible_to(huvudman)) == set()
        assert _family_view(huvudman) == set()
        assert scope_for(huvudman).analyst_organisers == {demo.organiser_id}

    def test_the_guardian_sees_their_two_children_at_ekbackens_skola_and_no_one_as_staff(
        self, demo
    ):
        guardian = _user("vardnadshavare")
        children = _family_view(guardian)
        assert len(children) == 2
        assert children <= _placed_at("Ekbackens skola")
        assert len(set(Person.objects.filter(pk__in=children).values_list("family_name"))) == 1
        assert _ids(pupils_visible_to(guardian)) == set()
        grant = pupil_grant(guardian, Person.objects.get(pk=min(children)))
        assert grant.reasons == {Reason.GUARDIAN}
        assert grant.has(Right.FAMILY_VIEW)

    def test_the_pupil_sees_only_themselves(self, demo):
        elev = _user("elev")
        placement = Placement.objects.active().get(pupil=elev.person)
        assert (placement.unit.name, placement.school_year) == ("Lindåsskolan", 8)
        assert _family_view(elev) == {elev.person_id}
        assert _ids(pupils_visible_to(elev)) == set()
        assert pupil_grant(elev, elev.person).reasons == {Reason.SELF}
