"""The unit's special-support page: its open referrals, investigations in progress,
programmes to decide and running, and for its principal the running programmes of pupils who
left, as far as the actor may see them by the rules of ``support.access``. Every pupil shown is
logged.

Two queries, whatever the unit's size: the unit's rows of the four lists with the actor's
grants on their pupils (one ``UNION ALL``, ``values`` only; ``pupil_columns``: the grants the
single reads ask), and the access log's rows, written in one insert."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet

from elevstod.audit.services import access_log_record_each
from elevstod.core.actors import AnyUser
from elevstod.core.compiled import compiled_with
from elevstod.core.paging import id_url
from elevstod.core.timeutil import today
from elevstod.core.unions import COLUMNS, Branches, Rows, rows_by_kind, union_queryset
from elevstod.organisation.access import Grant, Reason, Right, scope_for
from elevstod.organisation.access_lists import pupil_column_fields, pupil_columns, row_grants
from elevstod.organisation.models import Placement, SchoolUnit

from .. import workflow as wf
from ..access import (
    departed_programme_seen,
    leads,
    naming,
    unit_investigation_seen,
    unit_referral_seen,
)
from ..labels import label
from ..models import ActionProgramme, Investigation, Referral

Row = dict[str, Any]
TO_DECIDE = frozenset({wf.ProgrammeState.DRAFT, wf.ProgrammeState.SUBMITTED})


@dataclass
class UnitSpecialSupport:
    open_referrals: list[Row]
    investigations: list[Row]
    to_decide: list[Row]
    running: list[Row]
    to_close: list[Row]


def unit_special_support(*, actor: AnyUser, unit: SchoolUnit, path: str = "") -> UnitSpecialSupport:
    """The unit's special support as far as the actor may see it (each list asks the rule of
    ``support.access`` that the single reads ask), each row with what the page shows of it."""
    rows = _unit_rows(actor, unit)
    grants = row_grants(actor, [row for kind in rows.values() for row in kind], ref="ref")
    seen = _Seen(actor, unit, grants)
    programmes = rows["programme"]
    data = UnitSpecialSupport(
        open_referrals=seen.rows(rows["referral"], seen.referral, "referral_detail"),
        investigations=seen.rows(rows["investigation"], seen.investigation, "investigation_detail"),
        to_decide=seen.rows(programmes, seen.to_decide, "programme_detail"),
        running=seen.rows(programmes, seen.running, "programme_detail"),
        to_close=seen.rows(programmes, seen.to_close, "programme_detail"),
    )
    _present(data)
    _sort(data)
    _log_unit_page(actor, data, grants, path)
    return data


def _unit_rows(actor: AnyUser, unit: SchoolUnit) -> Rows:
    """The rows of ``_branches`` in one ``UNION ALL``, compiled once per process for the
    actor's scope and the day (``core.compiled``: the unit's id its one value)."""
    day = today()
    pupil = pupil_columns(actor)
    columns = {**COLUMNS, **pupil_column_fields(pupil)}

    def union(*, unit: int) -> tuple[QuerySet[Any], tuple[str, ...]]:
        branches = _branches(actor, unit, pupil, day)
        return union_queryset(branches, columns), tuple(branches)

    key = ("unit special support", scope_for(actor, day), day)
    rows, kinds = compiled_with(key, union, unit=unit.pk)
    return rows_by_kind(rows, kinds)


def _branches(actor: AnyUser, unit: int, pupil: dict[str, Any], day: dt.date) -> Branches:
    """The unit's rows that the lists choose from (the choice is the grants', read with each
    row: ``pupil``, the ``pupil_columns``): open referrals with their reporter, investigations
    in progress (naming the actor?), programmes not closed (their pupil placed at the unit
    today?)."""
    named = naming(actor).filter(pk=OuterRef("pk"))
    placed = Placement.objects.active(day).filter(unit=unit, pupil_id=OuterRef("pupil_id"))
    programme_states = [*TO_DECIDE, *wf.IN_FORCE]
    common = {"id": F("pk"), "ref": F("pupil_id"), "at": F("created_at"), **pupil}
    return {
        "referral": (
            Referral.objects.filter(unit=unit, state=wf.ReferralState.OPEN),
            {**common, "ref2": F("reported_by_id")}
            | {"text1": F("reporter__given_name"), "text2": F("reporter__family_name")},
        ),
        "investigation": (
            Investigation.objects.filter(unit=unit, state=wf.InvestigationState.IN_PROGRESS),
            {**common, "date1": F("planned_decision_date"), "flag1": Exists(named)},
        ),
        "programme": (
            ActionProgramme.objects.filter(unit=unit, state__in=programme_states),
            {**common, "text1": F("state"), "date1": F("evaluation_date")}
            | {"flag1": Exists(placed)},
        ),
    }


class _Seen:
    """Which of the unit's rows the actor sees, asked of their grant on each row's pupil."""

    def __init__(self, actor: AnyUser, unit: SchoolUnit, grants: dict[int, Grant]) -> None:
        self.actor, self.unit, self.grants = actor, unit, grants

    def rows(self, rows: list[Row], seen: Callable[[Row, Grant], bool], view: str) -> list[Row]:
        url = id_url(f"support:{view}")
        chosen = [row for row in rows if seen(row, self.grants[row["ref"]])]
        for row in chosen:
            pupil = self.grants[row["ref"]].pupil
            row.update(pk=row["id"], url=url(row["id"]), pupil_id=row["ref"], pupil=pupil)
        return chosen

    def referral(self, row: Row, grant: Grant) -> bool:
        return unit_referral_seen(self.actor, grant, row["ref2"])

    def investigation(self, row: Row, grant: Grant) -> bool:
        return unit_investigation_seen(grant, bool(row["flag1"]))

    def to_decide(self, row: Row, grant: Grant) -> bool:
        return row["text1"] in TO_DECIDE and grant.has(Right.VIEW_SUPPORT)

    def running(self, row: Row, grant: Grant) -> bool:
        return row["text1"] in wf.IN_FORCE and grant.has(Right.VIEW_SUPPORT)

    def to_close(self, row: Row, grant: Grant) -> bool:
        return departed_programme_seen(self.actor, self.unit, row["text1"], bool(row["flag1"]))


def _present(data: UnitSpecialSupport) -> None:
    """What the page shows of each row besides its pupil: labels and dates as text."""
    day = today()
    for row in data.open_referrals:
        row["waiting_days"] = (day - row["at"].date()).days
        row["reporter_name"] = f"{row['text1']} {row['text2']}"
    for row in data.investigations:
        row["planned_decision_date"] = row["date1"]
    for row in [*data.to_decide, *data.running, *data.to_close]:
        row["state_label"] = label("programme", row["text1"])
        row["evaluation"] = row["date1"].isoformat() if row["date1"] else "–"


def _sort(data: UnitSpecialSupport) -> None:
    """Each list in the order the page has always shown it (a tie by id); a missing date
    where the database puts it (last on PostgreSQL, first on SQLite)."""
    data.open_referrals.sort(key=lambda row: (row["at"], row["id"]))
    data.investigations.sort(key=lambda row: (*_date_key(row["date1"]), row["id"]))
    data.to_decide.sort(key=lambda row: (row["at"], row["id"]), reverse=True)
    data.running.sort(key=lambda row: (*_date_key(row["date1"]), row["id"]))
    data.to_close.sort(key=lambda row: (row["at"], row["id"]), reverse=True)


def _date_key(day: dt.date | None) -> tuple[bool, dt.date]:
    missing = day is None
    first = missing if connection.features.nulls_order_largest else not missing
    return first, day or dt.date.min


def _log_unit_page(
    actor: AnyUser, data: UnitSpecialSupport, grants: dict[int, Grant], path: str
) -> None:
    """One access log row per pupil shown, with the basis of what is shown of them: the
    heads' reasons for the pupils the actor leads, else the reporter's, the investigator's,
    the mentor's or teacher's, and the departed pupil's principal's; in one insert."""
    shown: dict[int, set[str]] = {}
    for objects, basis in (
        (data.open_referrals, Reason.REPORTER),
        (data.investigations, Reason.INVESTIGATOR),
        (data.to_close, Reason.PRINCIPAL_OF_PROGRAMME_UNIT),
    ):
        for row in objects:
            shown.setdefault(row["ref"], set()).add(basis)
    for row in [*data.to_decide, *data.running]:
        mentor = Reason.MENTOR in grants[row["ref"]].reasons
        shown.setdefault(row["ref"], set()).add(Reason.MENTOR if mentor else Reason.TEACHER)
    scope = scope_for(actor)
    heads = {Reason.PRINCIPAL} if scope.principal_units else set()
    heads |= {Reason.PUPIL_HEALTH} if scope.health_units else set()
    by_reasons: dict[frozenset[str], list[int]] = {}
    for pupil_id, reasons in shown.items():
        key = frozenset(heads if leads(grants[pupil_id]) else reasons)
        by_reasons.setdefault(key, []).append(pupil_id)
    reads = [(pk, key) for key, pupil_ids in by_reasons.items() for pk in sorted(pupil_ids)]
    access_log_record_each(
        actor=actor,
        reads=reads,
        purpose="support.unit_special_support.page",
        granted=True,
        path=path,
    )
