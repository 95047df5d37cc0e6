"""The principal's to-do list (issue "overviews"): what waits for the principal at each of their
units, counted, each kind linking to its list. The states come from ``support.workflow``: a kind
is "the objects from which the principal's next step starts", never restated here.

One query whatever the size of the school: a grouped count per kind, over all the principal's
units at once, each from the queryset that defines its kind, put together with ``UNION ALL``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Count, DateTimeField, Exists, F, Min, OuterRef, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from elevstod.core.actors import AnyUser
from elevstod.core.compiled import compiled_rows
from elevstod.core.timeutil import now, today
from elevstod.organisation.access import scope_for
from elevstod.organisation.models import Placement, SchoolUnit
from elevstod.organisation.standing import staff_units_among
from elevstod.support import workflow as wf
from elevstod.support.access import guardian_parties
from elevstod.support.labels import label
from elevstod.support.models import (
    ActionProgramme,
    Appeal,
    Decision,
    Investigation,
    PartyNotification,
    Referral,
)

from .statistics import refuse_logged

# How far ahead an evaluation counts as due (the reminders give notice about as early).
EVALUATION_DUE_WITHIN = dt.timedelta(days=14)


def referral_wait_limit() -> int:
    """Days a referral may wait before the to-do list flags it (3 kap. 7 §: promptly)."""
    return int(getattr(settings, "ELEVSTOD_REFERRAL_WAIT_LIMIT_DAYS", 14))


class Kind(StrEnum):
    REFERRALS = "anmalningar"
    INVESTIGATIONS_LATE = "utredningar-forsenade"
    PROGRAMMES_SUBMITTED = "atgardsprogram-att-besluta"
    EVALUATIONS_DUE = "utvarderingar"
    PARTIES_NOT_NOTIFIED = "ej-underrattade"
    APPEALS = "overklaganden"
    PUPILS_LEFT = "elever-som-slutat"


LABELS = {
    Kind.REFERRALS: _("Referrals waiting for the principal"),
    Kind.INVESTIGATIONS_LATE: _("Investigations past their planned decision date"),
    Kind.PROGRAMMES_SUBMITTED: _("Action programmes submitted for decision"),
    Kind.EVALUATIONS_DUE: _("Evaluations due or overdue"),
    Kind.PARTIES_NOT_NOTIFIED: _("Decisions whose parties are not yet notified"),
    Kind.APPEALS: _("Appeals awaiting the school's handling"),
    Kind.PUPILS_LEFT: _("Pupils who left with a running action programme"),
}


def _sources(entity: wf.Entity, name: str) -> list[str]:
    """The states a transition starts from: what is waiting for that step."""
    return sorted(wf.transition(entity, name).sources)


def referrals(units: QuerySet[SchoolUnit] | list[int]) -> QuerySet[Referral]:
    return Referral.objects.filter(
        unit_id__in=units, state__in=_sources(wf.Entity.REFERRAL, "handle")
    )


def investigations_late(units: list[int], day: dt.date) -> QuerySet[Investigation]:
    return Investigation.objects.filter(
        unit_id__in=units,
        state__in=list(wf.ONGOING_INVESTIGATION),
        planned_decision_date__lt=day,
    )


def programmes_submitted(units: list[int]) -> QuerySet[ActionProgramme]:
    # Submitted by a drafter without delegation: waits for the decider (workflow "submit").
    return ActionProgramme.objects.filter(
        unit_id__in=units, state=wf.transition(wf.Entity.PROGRAMME, "submit").target
    )


def evaluations_due(
    units: list[int], day: dt.date, due_by: dt.date | None = None
) -> QuerySet[ActionProgramme]:
    """Evaluations due by ``due_by`` (``EVALUATION_DUE_WITHIN`` after ``day``)."""
    return ActionProgramme.objects.filter(
        unit_id__in=units,
        state__in=_sources(wf.Entity.PROGRAMME, "evaluate"),
        evaluation_date__lte=due_by or day + EVALUATION_DUE_WITHIN,
    )


def decisions_not_notified(units: list[int], day: dt.date | None = None) -> QuerySet[Decision]:
    """Appealable decisions with a guardian party (``support.access.guardian_parties``) not yet
    notified: the appeal period has not started for them (FL 44 §). A pupil from 16 is notified
    on the decision's page, which knows the pupil's age."""
    return _appealable(units).filter(_party_not_notified(day))


def _appealable(units: list[int]) -> QuerySet[Decision]:
    return Decision.objects.filter(unit_id__in=units, appealable=True)


def _party_not_notified(day: dt.date | None) -> Exists:
    notified = PartyNotification.objects.filter(decision_id=OuterRef(OuterRef("pk")))
    missing = (
        guardian_parties(day)
        .filter(pupil_id=OuterRef("pupil_id"))
        .exclude(guardian_id__in=notified.values("party_id"))
    )
    return Exists(missing)


def appeals_waiting(units: list[int]) -> QuerySet[Appeal]:
    return Appeal.objects.filter(
        decision__unit_id__in=units, state__in=_sources(wf.Entity.APPEAL, "forward")
    )


def pupils_left(units: list[int], day: dt.date) -> QuerySet[ActionProgramme]:
    """Programmes in force at a unit the pupil no longer attends: valid only there, to close."""
    return _in_force(units).filter(_pupil_gone(day))


def _in_force(units: list[int]) -> QuerySet[ActionProgramme]:
    return ActionProgramme.objects.filter(unit_id__in=units, state__in=list(wf.IN_FORCE))


def _pupil_gone(day: dt.date) -> Any:
    placed = Placement.objects.active(day).filter(unit_id=OuterRef("unit_id"))
    return ~Exists(placed.filter(pupil_id=OuterRef("pupil_id")))


@dataclass(frozen=True)
class Item:
    kind: Kind
    count: int
    flagged: int = 0  # referrals: how many waited longer than the limit
    oldest_days: int | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])


@dataclass(frozen=True)
class UnitTodo:
    unit: SchoolUnit
    items: list[Item]
    wait_limit: int

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def principal_units(actor: AnyUser) -> QuerySet[SchoolUnit]:
    """The units whose to-do list the actor sees: principal there, with the support module."""
    units = scope_for(actor).principal_units
    return SchoolUnit.objects.filter(pk__in=units, support_module_enabled=True).order_by("name")


def principal_todo(*, actor: AnyUser) -> list[UnitTodo]:
    """The to-do list of each unit where the actor is principal (empty for anyone else): the
    units of ``principal_units``, from the rows the request read once."""
    units = staff_units_among(actor, scope_for(actor).principal_units, support_module=True)
    if not units:
        return []
    day, limit = today(), referral_wait_limit()
    counts = _count_all([u.pk for u in units], day, limit)
    result = []
    for unit in units:
        items = [_referral_item(counts.get((Kind.REFERRALS, unit.pk), {}), day)]
        items += [Item(kind, counts.get((kind, unit.pk), {}).get("n", 0)) for kind in _COUNTED]
        result.append(UnitTodo(unit, items, limit))
    return result


_COUNTED = [kind for kind in Kind if kind != Kind.REFERRALS]


def _count_all(ids: list[int], day: dt.date, limit: int) -> dict[tuple[Kind, int], dict[str, Any]]:
    """Per kind and unit: how many; for referrals also the oldest and how many waited over
    ``limit`` days. One query: the kinds' grouped counts put together with ``UNION ALL``, its
    statement compiled once per process (``core.compiled``)."""
    over = now() - dt.timedelta(days=limit)
    due_by = day + EVALUATION_DUE_WITHIN
    rows = compiled_rows("overviews:todo", _counts, ids=ids, day=day, due_by=due_by, over=over)
    return {(Kind(row["todo_kind"]), row["todo_unit"]): row for row in rows}


def _counts(*, ids: list[int], day: dt.date, due_by: dt.date, over: dt.datetime) -> QuerySet[Any]:
    waiting = _count_query(
        Kind.REFERRALS,
        referrals(ids),
        oldest=Min("created_at"),
        flagged=Count("pk", filter=Q(created_at__lt=over)),
    )
    return waiting.union(
        _count_query(Kind.INVESTIGATIONS_LATE, investigations_late(ids, day)),
        _count_query(Kind.PROGRAMMES_SUBMITTED, programmes_submitted(ids)),
        _count_query(Kind.EVALUATIONS_DUE, evaluations_due(ids, day, due_by)),
        # These two count their condition in the aggregate's FILTER, not in WHERE: PostgreSQL
        # then checks it per row through the indexes instead of hashing every guardianship
        # and placement of the units (the same counts, a tenth of the time).
        _count_query(Kind.PARTIES_NOT_NOTIFIED, _appealable(ids), only=_party_not_notified(day)),
        _count_query(Kind.APPEALS, appeals_waiting(ids), "decision__unit_id"),
        _count_query(Kind.PUPILS_LEFT, _in_force(ids), only=_pupil_gone(day)),
        all=True,
    )


def _count_query(
    kind: Kind, qs: QuerySet[Any], unit_field: str = "unit_id", only: Any = None, **referral: Any
) -> QuerySet[Any]:
    """``qs`` (those rows of it that meet ``only``) counted per unit, as rows (unit, kind,
    count, flagged, oldest)."""
    counted: QuerySet[Any] = (
        qs.order_by()
        .values(todo_unit=F(unit_field))
        .annotate(
            todo_kind=Value(kind.value),
            n=Count("pk", distinct=True, filter=only),
            flagged=referral.get("flagged", Value(0)),
            oldest=referral.get("oldest", Value(None, output_field=DateTimeField())),
        )
    )
    return counted


def _referral_item(row: dict[str, Any], day: dt.date) -> Item:
    oldest = row.get("oldest")
    return Item(
        Kind.REFERRALS,
        row.get("n", 0),
        flagged=row.get("flagged", 0),
        oldest_days=(day - timezone.localdate(oldest)).days if oldest else None,
    )


@dataclass(frozen=True)
class Entry:
    """One line of a to-do list: whose, where it is handled, and a short note."""

    pupil_name: str
    url: str
    note: str
    flagged: bool = False


def access_todo_unit(*, actor: AnyUser, pk: int, path: str = "") -> SchoolUnit:
    """The unit whose to-do list the actor opens (its principal); a refusal is logged."""
    unit = principal_units(actor).filter(pk=pk).first()
    if unit is None:
        refuse_logged(actor=actor, purpose="overviews.todo.list", path=path)
    return unit


def todo_entries(*, unit: SchoolUnit, kind: Kind) -> list[Entry]:
    """The lines behind one count of the to-do list, for the principal of ``unit`` (checked by
    ``access_todo_unit``). One query."""
    day, ids = today(), [unit.pk]
    if kind in (Kind.PROGRAMMES_SUBMITTED, Kind.EVALUATIONS_DUE, Kind.PUPILS_LEFT):
        return _programme_entries(kind, ids, day)
    entries = {
        Kind.REFERRALS: _referral_entries,
        Kind.INVESTIGATIONS_LATE: _investigation_entries,
        Kind.PARTIES_NOT_NOTIFIED: _decision_entries,
        Kind.APPEALS: _appeal_entries,
    }[kind]
    return entries(ids, day)


def _referral_entries(ids: list[int], day: dt.date) -> list[Entry]:
    limit = referral_wait_limit()
    rows = referrals(ids).select_related("pupil").order_by("created_at")
    return [
        Entry(
            r.pupil.full_name,
            reverse("support:referral_detail", args=[r.pk]),
            _days_waited(waited := (day - timezone.localdate(r.created_at)).days),
            waited > limit,
        )
        for r in rows
    ]


def _investigation_entries(ids: list[int], day: dt.date) -> list[Entry]:
    invs = investigations_late(ids, day).select_related("pupil")
    return [
        Entry(
            i.pupil.full_name,
            reverse("support:investigation_detail", args=[i.pk]),
            _on(_("planned decision date"), i.planned_decision_date),
            True,
        )
        for i in invs.order_by("planned_decision_date")
    ]


def _decision_entries(ids: list[int], day: dt.date) -> list[Entry]:
    decisions = decisions_not_notified(ids).select_related("pupil").order_by("decided_on")
    return [
        Entry(
            d.pupil.full_name,
            reverse("support:decision_detail", args=[d.pk]),
            f"{label('decision', d.kind)}, {_on(_('date of decision'), d.decided_on)}",
        )
        for d in decisions
    ]


def _appeal_entries(ids: list[int], day: dt.date) -> list[Entry]:
    appeals = appeals_waiting(ids).select_related("decision__pupil").order_by("received_on")
    return [
        Entry(
            a.decision.pupil.full_name,
            reverse("support:appeal_detail", args=[a.pk]),
            f"{label('decision', a.decision.kind)}, {_on(_('received on'), a.received_on)}",
        )
        for a in appeals
    ]


def _programme_entries(kind: Kind, ids: list[int], day: dt.date) -> list[Entry]:
    qs = {
        Kind.PROGRAMMES_SUBMITTED: programmes_submitted(ids),
        Kind.EVALUATIONS_DUE: evaluations_due(ids, day).order_by("evaluation_date"),
        Kind.PUPILS_LEFT: pupils_left(ids, day),
    }[kind].select_related("pupil")
    return [
        Entry(
            p.pupil.full_name,
            reverse("support:programme_detail", args=[p.pk]),
            _on(_("evaluation date"), p.evaluation_date) if kind == Kind.EVALUATIONS_DUE else "",
            kind == Kind.EVALUATIONS_DUE
            and p.evaluation_date is not None
            and p.evaluation_date < day,
        )
        for p in qs
    ]


def _on(label: object, day: dt.date | None) -> str:
    return f"{label} {day.isoformat() if day else '–'}"


def _days_waited(days: int) -> str:
    return ngettext("waited %(days)d day", "waited %(days)d days", days) % {"days": days}
