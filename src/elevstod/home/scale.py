"""Scale data: one organiser with many pupils in many units, loaded through bulk paths.

``scale_load`` writes the same shape of data the services write (the same states and
invariants: every pupil placed with guardians, at most one programme in force per pupil,
decisions with their law and appeal instructions, parties notified, an audit and access log
whose hash chain verifies) but with ``bulk_create`` in batches instead of one service call per
row, so that 100,000 pupils load in minutes. It lives in ``home`` because it composes every
app's models. Names and naming rules come from ``organisation.demo_names``, shared with the
demo. Memory stays bounded: a unit is generated, written and forgotten before the next.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from elevstod.accounts.models import User
from elevstod.audit.chain import _LOCK_KEYS, FIELDS, GENESIS, KEYED, row_hash
from elevstod.audit.models import AccessLogEntry, AuditEvent
from elevstod.core.timeutil import today
from elevstod.organisation import demo_names as names
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
    school_year_label,
)
from elevstod.support import workflow as wf
from elevstod.support.models import (
    ActionProgramme,
    AdaptationVersion,
    Decision,
    ExtraAdaptation,
    Investigation,
    Measure,
    PartyNotification,
    ProgrammeEvaluation,
    ProgrammeFollowUp,
    Referral,
)
from elevstod.support.services.adaptation_records import snapshot as adaptation_snapshot
from elevstod.support.texts import appeal_instructions_for

P = wf.ProgrammeState
# The stages a loaded programme is at, in turn; a renewal and a replacement bring a second one.
STAGES = (P.DRAFT, P.SUBMITTED, P.DECIDED, P.EVALUATED, P.BEING_RENEWED, P.REPLACED, P.CLOSED)
DECIDED = frozenset({P.DECIDED, P.EVALUATED, P.BEING_RENEWED, P.REPLACED, P.CLOSED})
ADAPTATION_SHARE = 0.2  # pupils with an active extra adaptation
PROGRAMME_SHARE = 0.05  # pupils with an action programme (5,000 at 100,000)
YEARS = range(0, 10)
SCALE_PASSWORD = "elevstod-scale-2026"
SUBJECT_GROUPS = ("Sv", "Ma")  # teaching groups per class beside the class itself


@dataclass(frozen=True)
class ScaleResult:
    organiser_id: int
    pupils: int
    units: int
    programmes: int
    adaptations: int
    audit_rows: int
    access_rows: int


def scale_load(
    *,
    pupils: int,
    units: int,
    seed: int = 2026,
    class_size: int = names.CLASS_SIZE,
    access_per_pupil: int = 3,
    batch: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> ScaleResult:
    """Load one organiser with ``pupils`` pupils spread over ``units`` units (years F-9)."""
    if units < 1 or pupils < units:
        raise ValueError("the scale data needs at least one unit and one pupil per unit")
    rng = random.Random(seed)  # noqa: S311 - fictional data, the same for a seed
    with transaction.atomic():
        loader = _ScaleLoader(rng, today(), class_size, access_per_pupil, batch)
        return loader.run(pupils, units, progress or (lambda _text: None))


class _Chain:
    """Appends rows to a hash-chained log in bulk: the same links ``audit.chain.link`` makes,
    computed in memory from the last row's hash, with ids given in chain order."""

    def __init__(self, model: type[models.Model], batch: int) -> None:
        self.model, self.batch = model, batch
        self.table = model._meta.db_table
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[self.table]])
        last = model._default_manager.order_by("-id").values_list("id", "hash").first()
        self.next_id: int = last[0] + 1 if last else 1
        self.prev: str = last[1] if last else GENESIS
        self.pending: list[models.Model] = []
        self.count = 0

    def add(self, **values: Any) -> None:
        row = self.model(id=self.next_id, **values)
        content = {f: getattr(row, f) for f in FIELDS[self.table]}
        row.prev_hash = self.prev  # type: ignore[attr-defined]
        row.hash_version = KEYED  # type: ignore[attr-defined]
        self.prev = row_hash(self.prev, self.table, content, KEYED)
        row.hash = self.prev  # type: ignore[attr-defined]
        self.pending.append(row)
        self.next_id += 1
        self.count += 1
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        self.model._default_manager.bulk_create(self.pending, batch_size=self.batch)
        self.pending = []

    def close(self) -> None:
        self.flush()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)


@dataclass
class _Class:
    group: Group
    teacher: Person
    pupils: list[Person]
    year: int


