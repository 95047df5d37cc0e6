"""Writing many organisation rows at once, for the SS 12000 importer: a few queries and one
audit event (with counts and the rows' ids) per call, whatever the number of rows.

Each function is one transaction. The rules are those of the single-row services: persons are
found by external id, else adopted by civic number when that person has no external id yet;
a civic number another person holds is refused for that row alone; a period ends on a day no
earlier than its start, and a row that already ended earlier keeps its end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from elevstod.audit.services import audit_record
from elevstod.core.actors import Actor
from elevstod.core.bulk import rows_insert, rows_matching, rows_update

from ..civic import civic_number_normalize, luhn_digit
from ..models import (
    Duty,
    Group,
    GroupMembership,
    Guardianship,
    Mentorship,
    Person,
    Placement,
    Subject,
    TeachingAssignment,
)
from .persons import PERSON_SYNCED_FIELDS

BATCH = 1000
# The rows that end (with an end date) and the code of the one event per call that ends them.
ENDABLE: dict[str, tuple[type[Any], str]] = {
    "placement": (Placement, "organisation.placements.ended_in_bulk"),
    "membership": (GroupMembership, "organisation.memberships.ended_in_bulk"),
    "mentorship": (Mentorship, "organisation.mentorships.ended_in_bulk"),
    "teaching": (TeachingAssignment, "organisation.teaching.ended_in_bulk"),
    "duties": (Duty, "organisation.duties.ended_in_bulk"),
    "groups": (Group, "organisation.groups.ended_in_bulk"),
    "guardianship": (Guardianship, "organisation.guardianships.ended_in_bulk"),
}


def _event(code: str, actor: Actor | None, fields: Iterable[str] = (), **counts: list[int]) -> None:
    """One event per call: how many rows, which (ids), and the names of the fields that
    changed (never their values)."""
    data: dict[str, Any] = {name: len(ids) for name, ids in counts.items()}
    data["ids"] = {name: sorted(ids) for name, ids in counts.items() if ids}
    if fields:
        data["fields"] = sorted(fields)
    if any(counts.values()):
        audit_record(code=code, actor=actor, data=data)


@dataclass
class PersonsWritten:
    pks: dict[str, int] = field(default_factory=dict)  # external id -> person
    refused: dict[str, Promise] = field(default_factory=dict)  # external id -> why
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)


@transaction.atomic
def persons_upsert(
    *, actor: Actor | None, values: Mapping[str, Mapping[str, object]]
) -> PersonsWritten:
    """Create or update persons by external id; ``values`` maps an external id to the person's
    synchronised fields (``PERSON_SYNCED_FIELDS`` less ``external_id``)."""
    result = PersonsWritten()
    wanted = {ext: _normalised(fields) for ext, fields in values.items()}
    targets = _targets(wanted, result)
    new: dict[str, dict[str, object]] = {}
    changed_rows: list[Person] = []
    names: set[str] = set()
    for ext, fields in wanted.items():
        if ext in result.refused:
            continue
        person = targets.get(ext)
        if person is None:
            new[ext] = fields
            continue
        differ = _set_changed(person, {**fields, "external_id": ext})
        if differ:
            names.update(differ)
            changed_rows.append(person)
        result.pks[ext] = person.pk
    columns = [name for name in PERSON_SYNCED_FIELDS if name != "external_id"]
    result.created = rows_insert(
        Person, [*columns, "external_id"], [(*(f[c] for c in columns), e) for e, f in new.items()]
    )
    if changed_rows:
        _update(Person, changed_rows, sorted(names))
    result.pks.update(zip(new, result.created, strict=True))
    result.updated = [p.pk for p in changed_rows]
    _event(
        "organisation.persons.written_in_bulk",
        actor,
        names,
        created=result.created,
        updated=result.updated,
    )
    return result


def _targets(wanted: dict[str, dict[str, object]], result: PersonsWritten) -> dict[str, Person]:
    """The person each external id is (by the id, else adopted by civic number when that person
    has no external id yet); a civic number someone else holds, or an earlier row in the call
    takes, refuses the row."""
    found = {p.external_id: p for p in rows_matching(Person, "external_id", wanted)}
    civics = {str(f["civic_number"]) for f in wanted.values() if f.get("civic_number")}
    holders = {p.civic_number: p for p in rows_matching(Person, "civic_number", sorted(civics))}
    targets: dict[str, Person] = {}
    claimed: dict[str, str] = {}  # civic number -> the external id that takes it
    for ext, fields in wanted.items():
        person = found.get(ext)
        civic = str(fields.get("civic_number") or "")
        holder = holders.get(civic) if civic else None
        if person is None and holder is not None and holder.external_id is None:
            person = holder
        if civic and (claimed.get(civic, ext) != ext or holder not in (None, person)):
            result.refused[ext] = _("Another person already has this personal identity number.")
            continue
        if civic:
            claimed[civic] = ext
        if person is not None:
            targets[ext] = person
    return targets


def _normalised(fields: Mapping[str, object]) -> dict[str, object]:
    unknown = set(fields) - set(PERSON_SYNCED_FIELDS)
    if unknown or "external_id" in fields:
        raise ValueError(f"not a synchronised field: {sorted(unknown | {'external_id'})}")
    out = dict(fields)
    for name in ("given_name", "family_name"):
        if isinstance(out.get(name), str):
            out[name] = str(out[name]).strip()
    civic = out.get("civic_number")
    if civic and not _normal(civic):
        out["civic_number"] = civic_number_normalize(str(civic))
    return out


def _normal(civic: object) -> bool:
    """Already in the 12-digit form with its check digit (as the importer's reading gives it),
    so the full normalisation can be spared."""
    return (
        isinstance(civic, str)
        and len(civic) == 12
        and civic.isdigit()
        and luhn_digit(civic[2:11]) == int(civic[11])
    )


def _update(model: type[models.Model], rows: list[Any], names: list[str]) -> None:
    rows_update(model, names, [(row.pk, *(getattr(row, n) for n in names)) for row in rows])


def _set_changed(obj: models.Model, changes: Mapping[str, object]) -> list[str]:
    names = [name for name, value in changes.items() if getattr(obj, name) != value]
    for name in names:
        setattr(obj, name, changes[name])
    if names:
        obj.updated_at = dt.datetime.now(dt.UTC)  # type: ignore[attr-defined]
    return names


@dataclass(frozen=True)
class PlacementStart:
    pupil_id: int
    unit_id: int
    school_year: int
    start_date: dt.date
    end_date: dt.date | None = None


@transaction.atomic
def placements_write(
    *,
    actor: Actor | None,
    start: list[PlacementStart],
    change_year: Mapping[int, int],
) -> list[int]:
    """Start placements (in the given order; returns their ids) and change school years
    (placement id -> year)."""
    started = rows_insert(
        Placement,
        ["pupil_id", "unit_id", "school_year", "start_date", "end_date"],
        [(s.pupil_id, s.unit_id, s.school_year, s.start_date, s.end_date) for s in start],
    )
    changing = list(Placement.objects.filter(pk__in=list(change_year)))
    for placement in changing:
        _set_changed(placement, {"school_year": change_year[placement.pk]})
    _update(Placement, changing, ["school_year"])
    _event(
        "organisation.placements.written_in_bulk",
        actor,
        started=started,
        year_changed=[p.pk for p in changing],
    )
    return started


@transaction.atomic
def memberships_add(
    *, actor: Actor | None, add: list[tuple[int, int, dt.date, dt.date | None]]
) -> list[int]:
    """Add pupils to groups: (group id, pupil id, start, end or None); returns the ids."""
    added = rows_insert(GroupMembership, ["group_id", "pupil_id", "start_date", "end_date"], add)
    _event("organisation.memberships.written_in_bulk", actor, added=added)
    return added


@dataclass
class GuardiansLinked:
    links: dict[tuple[int, int], int] = field(default_factory=dict)  # (guardian, pupil) -> link
    added: list[int] = field(default_factory=list)
    reopened: list[int] = field(default_factory=list)


@transaction.atomic
def guardianships_add(
    *,
    actor: Actor | None,
    pairs: Iterable[tuple[int, int]],
    new_pupils: Collection[int] = (),
) -> GuardiansLinked:
    """Make guardians (guardian id, pupil id) guardians of their pupils, again where the link
    had ended; returns the link of each pair. ``new_pupils``: pupils the caller has just
    created in its transaction, who have no guardians yet, so their links are not looked for."""
    wanted = set(pairs)
    pupils = {p for _, p in wanted} - set(new_pupils)
    found = Guardianship.objects.filter(pupil_id__in=pupils) if pupils else ()
    links = {(g.guardian_id, g.pupil_id): g for g in found if (g.guardian_id, g.pupil_id) in wanted}
    reopened = [g for g in links.values() if g.end_date is not None]
    for link in reopened:
        _set_changed(link, {"end_date": None})
    _update(Guardianship, reopened, ["end_date"])
    new = sorted(wanted - set(links))
    added = rows_insert(Guardianship, ["guardian_id", "pupil_id"], new)
    result = GuardiansLinked(
        {**{pair: link.pk for pair, link in links.items()}, **dict(zip(new, added, strict=True))},
        added,
        [g.pk for g in reopened],
    )
    _event(
        "organisation.guardianships.written_in_bulk",
        actor,
        added=result.added,
        reopened=result.reopened,
    )
    return result


@dataclass(frozen=True)
class GroupWrite:
    unit_id: int
    name: str
    kind: str
    start_date: dt.date
    external_id: str


@transaction.atomic
def groups_write(
    *, actor: Actor | None, create: list[GroupWrite], update: Mapping[int, tuple[str, str]]
) -> tuple[list[int], list[int]]:
    """Create groups and change names and kinds (id -> both); returns the ids of those
    created (in order) and of those changed."""
    created = rows_insert(
        Group,
        ["unit_id", "name", "kind", "start_date", "external_id"],
        [(g.unit_id, g.name, g.kind, g.start_date, g.external_id) for g in create],
    )
    changing = _change_fields(Group, update, ("name", "kind"))
    _event(
        "organisation.groups.written_in_bulk",
        actor,
        created=created,
        updated=[g.pk for g in changing],
    )
    return created, [g.pk for g in changing]


def _change_fields(
    model: type[models.Model], update: Mapping[int, tuple[str, str]], fields: tuple[str, str]
) -> list[Any]:
    """Set ``fields`` of the rows in ``update`` (id -> values) and write those that changed."""
    changing = [
        row
        for row in model._default_manager.filter(pk__in=list(update))
        if _set_changed(row, dict(zip(fields, update[row.pk], strict=True)))
    ]
    _update(model, changing, list(fields))
    return changing


@dataclass(frozen=True)
class DutyWrite:
    person_id: int
    organiser_id: int
    unit_id: int | None
    role: str
    title: str
    start_date: dt.date
    external_id: str


@transaction.atomic
def duties_write(
    *, actor: Actor | None, create: list[DutyWrite], update: Mapping[int, tuple[str, str]]
) -> tuple[list[int], list[int]]:
    """Assign duties and change roles and titles (id -> both); returns the ids of those
    assigned (in order) and of those changed."""
    columns = ["person_id", "organiser_id", "unit_id", "role", "title", "start_date"]
    created = rows_insert(
        Duty,
        [*columns, "external_id"],
        [(*(getattr(d, c) for c in columns), d.external_id) for d in create],
    )
    changing = _change_fields(Duty, update, ("role", "title"))
    _event(
        "organisation.duties.written_in_bulk",
        actor,
        assigned=created,
        role_changed=[d.pk for d in changing],
    )
    return created, [d.pk for d in changing]


@transaction.atomic
def teaching_add(*, actor: Actor | None, add: list[tuple[int, int, dt.date]]) -> list[int]:
    """Let teachers teach groups: (teacher id, group id, start); returns the ids."""
    added = rows_insert(TeachingAssignment, ["teacher_id", "group_id", "start_date"], add)
    _event("organisation.teaching.written_in_bulk", actor, assigned=added)
    return added


@transaction.atomic
def subjects_for_codes(*, actor: Actor | None, names: Mapping[str, str]) -> dict[str, int]:
    """The subject of each code (code -> its name, for one not there yet); returns code -> id."""
    found = dict(Subject.objects.filter(code__in=list(names)).values_list("code", "pk"))
    new = [(code, (name or code)[:100]) for code, name in names.items() if code not in found]
    created = rows_insert(Subject, ["code", "name"], new)
    found.update(zip((code for code, _name in new), created, strict=True))
    _event("organisation.subjects.created_in_bulk", actor, created=created)
    return found


@transaction.atomic
def groups_set_subject(*, actor: Actor | None, subjects: Mapping[int, int]) -> list[int]:
    """Give groups their subjects (group id -> subject id); returns the ids of those changed
    (a group that already has its subject is left as it is)."""
    changing = []
    for group in Group.objects.filter(pk__in=list(subjects)):
        if _set_changed(group, {"subject_id": subjects[group.pk]}):
            changing.append(group)
    _update(Group, changing, ["subject_id"])
    _event("organisation.groups.subject_set_in_bulk", actor, updated=[g.pk for g in changing])
    return [g.pk for g in changing]


@transaction.atomic
def periods_end(*, actor: Actor | None, kind: str, ends: Mapping[int, dt.date]) -> list[int]:
    """End rows of one kind (``ENDABLE``), each on its day (row id -> day) but never before
    its start; a row already ended by then stays as it is. Returns the ids ended."""
    model, code = ENDABLE[kind]
    ended = []
    for row in model._default_manager.filter(pk__in=list(ends)):
        day = ends[row.pk]
        start = getattr(row, "start_date", None)
        day = max(day, start) if start else day
        if row.end_date is not None and row.end_date <= day:
            continue
        _set_changed(row, {"end_date": day})
        ended.append(row)
    _update(model, ended, ["end_date"])
    _event(code, actor, ended=[row.pk for row in ended])
    return [row.pk for row in ended]
