"""Demo data: a fictional municipality with three school units, its pupils, guardians and staff.

``demo_load`` writes everything through the organisation and account services (as "system", in
one transaction), so the demo has the same audit trail as real data. It is deterministic for a
seed, and every date is relative to today: placements start on the latest August 15th (the
term start) for pupils in förskoleklass and on earlier ones for older pupils. The content (names,
subjects, titles, the demo logins) is in ``demo_names``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from django.db import transaction

from elevstod.accounts.services import user_create
from elevstod.core.timeutil import today
from elevstod.organisation import demo_names as names
from elevstod.organisation import services as org
from elevstod.organisation.models import (
    Duty,
    Group,
    Organiser,
    Person,
    SchoolUnit,
    Subject,
    school_year_label,
)

DEMO_PASSWORD = "elevstod-demo-2026"
PROTECTED = Person.SecurityMarking.PROTECTED_REGISTRATION
Pool = names.Pool


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    sees: str
    person_id: int


@dataclass(frozen=True)
class DemoResult:
    organiser_id: int
    pupils: int
    logins: tuple[DemoLogin, ...]
    password: str = DEMO_PASSWORD


def demo_load(*, pupils: int = 300, seed: int = 2026) -> DemoResult:
    """Load the demo organisation with about ``pupils`` pupils (at least 4: the demo families)."""
    if pupils < 4:
        raise ValueError("the demo needs at least 4 pupils")
    with transaction.atomic():
        return _Loader(random.Random(seed), today()).run(pupils)


@dataclass
class _Pupil:
    person: Person
    unit: names.UnitSpec
    year: int
    start: dt.date
    sva: bool
    language: str | None
    klass: str = ""


@dataclass
class _Class:
    name: str
    letter: int
    year: int
    group: Group
    pupils: list[_Pupil]


@dataclass
class _Family:
    origin: str
    family_name: str
    address: str
    protected: bool = False
    given_names: list[str] = field(default_factory=list)
    children: list[_Pupil] = field(default_factory=list)
    guardians: list[Person] = field(default_factory=list)


class _Loader:
    def __init__(self, rng: random.Random, day: dt.date) -> None:
        self.rng = rng
        self.day = day
        august = dt.date(day.year, 8, 15)
        self.term_start = august if august <= day else august.replace(year=day.year - 1)
        self.ids = names.Identities(rng)
        self.pupils: list[_Pupil] = []
        self.units: dict[str, SchoolUnit] = {}
        self.subjects: dict[str, Subject] = {}
        self.staff: dict[str, dict[str, Person]] = {}
        self.teacher_of: dict[str, dict[str, Person]] = {}
        self.people: dict[str, Person] = {}  # the demo logins' persons, by username

    def run(self, pupils: int) -> DemoResult:
        self.organiser = organiser = org.organiser_create(
            actor=None,
            name=names.ORGANISER_NAME,
            kind=Organiser.Kind.MUNICIPALITY,
            organisation_number=names.ORGANISATION_NUMBER,
        )
        for spec in names.UNITS:
            self.units[spec.key] = org.unit_create(
                actor=None,
                organiser=organiser,
                name=spec.name,
                school_unit_code=spec.school_unit_code,
                support_module_enabled=spec.support_module,
            )
        for key, (code, name) in names.SUBJECTS.items():
            existing = Subject.objects.filter(code=code).first()
            self.subjects[key] = existing or org.subject_create(actor=None, code=code, name=name)
        self._demo_families()
        while len(self.pupils) < pupils:
            self._random_family(pupils - len(self.pupils))
        psychologist = self._adult(names.STAFF_DOMAIN)
        for spec in names.UNITS:
            self._school(spec, psychologist)
        self.people["huvudman"] = analyst = self._adult(names.STAFF_DOMAIN)
        self._duty(analyst, Duty.Role.ORGANISER_ANALYST, names.ANALYST_TITLE, None)
        self.people["dataskydd"] = dpo = self._adult(names.STAFF_DOMAIN)
        self._duty(dpo, Duty.Role.DATA_PROTECTION_OFFICER, "Dataskyddsombud", None)
        return DemoResult(organiser.pk, len(self.pupils), self._logins())

    # --- families: pupils, their placements and guardians ---------------------------------

    def _demo_families(self) -> None:
        """The families the demo logins need: siblings, a protected pupil, a pupil in year 8."""
        ekbacken, lindas = names.EKBACKEN, names.LINDAS
        siblings = self._family([(ekbacken, 2), (ekbacken, 5)], guardians=2)
        self.people["vardnadshavare"] = siblings.guardians[0]
        protected = self._family([(ekbacken, 4)], guardians=1, protected=True)
        self.protected: _Pupil = protected.children[0]
        self.elev: _Pupil = self._family([(lindas, 8)], guardians=2).children[0]
        self.people["elev"] = self.elev.person

    def _random_family(self, room: int) -> None:
        near_ekbacken = self.rng.random() < 0.72
        count = min(room, self.rng.choices([1, 2, 3], weights=[62, 30, 8])[0])
        children = []
        for year in sorted(self.rng.sample(range(10), count)):
            if near_ekbacken:
                children.append((names.EKBACKEN if year <= 6 else names.LINDAS, year))
            else:
                children.append((names.BJORKANG, year))
        self._family(children, guardians=1 if self.rng.random() < 0.22 else 2)

    def _family(
        self, children: list[tuple[names.UnitSpec, int]], *, guardians: int, protected: bool = False
    ) -> _Family:
        origin = self.ids.origin()
        address = "" if protected else self.ids.address()
        family = _Family(origin, self.ids.family_name(origin), address, protected)
        for unit, year in children:
            family.children.append(self._pupil(family, unit, year))
        eldest = min(child.person.civic_number or "" for child in family.children)
        first_female = self.rng.random() < 0.5
        for index in range(guardians):
            female = first_female if index == 0 else (self.rng.random() < 0.1) == first_female
            same_name = index == 0 or self.rng.random() < 0.7
            family_name = family.family_name if same_name else None
            born = int(eldest[:4]) - self.rng.randint(24, 40)
            guardian = self._adult(names.GUARDIAN_DOMAIN, origin, family_name, female, born)
            family.guardians.append(guardian)
            for child in family.children:
                org.guardianship_add(actor=None, guardian=guardian, pupil=child.person)
        return family

    def _pupil(self, family: _Family, unit: names.UnitSpec, year: int) -> _Pupil:
        female = self.rng.random() < 0.5
        given = self.ids.given_name(family.origin, female, child=True, taken=family.given_names)
        family.given_names.append(given)
        born = self.ids.birthday(self.term_start.year - 6 - year)
        person = org.person_create(
            actor=None,
            given_name=given,
            family_name=family.family_name,
            civic_number=self.ids.civic_number(born, female),
            security_marking=PROTECTED if family.protected else Person.SecurityMarking.NONE,
            address=family.address,
        )
        start = self._placement_start(unit, year)
        org.placement_start(
            actor=None, pupil=person, unit=self.units[unit.key], school_year=year, start_date=start
        )
        sva = self.rng.random() < names.SVA_SHARE[family.origin]
        language = self.ids.weighted([*names.LANGUAGES, ("", 0.1)]) or None
        if year < names.LANGUAGES_FROM_YEAR:
            language = None
        pupil = _Pupil(person, unit, year, start, sva, language)
        self.pupils.append(pupil)
        return pupil

    def _placement_start(self, unit: names.UnitSpec, year: int) -> dt.date:
        """The term start of the pupil's first year at the unit; a few moved in this term."""
        room = (self.day - self.term_start).days - 14
        if room > 0 and self.rng.random() < 0.07:
            return self.term_start + dt.timedelta(days=self.rng.randrange(room))
        return self.term_start.replace(year=self.term_start.year - (year - unit.first_year))

    # --- one school unit: classes, teaching groups, teachers, mentors, other staff -------------

    def _school(self, spec: names.UnitSpec, psychologist: Person) -> None:
        classes = self._classes(spec)
        teaching: list[tuple[Group, Pool]] = []
        for klass in classes:
            teaching += self._class_groups(spec, klass)
        for year in spec.years:
            teaching += self._year_groups(spec, year, [c for c in classes if c.year == year])
        self.teacher_of[spec.key] = self._teachers(spec, teaching)
        self._mentors(spec, classes)
        self._unit_staff(spec, psychologist)

    def _classes(self, spec: names.UnitSpec) -> list[_Class]:
        classes = []
        for year in spec.years:
            pupils = [p for p in self.pupils if p.unit is spec and p.year == year]
            self.rng.shuffle(pupils)
            count = math.ceil(len(pupils) / names.CLASS_SIZE)
            for letter in range(count):
                name = f"{school_year_label(year)}{names.class_letters(letter)}"
                members = sorted(pupils[letter::count], key=lambda p: p.person.pk)
                group = self._group(spec, name, None, year, members)
                for pupil in members:
                    pupil.klass = name
                classes.append(_Class(name, letter, year, group, members))
        return classes

    def _class_groups(self, spec: names.UnitSpec, klass: _Class) -> list[tuple[Group, Pool]]:
        stage = names.stage(klass.year)
        groups: list[tuple[Group, Pool]] = []
        if stage != "7-9":  # the class teacher teaches the class itself
            groups.append((klass.group, names.pool_key("class", stage, klass.name)))
        for key, pool in names.CLASS_SUBJECTS[stage].items():
            members = [p for p in klass.pupils if not (key == "Sv" and p.sva)]
            group = self._group(spec, f"{key} {klass.name}", key, klass.year, members)
            groups.append((group, names.pool_key(pool, stage, klass.name)))
        return groups

    def _year_groups(
        self, spec: names.UnitSpec, year: int, classes: list[_Class]
    ) -> list[tuple[Group, Pool]]:
        """Groups across the classes of a year: Sva, modern languages, paired practical ones."""
        if year == 0 or not classes:
            return []
        label, stage = school_year_label(year), names.stage(year)
        pupils = [p for klass in classes for p in klass.pupils]
        parts: list[tuple[str, str, list[_Pupil], Pool]] = [
            (f"Sva {label}", "Sva", [p for p in pupils if p.sva], names.pool_key("Sva", stage, "")),
        ]
        for language, _share in names.LANGUAGES:
            chosen = [p for p in pupils if p.language == language]
            parts.append((f"{language} {label}", "M2", chosen, names.pool_key("Sprak", stage, "")))
        if stage == "7-9":
            for pair in (classes[i : i + 2] for i in range(0, len(classes), 2)):
                letters = "" if pair == classes else "".join(c.name[len(label) :] for c in pair)
                members = [p for klass in pair for p in klass.pupils]
                for key, pool in names.PAIRED_SUBJECTS.items():
                    parts.append(
                        (f"{key} {label}{letters}", key, members, names.pool_key(pool, stage, ""))
                    )
        return [
            (self._group(spec, name, key, year, members), pool)
            for name, key, members, pool in parts
            if members
        ]

    def _group(
        self, spec: names.UnitSpec, name: str, subject: str | None, year: int, pupils: list[_Pupil]
    ) -> Group:
        group = org.group_create(
            actor=None,
            unit=self.units[spec.key],
            name=name,
            kind=Group.Kind.CLASS if subject is None else Group.Kind.TEACHING,
            start_date=self.term_start,
            subject=self.subjects[subject] if subject else None,
            school_year=year,
        )
        for pupil in pupils:
            start = max(self.term_start, pupil.start)
            org.membership_add(actor=None, group=group, pupil=pupil.person, start_date=start)
        return group

    def _teachers(
        self, spec: names.UnitSpec, teaching: list[tuple[Group, Pool]]
    ) -> dict[str, Person]:
        """One teacher per class teacher pool; other pools shared out, about ten groups each."""
        pools: dict[Pool, list[Group]] = {}
        for group, pool in teaching:
            pools.setdefault(pool, []).append(group)
        teacher_of: dict[str, Person] = {}
        for pool, groups in pools.items():
            count = math.ceil(len(groups) / names.POOL_GROUPS_PER_TEACHER)
            size = math.ceil(len(groups) / count)
            for start in range(0, len(groups), size):
                teacher = self._staff(spec, Duty.Role.TEACHER, names.TEACHER_TITLES[pool[:2]])
                for group in groups[start : start + size]:
                    org.teaching_assign(
                        actor=None, teacher=teacher, group=group, start_date=self.term_start
                    )
                    teacher_of[group.name] = teacher
        return teacher_of

    def _mentors(self, spec: names.UnitSpec, classes: list[_Class]) -> None:
        """Class teachers mentor their class; in years 7-9 the Sv or the Ma teacher does."""
        for klass in classes:
            key = klass.name
            if names.stage(klass.year) == "7-9":
                key = f"{'Ma' if klass.letter % 2 else 'Sv'} {klass.name}"
            mentor, unit = self.teacher_of[spec.key][key], self.units[spec.key]
            for p in klass.pupils:
                start = max(self.term_start, p.start)
                org.mentorship_assign(
                    actor=None, mentor=mentor, pupil=p.person, unit=unit, start_date=start
                )
            if any(pupil is self.protected for pupil in klass.pupils):
                self.people["mentor"] = mentor

    def _unit_staff(self, spec: names.UnitSpec, psychologist: Person) -> None:
        staff = {
            "principal": self._staff(spec, Duty.Role.PRINCIPAL, names.PRINCIPAL_TITLE),
            "admin": self._staff(spec, Duty.Role.ADMINISTRATOR, names.ADMIN_TITLE),
        }
        for title in names.HEALTH_TITLES:
            staff[title] = self._staff(spec, Duty.Role.PUPIL_HEALTH, title)
        self._duty(psychologist, Duty.Role.PUPIL_HEALTH, names.SHARED_HEALTH_TITLE, spec.key)
        self.staff[spec.key] = staff

    def _staff(self, spec: names.UnitSpec, role: str, title: str) -> Person:
        person = self._adult(names.STAFF_DOMAIN)
        self._duty(person, role, title, spec.key)
        return person

    def _duty(self, person: Person, role: str, title: str, unit_key: str | None) -> None:
        """A duty at a unit (or, without one, at the organiser) since August 1st some year."""
        org.duty_assign(
            actor=None,
            person=person,
            role=role,
            unit=self.units[unit_key] if unit_key else None,
            organiser=self.organiser,
            title=title,
            start_date=dt.date(self.term_start.year - self.rng.randint(0, 12), 8, 1),
        )

    # --- the demo logins ---------------------------------------------------------------------

    def _logins(self) -> tuple[DemoLogin, ...]:
        ekbacken, lindas = self.staff[names.EKBACKEN.key], self.staff[names.LINDAS.key]
        self.people |= {
            "rektor": ekbacken["principal"],
            "larare": self.teacher_of[names.EKBACKEN.key][f"Ma {self.protected.klass}"],
            "specialpedagog": ekbacken["Specialpedagog"],
            "kurator": lindas["Kurator"],
            "admin": ekbacken["admin"],
            "rektor2": self.staff[names.BJORKANG.key]["principal"],
            "larare2": self.teacher_of[names.LINDAS.key][f"Ma {self.elev.klass}"],
        }
        logins = []
        for username, (role, sees) in names.LOGINS.items():
            person = self.people[username]
            user_create(
                actor=None,
                username=username,
                person=person,
                password=DEMO_PASSWORD,
                email=person.email,
            )
            logins.append(DemoLogin(username, role, sees, person.pk))
        return tuple(logins)

    # --- people ------------------------------------------------------------------------------

    def _adult(
        self,
        domain: str,
        origin: str | None = None,
        family_name: str | None = None,
        female: bool | None = None,
        born: int | None = None,
    ) -> Person:
        origin = origin or self.ids.origin()
        female = self.rng.random() < 0.5 if female is None else female
        family_name = family_name or self.ids.family_name(origin)
        given = self.ids.given_name(origin, female, child=False, taken=[])
        birthday = self.ids.birthday(born or self.term_start.year - self.rng.randint(26, 63))
        return org.person_create(
            actor=None,
            given_name=given,
            family_name=family_name,
            civic_number=self.ids.civic_number(birthday, female),
            email=self.ids.email(given, family_name, domain),
            mobile=self.ids.phone(),
        )
