"""The people of a unit at scale: pupils in families with guardians, placements, staff with
duties and logins, classes named as the demo names them, teaching groups and mentors."""

from __future__ import annotations

import datetime as dt
import math

from elevstod.accounts.models import User
from elevstod.organisation import demo_names as names
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
    school_year_label,
)

from .base import YEARS, Base, Klass

SUBJECT_GROUPS = ("Sv", "Ma")  # teaching groups per class beside the class itself
Family = tuple[list[tuple[Person, int]], list[Person]]  # (children with their year, guardians)


class People(Base):
    def _families(self, unit: SchoolUnit, count: int) -> dict[int, list[Person]]:
        """Pupils in families of one to three children at the unit, with one or two guardians."""
        families: list[Family] = []
        while (made := sum(len(kids) for kids, _g in families)) < count:
            families.append(self._family(min(count - made, 3)))
        people = [p for kids, adults in families for p in [*(k for k, _y in kids), *adults]]
        self._bulk(Person, people)
        by_year: dict[int, list[Person]] = {year: [] for year in YEARS}
        placements, guardianships = [], []
        for kids, adults in families:
            for kid, year in kids:
                by_year[year].append(kid)
                start = self.term_start.replace(year=self.term_start.year - year)
                placements.append(
                    Placement(pupil=kid, unit=unit, school_year=year, start_date=start)
                )
                self._audit("organisation.person.created", kid, kid.pk, unit.pk, {})
                self._audit("organisation.placement.started", None, kid.pk, unit.pk, {"year": year})
                guardianships += [Guardianship(guardian=g, pupil=kid) for g in adults]
        self._bulk(Placement, placements)
        self._bulk(Guardianship, guardianships)
        self.guardians = {}
        for g in guardianships:
            self.guardians.setdefault(g.pupil_id, []).append(g.guardian_id)
        self.pupil_count += count
        return by_year

    def _family(self, room: int) -> Family:
        children = min(room, self.rng.choices([1, 2, 3], weights=[62, 30, 8])[0])
        origin = self.ids.origin()
        family_name, address = self.ids.family_name(origin), self.ids.address()
        kids: list[tuple[Person, int]] = []
        given: list[str] = []
        for year in sorted(self.rng.sample(YEARS, children)):
            female = self.rng.random() < 0.5
            name = self.ids.given_name(origin, female, child=True, taken=given)
            given.append(name)
            born = self.ids.birthday(self.term_start.year - 6 - year)
            kids.append((self._person(name, family_name, born, female, address), year))
        eldest = min(kid.civic_number or "" for kid, _year in kids)
        adults = [
            self._adult(origin, family_name, int(eldest[:4]) - self.rng.randint(24, 40))
            for _n in range(1 if self.rng.random() < 0.22 else 2)
        ]
        return kids, adults

    def _staff(self, unit: SchoolUnit) -> dict[str, Person]:
        titles = {
            "principal": (Duty.Role.PRINCIPAL, names.PRINCIPAL_TITLE),
            "admin": (Duty.Role.ADMINISTRATOR, names.ADMIN_TITLE),
            **{t: (Duty.Role.PUPIL_HEALTH, t) for t in names.HEALTH_TITLES},
        }
        staff = {key: self._adult() for key in titles}
        self._bulk(Person, staff.values())
        self._bulk(
            Duty,
            (
                Duty(
                    person=staff[key],
                    organiser=self.organiser,
                    unit=unit,
                    role=role,
                    title=title,
                    start_date=dt.date(self.term_start.year - self.rng.randint(0, 12), 8, 1),
                )
                for key, (role, title) in titles.items()
            ),
        )
        logins = (("principal", "rektor"), ("Specialpedagog", "specialpedagog"))
        self.users = {
            key: User(
                username=f"{username}-{unit.school_unit_code}",
                person=staff[key],
                email=staff[key].email,
                password=self.password,
            )
            for key, username in logins
        }
        self._bulk(User, self.users.values())
        return staff

    def _classes(self, unit: SchoolUnit, by_year: dict[int, list[Person]]) -> list[Klass]:
        """Classes named 7A, 7B ... 7AA (``class_letters``, as in the demo), each with a
        teacher who mentors it and teaches it and its Swedish and mathematics groups."""
        classes: list[Klass] = []
        for year, pupils in by_year.items():
            count = math.ceil(len(pupils) / self.class_size)
            for index in range(count):
                group = Group(
                    unit=unit,
                    name=f"{school_year_label(year)}{names.class_letters(index)}",
                    kind=Group.Kind.CLASS,
                    start_date=self.term_start,
                    school_year=year,
                )
                classes.append(Klass(group, self._adult(), pupils[index::count], year))
        self._bulk(Person, [k.teacher for k in classes])
        pairs = [(k, k.group) for k in classes] + [
            (k, self._teaching_group(unit, k, key)) for k in classes for key in SUBJECT_GROUPS
        ]
        self._bulk(Group, [g for _k, g in pairs])
        self._class_links(unit, classes, pairs)
        for _k, group in pairs:
            self._audit("organisation.group.created", group, None, unit.pk, {"name": group.name})
        return classes

    def _teaching_group(self, unit: SchoolUnit, klass: Klass, key: str) -> Group:
        return Group(
            unit=unit,
            name=f"{key} {klass.group.name}",
            kind=Group.Kind.TEACHING,
            subject=self.subjects[key],
            start_date=self.term_start,
            school_year=klass.year,
        )

    def _class_links(
        self, unit: SchoolUnit, classes: list[Klass], pairs: list[tuple[Klass, Group]]
    ) -> None:
        """The teachers' duties, who teaches which group, who is in it, who mentors whom."""
        default = names.TEACHER_TITLES[("MaNO", "7-9")]
        self._bulk(
            Duty,
            (
                Duty(
                    person=k.teacher,
                    organiser=self.organiser,
                    unit=unit,
                    role=Duty.Role.TEACHER,
                    title=names.TEACHER_TITLES.get(("class", names.stage(k.year)), default),
                    start_date=self.term_start,
                )
                for k in classes
            ),
        )
        start = self.term_start
        self._bulk(
            TeachingAssignment,
            (TeachingAssignment(teacher=k.teacher, group=g, start_date=start) for k, g in pairs),
        )
        self._bulk(
            GroupMembership,
            (
                GroupMembership(group=g, pupil=p, start_date=start)
                for k, g in pairs
                for p in k.pupils
            ),
        )
        self._bulk(
            Mentorship,
            (
                Mentorship(mentor=k.teacher, pupil=p, unit=unit, start_date=start)
                for k in classes
                for p in k.pupils
            ),
        )
