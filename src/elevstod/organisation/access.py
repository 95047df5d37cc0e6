"""Who may see which pupil, and with which rights. The one place that answers that question.

Rules (DOMAIN.md §2 and §4):
- a teacher sees the pupils of the groups they teach; a mentor sees their mentees;
- the principal and the pupil health team see the pupils placed at their unit;
- a school administrator sees the unit's pupils to manage them, but never support content;
- a pupil with protected identity is seen only by their mentor, the principal and the pupil
  health team of their unit (and by themselves and their guardians); their guardians' contact
  details are never shown;
- a guardian sees their own children, a pupil sees themselves, in the family view only;
- an organiser analyst sees no names at all, only counts;
- the organiser's data protection officer reaches the records of every pupil who is or was
  placed at one of its units, for the log, the register extract and disposal only
  (``records_access.access_organiser_records``), never the pupil's pages.

Everything is computed "as of today": ended duties, placements, memberships and assignments give
nothing. Views never filter pupils themselves: they call ``pupils_visible_to`` for lists and
``access_pupil`` for one pupil (which also writes the access log).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from elevstod.audit.services import access_log_record
from elevstod.core.actors import AnyUser
from elevstod.core.compiled import compiled_rows, compiled_subquery
from elevstod.core.errors import AccessDenied
from elevstod.core.models import AmongIds, active_on
from elevstod.core.request_cache import request_cache
from elevstod.core.timeutil import today

from .models import (
    Group,
    GroupMembership,
    Guardianship,
    Mentorship,
    Person,
    Placement,
    TeachingAssignment,
)
from .reasons import FAMILY_REASONS as FAMILY_REASONS
from .reasons import PROTECTED_IDENTITY_REASONS as PROTECTED_IDENTITY_REASONS
from .reasons import RIGHTS_BY_REASON as RIGHTS_BY_REASON
from .reasons import STAFF_REASONS as STAFF_REASONS
from .reasons import Reason as Reason
from .reasons import Right as Right
from .scope import EMPTY_SCOPE as EMPTY_SCOPE
from .scope import Scope as Scope
from .scope import rule_scope as rule_scope
from .scope import rule_values as rule_values
from .scope import scope_for as scope_for
from .unit_access import access_group as access_group
from .unit_access import access_unit as access_unit
from .unit_access import may_see_unit_pupil_lists as may_see_unit_pupil_lists
from .unit_access import organisers_for_analyst as organisers_for_analyst
from .unit_access import units_visible_to as units_visible_to

# --- the rules, each as a subquery of pupil ids --------------------------------------------

_STAFF_LISTS = STAFF_REASONS | {Reason.ADMINISTRATOR}  # what puts a pupil in staff's lists


def _placed_at(units: frozenset[int], day: dt.date) -> QuerySet[Placement]:
    return Placement.objects.filter(active_on(day), unit_id__in=units)


def _taught_by(person_id: int, day: dt.date) -> QuerySet[GroupMembership]:
    groups = TeachingAssignment.objects.filter(active_on(day), teacher_id=person_id).values(
        "group_id"
    )
    return GroupMembership.objects.filter(
        active_on(day), group_id__in=groups, group__in=Group.objects.filter(active_on(day))
    )


def _mentored_by(person_id: int, day: dt.date) -> QuerySet[Mentorship]:
    return Mentorship.objects.filter(active_on(day), mentor_id=person_id)


def _rule_querysets(scope: Scope, day: dt.date) -> dict[str, QuerySet[Any]]:
    """Each reason mapped to a queryset with a ``pupil_id`` column."""
    if scope.person_id is None:
        return {}
    rules: dict[str, QuerySet[Any]] = {
        Reason.TEACHER: _taught_by(scope.person_id, day),
        Reason.MENTOR: _mentored_by(scope.person_id, day),
        Reason.GUARDIAN: Guardianship.objects.current(day).filter(guardian_id=scope.person_id),
    }
    if scope.principal_units:
        rules[Reason.PRINCIPAL] = _placed_at(scope.principal_units, day)
    if scope.health_units:
        rules[Reason.PUPIL_HEALTH] = _placed_at(scope.health_units, day)
    if scope.admin_units:
        rules[Reason.ADMINISTRATOR] = _placed_at(scope.admin_units, day)
    return rules


def pupils_visible_from_ids(user: AnyUser, *, day: dt.date | None = None) -> QuerySet[Person]:
    """``pupils_visible_to(user)`` (as staff), read from the ids the staff rules reach (a
    ``UNION`` through the rules' indexes, ``AmongIds``): the database then reads only those
    persons, however many the organiser has. For the search; its rules compiled once per
    scope and day (``compiled_subquery``), so a request compiles only the search's part."""
    day = day or today()
    scope = scope_for(user, day)
    if scope.person_id is None:
        return Person.objects.none()
    return _visible_from_ids(scope, day).all()


@lru_cache(maxsize=256)
def _visible_from_ids(scope: Scope, day: dt.date) -> QuerySet[Person]:
    """Built and compiled once per scope and day and never run: callers get a copy."""
    rules = [(r, qs.order_by().values("pupil_id")) for r, qs in _rule_querysets(scope, day).items()]
    ids = [qs for r, qs in rules if r in _STAFF_LISTS]
    union = ids[0].union(*ids[1:], all=True) if ids else Placement.objects.none().values("pupil_id")
    compiled = {r: compiled_subquery(qs) for r, qs in rules if r in _STAFF_LISTS}
    reach = Q(AmongIds("pk", compiled_subquery(union)))
    return Person.objects.filter(_protected(reach, _protected_ok(compiled)))


def _protected_ok(ids: Mapping[str, Any], ref: str | None = None) -> Q:
    """The pupils with protected identity that the rules' ``ids`` may reach (``_matches``)."""
    return _matches([i for r, i in ids.items() if r in PROTECTED_IDENTITY_REASONS], ref)


def _matches(ids: Iterable[Any], ref: str | None = None) -> Q:
    """Persons (or, with ``ref``, rows whose pupil id is the field ``ref``) among any of the
    rules' ``ids``: ``OR``ed ``IN``s on persons, ``EXISTS`` on the rows."""
    match = Q(pk__in=[])
    for i in ids:
        match |= Q(pk__in=i) if ref is None else Q(Exists(i.filter(pupil_id=OuterRef(ref))))
    return match


def _protected(anyone: Q, protected_ok: Q) -> Q:
    """``anyone`` but a person with protected identity, who must be in ``protected_ok``."""
    return anyone & (Q(security_marking=Person.SecurityMarking.NONE) | protected_ok)


def _visibility_filter(
    scope: Scope, day: dt.date, reasons: frozenset[str], ref: str | None = None
) -> Q:
    """Pupils reachable through any of ``reasons``, honouring protected identity: on persons,
    ``OR``ed ``IN``s (a ``UNION`` read every person where pupils are a filter); on rows with
    the pupil's id in ``ref``, ``EXISTS`` on it, protection from the few protected persons."""
    ids = {
        r: qs.values("pupil_id") for r, qs in _rule_querysets(scope, day).items() if r in reasons
    }
    anyone = _matches(ids.values(), ref)
    protected_ok = _protected_ok(ids, ref)
    if ref is not None:
        protected = Person.objects.filter(pk=OuterRef(ref)).exclude(
            security_marking=Person.SecurityMarking.NONE
        )
        return anyone & (~Exists(protected) | protected_ok)
    if Reason.SELF in reasons and scope.person_id is not None:
        own = Q(pk=scope.person_id, pk__in=Placement.objects.values("pupil_id"))
        anyone |= own
        protected_ok |= own
    return _protected(anyone, protected_ok)


def pupils_visible_to(
    user: AnyUser, *, day: dt.date | None = None, staff_only: bool = True
) -> QuerySet[Person]:
    """The pupils ``user`` may see as staff (or, with ``staff_only=False``, also as family)."""
    day = day or today()
    scope = scope_for(user, day)
    if scope.person_id is None:
        return Person.objects.none()
    reasons = _STAFF_LISTS
    if not staff_only:
        reasons = reasons | FAMILY_REASONS
    return _visible_pupils(scope, day, frozenset(reasons)).all()


@lru_cache(maxsize=256)
def _visible_pupils(scope: Scope, day: dt.date, reasons: frozenset[str]) -> QuerySet[Person]:
    """Built once per scope, day and reasons and never run: callers get a copy (``all()``)."""
    return Person.objects.filter(_visibility_filter(scope, day, reasons))


@dataclass(frozen=True)
class Grant:
    """What the user may do with one pupil, and why."""

    pupil: Person
    reasons: frozenset[str]
    support_module: bool = False  # the pupil is placed at a unit with the support module

    @cached_property
    def rights(self) -> frozenset[str]:
        """Worked out once per grant (a list asks each of its grants several times)."""
        rights: set[str] = set()
        for reason in self.reasons:
            rights |= RIGHTS_BY_REASON[reason]
        if self.pupil.has_protected_identity:
            rights.discard(Right.VIEW_GUARDIAN_CONTACTS)
        if not self.support_module:
            rights.discard(Right.VIEW_SUPPORT)
        return frozenset(rights)

    def has(self, right: str) -> bool:
        return right in self.rights

    @property
    def is_staff_grant(self) -> bool:
        return bool(self.reasons - FAMILY_REASONS)


@lru_cache(maxsize=256)
def _grant_annotations(scope: Scope, day: dt.date, ref: str = "pk") -> Mapping[str, Any]:
    """One ``Exists`` per rule that could give the user a reason, and the support module, for
    the pupil whose id is the field ``ref`` of the query. Built once per scope, day and field
    and only read: a query resolves a copy of each expression it is given."""
    annotations: dict[str, Any] = {
        f"r_{reason}": Exists(qs.filter(pupil_id=OuterRef(ref)))
        for reason, qs in _rule_querysets(scope, day).items()
    }
    module = Placement.objects.filter(
        active_on(day), pupil_id=OuterRef(ref), unit__support_module_enabled=True
    )
    # A scalar subquery, not ``Exists``: asked in the select list of a list's rows, an
    # ``EXISTS`` may be answered by hashing every current placement (all pupils of every
    # unit), where this one looks up each row's pupil.
    first = Subquery(module.order_by().values(placed=Value(True))[:1])
    annotations["support_module"] = Coalesce(first, Value(False))
    return annotations


GRANT_PREFIX = "grant_"


def grant_annotations(user: AnyUser, *, ref: str, scope: Scope | None = None) -> dict[str, Any]:
    """The user's grant on the pupil whose id is the field ``ref``, as annotations of another
    object's query (one query for both); ``access_pupil(read=(pupil, that object))`` decides
    from them, with the same rules, the same log row and the same refusal. ``scope``: the
    user's scope as a compiled statement's builder has it (``scope.rule_scope``)."""
    day = today()
    scope = scope or scope_for(user, day)
    if scope.person_id is None:
        return {}
    return {GRANT_PREFIX + k: v for k, v in _grant_annotations(scope, day, ref).items()}


def _grant_from(scope: Scope, pupil: Person, row: dict[str, Any]) -> Grant:
    support_module = bool(row.pop("support_module", False))
    reasons = {key[2:] for key, value in row.items() if value}
    if scope.person_id == pupil.pk and pupil.placements.exists():
        reasons.add(Reason.SELF)
    if pupil.has_protected_identity:
        reasons &= PROTECTED_IDENTITY_REASONS
    return Grant(pupil, frozenset(reasons), support_module)


def _cached_grants(user: AnyUser, day: dt.date) -> dict[int, Grant]:
    """The user's grants in this request, by pupil (a throwaway dictionary outside one)."""
    cache = request_cache("organisation_grants")
    if cache is None:
        return {}
    return cache.setdefault((getattr(user, "pk", None), day), {})  # type: ignore[no-any-return]


def pupil_grant(user: AnyUser, pupil: Person, *, day: dt.date | None = None) -> Grant:
    """The reasons ``user`` has to see ``pupil`` (empty when none). One query, once per
    pupil and request."""
    day = day or today()
    grants = _cached_grants(user, day)
    if pupil.pk in grants:
        return replace(grants[pupil.pk], pupil=pupil)
    scope = scope_for(user, day)
    if scope.person_id is None:
        return Grant(pupil, frozenset())
    grants[pupil.pk] = grant = _grant_from(scope, pupil, _pupil_and_rules(scope, day, pupil.pk)[1])
    return grant


def _pupil_with_grant(
    user: AnyUser, pk: int, read: tuple[Person, Any] | None = None
) -> tuple[Person | None, Grant | None]:
    """The pupil ``pk`` and the user's grant on them, read together (one query), or taken
    from ``read``: the pupil and the object read with ``grant_annotations`` (no query)."""
    day = today()
    scope = scope_for(user, day)
    if read is not None:
        person, holder = read
        assert person.pk == pk
        names = [name for name in vars(holder) if name.startswith(GRANT_PREFIX)]
        row = {name[len(GRANT_PREFIX) :]: vars(holder).pop(name) for name in names}
        grant = _grant_from(scope, person, row) if scope.person_id else Grant(person, frozenset())
        _cached_grants(user, day)[pk] = grant
        return person, grant
    if scope.person_id is None:
        pupil = Person.objects.filter(pk=pk).first()
        return pupil, Grant(pupil, frozenset()) if pupil is not None else None
    pupil, row = _pupil_and_rules(scope, day, pk)
    if pupil is None:
        return None, None
    grant = _cached_grants(user, day)[pk] = _grant_from(scope, pupil, row)
    return pupil, grant


def _pupil_and_rules(scope: Scope, day: dt.date, pk: int) -> tuple[Person | None, dict[str, Any]]:
    """The pupil ``pk`` and the scope's ``_grant_annotations`` on them, in one query compiled
    once per day and shape of the scope (``core.compiled``, ``scope.rule_values``)."""
    fields = [f.attname for f in Person._meta.concrete_fields]

    def build(*, pupil: int, **values: Any) -> QuerySet[Any]:
        rules = _grant_annotations(rule_scope(values), day)
        found = Person.objects.filter(pk=pupil)
        return found.annotate(**rules).values(*fields, *rules)  # type: ignore[no-any-return]

    rows = compiled_rows(("pupil grant", day), build, pupil=pk, **rule_values(scope))
    if not rows:
        return None, {}
    return Person.from_db("default", fields, [rows[0].pop(f) for f in fields]), rows[0]


def grant_read_with(user: AnyUser, pupil: Person, holder: Any) -> Grant:
    """The user's grant on ``pupil`` from ``holder``, an object read with ``grant_annotations``
    (no query; later ``pupil_grant`` calls in the request reuse it). Logs nothing."""
    grant = _pupil_with_grant(user, pupil.pk, (pupil, holder))[1]
    assert grant is not None
    return grant


def access_pupil(
    *,
    actor: AnyUser,
    pk: int,
    purpose: str,
    right: str = Right.VIEW_PUPIL,
    path: str = "",
    read: tuple[Person, Any] | None = None,
) -> Grant:
    """The only way for a view to get one pupil. Logs the read, or the refusal, and raises
    ``AccessDenied`` when the actor lacks ``right``: the same answer whether the pupil exists.
    ``read``: the pupil and an object read with ``grant_annotations`` (e.g. a programme)."""
    pupil, grant = _pupil_with_grant(actor, pk, read)
    allowed = grant is not None and grant.has(right)
    access_log_record(
        actor=actor,
        pupil_id=pupil.pk if pupil is not None else None,
        purpose=purpose,
        reasons=grant.reasons if grant is not None else (),
        granted=allowed,
        path=path,
    )
    if not allowed or grant is None:
        raise AccessDenied()
    return grant


def pupils_with_support_access(user: AnyUser, *, day: dt.date | None = None) -> QuerySet[Person]:
    """Pupils whose support the user may see: staff reasons only (not administrators), and
    only pupils placed at a unit with the support module."""
    day = day or today()
    scope = scope_for(user, day)
    if scope.person_id is None:
        return Person.objects.none()
    module_units = Placement.objects.filter(active_on(day), unit__support_module_enabled=True)
    return Person.objects.filter(
        _visibility_filter(scope, day, STAFF_REASONS),
        pk__in=module_units.values("pupil_id"),
    )