class _ScaleLoader:
    def __init__(
        self,
        rng: random.Random,
        day: dt.date,
        class_size: int,
        access_per_pupil: int,
        batch: int,
    ) -> None:
        self.rng, self.day, self.class_size, self.batch = rng, day, class_size, batch
        self.access_per_pupil = access_per_pupil
        august = dt.date(day.year, 8, 15)
        self.term_start = august if august <= day else august.replace(year=day.year - 1)
        self.ids = names.Identities(rng)
        self.now = timezone.now()
        self.password = make_password(SCALE_PASSWORD)
        self.adaptations = self.programmes = self.pupil_count = 0
        self.stage = 0

    def run(self, pupils: int, units: int, progress: Callable[[str], None]) -> ScaleResult:
        self.audit = _Chain(AuditEvent, self.batch)
        self.access = _Chain(AccessLogEntry, self.batch)
        self.organiser = Organiser.objects.create(
            name=names.ORGANISER_NAME,
            kind=Organiser.Kind.MUNICIPALITY,
            organisation_number=names.ORGANISATION_NUMBER,
        )
        self._audit("organisation.organiser.created", self.organiser, None, None, {})
        self.subjects = {}
        for key, (code, name) in names.SUBJECTS.items():
            self.subjects[key], _created = Subject.objects.get_or_create(
                code=code, defaults={"name": name}
            )
        taken = set(SchoolUnit.objects.values_list("school_unit_code", flat=True))
        codes = (f"{n:08d}" for n in range(90_000_000, 100_000_000) if f"{n:08d}" not in taken)
        unit_rows = SchoolUnit.objects.bulk_create(
            SchoolUnit(
                organiser=self.organiser,
                name=f"Skolenhet {index + 1:02d}, {names.TOWN}",
                school_unit_code=next(codes),
                support_module_enabled=True,
            )
            for index in range(units)
        )
        for index, unit in enumerate(unit_rows):
            share = pupils // units + (1 if index < pupils % units else 0)
            self._unit(unit, share)
            progress(f"{unit.name}: {share} elever")
        self.audit.close()
        self.access.close()
        return ScaleResult(
            self.organiser.pk,
            self.pupil_count,
            units,
            self.programmes,
            self.adaptations,
            self.audit.count,
            self.access.count,
        )

    # --- one unit ------------------------------------------------------------------------------

    def _unit(self, unit: SchoolUnit, count: int) -> None:
        self._audit("organisation.unit.created", unit, None, unit.pk, {"name": unit.name})
        by_year = self._families(unit, count)
        staff = self._staff(unit)
        classes = self._classes(unit, by_year)
        adaptations = self._adaptations(unit, classes, staff)
        self._programmes(unit, classes, staff, adaptations)
        self._access_log(classes, staff)

    def _families(self, unit: SchoolUnit, count: int) -> dict[int, list[Person]]:
        """Pupils in families of one to three children at the unit, with one or two guardians."""
        families: list[tuple[list[tuple[Person, int]], list[Person]]] = []
        made = 0
        while made < count:
            children = min(count - made, self.rng.choices([1, 2, 3], weights=[62, 30, 8])[0])
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
            families.append((kids, adults))
            made += children
        people = [p for kids, adults in families for p in [*(k for k, _y in kids), *adults]]
        Person.objects.bulk_create(people, batch_size=self.batch)
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
        Placement.objects.bulk_create(placements, batch_size=self.batch)
        Guardianship.objects.bulk_create(guardianships, batch_size=self.batch)
        self.guardians: dict[int, list[int]] = {}
        for g in guardianships:
            self.guardians.setdefault(g.pupil_id, []).append(g.guardian_id)
        self.pupil_count += count
        return by_year

    def _staff(self, unit: SchoolUnit) -> dict[str, Person]:
        titles = {
            "principal": (Duty.Role.PRINCIPAL, names.PRINCIPAL_TITLE),
            "admin": (Duty.Role.ADMINISTRATOR, names.ADMIN_TITLE),
            **{t: (Duty.Role.PUPIL_HEALTH, t) for t in names.HEALTH_TITLES},
        }
        staff = {key: self._adult() for key in titles}
        Person.objects.bulk_create(staff.values())
        Duty.objects.bulk_create(
            Duty(
                person=staff[key],
                organiser=self.organiser,
                unit=unit,
                role=role,
                title=title,
                start_date=dt.date(self.term_start.year - self.rng.randint(0, 12), 8, 1),
            )
            for key, (role, title) in titles.items()
        )
        code = unit.school_unit_code
        self.users = {
            key: User(
                username=f"{username}-{code}",
                person=staff[key],
                email=staff[key].email,
                password=self.password,
            )
            for key, username in (("principal", "rektor"), ("Specialpedagog", "specialpedagog"))
        }
        User.objects.bulk_create(self.users.values())
        return staff

    def _classes(self, unit: SchoolUnit, by_year: dict[int, list[Person]]) -> list[_Class]:
        """Classes named 7A, 7B ... 7AA (``class_letters``), a teacher mentoring each, and a
        Swedish and a mathematics group per class that the class teacher teaches."""
        classes: list[_Class] = []
        for year, pupils in by_year.items():
            count = math.ceil(len(pupils) / self.class_size)
            for index in range(count):
                name = f"{school_year_label(year)}{names.class_letters(index)}"
                group = Group(
                    unit=unit,
                    name=name,
                    kind=Group.Kind.CLASS,
                    start_date=self.term_start,
                    school_year=year,
                )
                classes.append(_Class(group, self._adult(), pupils[index::count], year))
        Person.objects.bulk_create([k.teacher for k in classes], batch_size=self.batch)
        teaching = [
            (
                k,
                Group(
                    unit=unit,
                    name=f"{key} {k.group.name}",
                    kind=Group.Kind.TEACHING,
                    subject=self.subjects[key],
                    start_date=self.term_start,
                    school_year=k.year,
                ),
            )
            for k in classes
            for key in SUBJECT_GROUPS
        ]
        groups = [*(k.group for k in classes), *(g for _k, g in teaching)]
        Group.objects.bulk_create(groups, batch_size=self.batch)
        pairs = [(k, k.group) for k in classes] + teaching
        Duty.objects.bulk_create(
            (
                Duty(
                    person=k.teacher,
                    organiser=self.organiser,
                    unit=unit,
                    role=Duty.Role.TEACHER,
                    title=names.TEACHER_TITLES.get(
                        ("class", names.stage(k.year)), names.TEACHER_TITLES[("MaNO", "7-9")]
                    ),
                    start_date=self.term_start,
                )
                for k in classes
            ),
            batch_size=self.batch,
        )
        TeachingAssignment.objects.bulk_create(
            (
                TeachingAssignment(teacher=k.teacher, group=g, start_date=self.term_start)
                for k, g in pairs
            ),
            batch_size=self.batch,
        )
        GroupMembership.objects.bulk_create(
            (
                GroupMembership(group=g, pupil=p, start_date=self.term_start)
                for k, g in pairs
                for p in k.pupils
            ),
            batch_size=self.batch,
        )
        Mentorship.objects.bulk_create(
            (
                Mentorship(mentor=k.teacher, pupil=p, unit=unit, start_date=self.term_start)
                for k in classes
                for p in k.pupils
            ),
            batch_size=self.batch,
        )
        for group in groups:
            self._audit("organisation.group.created", group, None, unit.pk, {"name": group.name})
        return classes

    # --- support ---------------------------------------------------------------------------

    def _adaptations(
        self, unit: SchoolUnit, classes: list[_Class], staff: dict[str, Person]
    ) -> dict[int, ExtraAdaptation]:
        """Active extra adaptations for a fifth of the pupils, their class teacher responsible."""
        rows: list[ExtraAdaptation] = []
        subjects = [self.subjects[key] for key in SUBJECT_GROUPS]
        for klass in classes:
            for pupil in klass.pupils:
                if self.rng.random() >= ADAPTATION_SHARE:
                    continue
                start = self.day - dt.timedelta(days=self.rng.randint(7, 200))
                rows.append(
                    ExtraAdaptation(
                        pupil=pupil,
                        unit=unit,
                        title="Anpassad instruktion",
                        description="Instruktionen ges muntligt och skriftligt, i korta steg.",
                        need="Har svårt att komma igång med uppgifter.",
                        start_date=start,
                        responsible=klass.teacher,
                        next_follow_up=self.day + dt.timedelta(days=self.rng.randint(-10, 40)),
                        created_by=self.users["principal"],
                    )
                )
        ExtraAdaptation.objects.bulk_create(rows, batch_size=self.batch)
        through = ExtraAdaptation.subjects.through
        through.objects.bulk_create(
            (through(extraadaptation_id=a.pk, subject_id=subjects[a.pk % 2].pk) for a in rows),
            batch_size=self.batch,
        )
        AdaptationVersion.objects.bulk_create(
            (
                AdaptationVersion(
                    adaptation=a,
                    version=1,
                    changed_by=self.users["principal"],
                    changes={},
                    snapshot=adaptation_snapshot(a, [subjects[a.pk % 2].pk]),
                )
                for a in rows
            ),
            batch_size=self.batch,
        )
        for a in rows:
            self._audit("support.adaptation.created", a, a.pupil_id, unit.pk, {}, staff)
        self.adaptations += len(rows)
        return {a.pupil_id: a for a in rows}

    def _programmes(
        self,
        unit: SchoolUnit,
        classes: list[_Class],
        staff: dict[str, Person],
        adaptations: dict[int, ExtraAdaptation],
    ) -> None:
        """Referral, investigation and programme for a twentieth of the pupils, at every stage
        in turn; decided ones with their decision, notified parties and a follow-up."""
        principal, user = staff["principal"], self.users["principal"]
        teacher_of = {p.pk: k.teacher for k in classes for p in k.pupils}
        chosen = [p for k in classes for p in k.pupils if p.pk in adaptations]
        wanted = max(1, round(sum(len(k.pupils) for k in classes) * PROGRAMME_SHARE))
        chosen = chosen[:wanted]
        referrals = [
            Referral(
                pupil=p,
                unit=unit,
                reported_by=user,
                reporter=teacher_of[p.pk],
                tried="Extra anpassningar under en termin.",
                why="Eleven når inte kunskapskraven trots anpassningarna.",
                state=wf.ReferralState.HANDLED,
                handled_at=self.now,
            )
            for p in chosen
        ]
        investigations = [
            Investigation(
                pupil=p,
                unit=unit,
                state=wf.InvestigationState.PROGRAMME_TO_BE_DRAWN_UP,
                assessment="Eleven är i behov av särskilt stöd i matematik.",
                health_consulted=True,
                started_by=user,
                concluded_on=self.day - dt.timedelta(days=60),
            )
            for p in chosen
        ]
        Investigation.objects.bulk_create(investigations, batch_size=self.batch)
        for referral, investigation in zip(referrals, investigations, strict=True):
            referral.investigation = investigation
        Referral.objects.bulk_create(referrals, batch_size=self.batch)
        programmes: list[ActionProgramme] = []
        successors: list[ActionProgramme] = []
        for p, investigation in zip(chosen, investigations, strict=True):
            state = STAGES[self.stage % len(STAGES)]
            self.stage += 1
            programme = self._programme(p, unit, investigation, state, teacher_of[p.pk])
            programmes.append(programme)
            if state == P.BEING_RENEWED:  # a renewal copy in draft, the old one still in force
                successors.append(
                    self._programme(p, unit, investigation, P.DRAFT, teacher_of[p.pk], programme)
                )
            elif state == P.REPLACED:  # replaced by a newer decided programme
                successors.append(
                    self._programme(p, unit, investigation, P.DECIDED, teacher_of[p.pk], programme)
                )
        ActionProgramme.objects.bulk_create(programmes, batch_size=self.batch)
        for successor in successors:
            successor.previous_id = successor.previous.pk if successor.previous else None
        ActionProgramme.objects.bulk_create(successors, batch_size=self.batch)
        everything = programmes + successors
        Measure.objects.bulk_create(
            (
                Measure(
                    programme=a,
                    what="Undervisning i liten grupp i matematik",
                    how="Tre lektioner i veckan med speciallärare.",
                    responsible=staff["Specialpedagog"],
                    support_form=wf.SupportForm.ORDINARY,
                )
                for a in everything
            ),
            batch_size=self.batch,
        )
        decided = [a for a in everything if a.state in DECIDED]
        instructions = appeal_instructions_for(unit)
        decisions = [self._decision(a, wf.DecisionKind.PROGRAMME, instructions) for a in decided]
        decisions += [
            self._decision(a, wf.DecisionKind.CLOSE_PROGRAMME, instructions)
            for a in decided
            if a.state == P.CLOSED
        ]
        for decision in decisions:
            decision.decided_by, decision.decided_by_user = principal, user
        Decision.objects.bulk_create(decisions, batch_size=self.batch)
        PartyNotification.objects.bulk_create(
            (
                PartyNotification(
                    decision=d,
                    party_id=guardian,
                    notified_on=d.decided_on + dt.timedelta(days=1),
                    method=PartyNotification.Method.DIGITAL,
                    recorded_by=user,
                )
                for d in decisions
                for guardian in self.guardians.get(d.pupil_id, [])
            ),
            batch_size=self.batch,
        )
        ProgrammeFollowUp.objects.bulk_create(
            (
                ProgrammeFollowUp(
                    programme=a,
                    date=self.day - dt.timedelta(days=20),
                    text="Eleven deltar i undervisningen i liten grupp och gör framsteg.",
                    created_by=user,
                )
                for a in decided
            ),
            batch_size=self.batch,
        )
        ProgrammeEvaluation.objects.bulk_create(
            (
                ProgrammeEvaluation(
                    programme=a,
                    date=self.day - dt.timedelta(days=10),
                    text="Åtgärderna har gett effekt.",
                    need_remains=a.state != P.CLOSED,
                    created_by=user,
                )
                for a in decided
                if a.state in (P.EVALUATED, P.BEING_RENEWED, P.REPLACED, P.CLOSED)
            ),
            batch_size=self.batch,
        )
        for a in everything:
            self._audit("support.programme.drafted", a, a.pupil_id, unit.pk, {}, staff)
        for d in decisions:
            data = {"kind": d.kind, "delegation_id": None, "appealable": d.appealable}
            self._audit("support.decision.recorded", d, d.pupil_id, unit.pk, data, staff)
        self.programmes += len(everything)

    def _programme(
        self,
        pupil: Person,
        unit: SchoolUnit,
        investigation: Investigation,
        state: str,
        teacher: Person,
        previous: ActionProgramme | None = None,
    ) -> ActionProgramme:
        return ActionProgramme(
            pupil=pupil,
            unit=unit,
            investigation=investigation,
            previous=previous,
            state=state,
            needs="Behöver stöd i matematik i mindre grupp.",
            follow_up_plan="Uppföljning varannan månad.",
            evaluation_date=self.day + dt.timedelta(days=120),
            follow_up_responsible=teacher,
            evaluation_responsible=teacher,
            pupil_participated=True,
            guardians_participated=True,
        )

    def _decision(self, programme: ActionProgramme, kind: str, instructions: str) -> Decision:
        rule = wf.DECISIONS[wf.DecisionKind(kind)]
        return Decision(
            kind=kind,
            pupil_id=programme.pupil_id,
            unit_id=programme.unit_id,
            programme=programme,
            decided_on=self.day - dt.timedelta(days=self.rng.randint(30, 300)),
            reasons="Utredningen visar att eleven är i behov av särskilt stöd.",
            appealable=rule.appealable,
            law=rule.law,
            appeal_instructions=instructions if rule.appealable else "",
            content={"needs": programme.needs},
        )

    # --- logs --------------------------------------------------------------------------------

    def _audit(
        self,
        code: str,
        obj: models.Model | None,
        pupil_id: int | None,
        unit_id: int | None,
        data: dict[str, Any],
        staff: dict[str, Person] | None = None,
    ) -> None:
        """One audit row, dated within the past year, by the principal when one is given."""
        user = self.users["principal"] if staff else None
        self.audit.add(
            occurred_at=self._moment(),
            code=code,
            actor_id=user.pk if user else None,
            actor_label=f"{user.username} ({staff['principal'].full_name})"
            if user and staff
            else "system",
            pupil_id=pupil_id,
            unit_id=unit_id,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            data=data,
        )

    def _access_log(self, classes: list[_Class], staff: dict[str, Person]) -> None:
        user = self.users["principal"]
        label = f"{user.username} ({staff['principal'].full_name})"
        for klass in classes:
            for pupil in klass.pupils:
                for _n in range(self.access_per_pupil):
                    self.access.add(
                        occurred_at=self._moment(),
                        actor_id=user.pk,
                        actor_label=label,
                        pupil_id=pupil.pk,
                        purpose="organisation.pupil.page",
                        reasons="principal",
                        granted=True,
                        path=f"/elever/{pupil.pk}/",
                    )

    def _moment(self) -> dt.datetime:
        return self.now - dt.timedelta(seconds=self.rng.randrange(365 * 24 * 3600))

    # --- people ------------------------------------------------------------------------------

    def _person(self, given: str, family: str, born: dt.date, female: bool, address: str) -> Person:
        return Person(
            given_name=given,
            family_name=family,
            civic_number=self.ids.civic_number(born, female),
            address=address,
        )

    def _adult(
        self, origin: str | None = None, family_name: str | None = None, born: int | None = None
    ) -> Person:
        origin = origin or self.ids.origin()
        female = self.rng.random() < 0.5
        family_name = family_name or self.ids.family_name(origin)
        given = self.ids.given_name(origin, female, child=False, taken=[])
        birthday = self.ids.birthday(born or self.term_start.year - self.rng.randint(26, 63))
        domain = names.GUARDIAN_DOMAIN if born else names.STAFF_DOMAIN
        return Person(
            given_name=given,
            family_name=family_name,
            civic_number=self.ids.civic_number(birthday, female),
            email=self.ids.email(given, family_name, domain),
            mobile=self.ids.phone(),
        )
