"""Support in figures, for a unit (its principal and pupil health team) and for an organiser
(its analysts): who may see which units, and the tables of ``figures`` with the small-number
rule of ``privacy`` applied for the organiser. Counts only, never a pupil."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.db.models import Exists, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from elevstod.audit.services import access_log_record
from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied
from elevstod.organisation.access import scope_for
from elevstod.organisation.models import Organiser, Placement, SchoolUnit, school_year_label
from elevstod.organisation.standing import staff_units_among
from elevstod.support import workflow as wf
from elevstod.support.labels import label
from elevstod.support.models import Appeal

from . import figures
from .periods import COMPULSORY_SCHOOL_YEARS, PLACEMENT_YEARS, Period, period_terms
from .privacy import Cell, count_cell, figure_cell, total_cell

# --- who sees which statistics ----------------------------------------------------------------


def refuse_logged(*, actor: AnyUser, purpose: str, path: str) -> NoReturn:
    """Log a refused read of an overview (no pupil named) and refuse it: when in doubt, deny
    and log, as for a pupil's page."""
    access_log_record(
        actor=actor, pupil_id=None, purpose=purpose, reasons=(), granted=False, path=path
    )
    raise AccessDenied()


def units_with_statistics(*, actor: AnyUser) -> QuerySet[SchoolUnit]:
    """Units whose statistics the actor sees: principal or pupil health there, with the module."""
    scope = scope_for(actor)
    units = scope.principal_units | scope.health_units
    return SchoolUnit.objects.filter(pk__in=units, support_module_enabled=True).order_by("name")


def statistics_units(*, actor: AnyUser) -> list[SchoolUnit]:
    """The units of ``units_with_statistics``, from the rows the request read once."""
    scope = scope_for(actor)
    ids = scope.principal_units | scope.health_units
    return staff_units_among(actor, ids, support_module=True)


def organisers_with_statistics(*, actor: AnyUser) -> list[Organiser]:
    """Organisers whose statistics the actor sees: the organiser's analysts (counts only)."""
    ids = scope_for(actor).analyst_organisers
    return list(Organiser.objects.filter(pk__in=ids).order_by("name")) if ids else []


def access_unit_statistics(*, actor: AnyUser, pk: int, path: str = "") -> SchoolUnit:
    """The unit whose statistics the actor opens; a refusal is logged and raises AccessDenied."""
    unit = units_with_statistics(actor=actor).filter(pk=pk).select_related("organiser").first()
    if unit is None:
        refuse_logged(actor=actor, purpose="overviews.statistics.unit", path=path)
    return unit


def access_organiser_statistics(
    *, actor: AnyUser, pk: int, path: str = ""
) -> tuple[Organiser, list[SchoolUnit]]:
    """The organiser whose statistics the actor opens, with its units that have the module; a
    refusal is logged and raises AccessDenied."""
    organiser = next((o for o in organisers_with_statistics(actor=actor) if o.pk == pk), None)
    if organiser is None:
        refuse_logged(actor=actor, purpose="overviews.statistics.organiser", path=path)
    units = list(
        SchoolUnit.objects.filter(organiser=organiser, support_module_enabled=True).order_by("name")
    )
    return organiser, units


def school_years_of(units: Sequence[SchoolUnit], *, chosen: Sequence[int] = ()) -> list[Any]:
    """The school years the filter offers, as (year, label): those of the units' placements,
    F–9 while there are none, and any chosen. One query, whether each possible year has a
    placement at the units (a probe of an index per year, not a scan of every placement)."""
    years: set[int] = set()
    if units:
        placed = Placement.objects.filter(unit__in=[u.pk for u in units])
        has = {f"y{y}": Exists(placed.filter(school_year=y)) for y in PLACEMENT_YEARS}
        row = SchoolUnit.objects.filter(pk=units[0].pk).annotate(**has).values_list(*has).get()
        years = {y for y, found in zip(PLACEMENT_YEARS, row, strict=True) if found}
    offered = (years or set(COMPULSORY_SCHOOL_YEARS)) | set(chosen)
    return [(y, school_year_label(y)) for y in sorted(offered)]


# --- the tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    cases: str = ""  # a median or maximum: the count column it is taken over
    days: bool = False  # a duration, shown in days


@dataclass
class Row:
    label: str
    cells: list[Cell]
    code: str = ""  # the school unit code, in exports


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    chart: int | None = 0  # the column charted per row; None: no chart
    row_header: str = ""
    note: str = ""
    trend: bool = False
    sheet: str = ""  # its short name, a spreadsheet's sheet (at most 31 characters)

    @property
    def lines(self) -> list[tuple[Row, list[tuple[str, Cell]]]]:
        """Each row (the total last) with its cells, each beside its column's header."""
        rows = [*self.rows, *([self.total] if self.total else [])]
        headers = [c.header for c in self.columns]
        return [(row, list(zip(headers, row.cells, strict=True))) for row in rows]

    @property
    def chart_points(self) -> list[tuple[str, Cell]]:
        if self.chart is None:
            return []
        return [(row.label, row.cells[self.chart]) for row in self.rows]


@dataclass
class Report:
    period: Period
    units: list[SchoolUnit]
    protect: bool
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def _days(value: Any) -> float | None:
    if value is None:
        return None
    return float(round(value.total_seconds() / 86400, 1))


def _unit_table(
    key: str,
    title: str,
    columns: list[Column],
    units: Sequence[SchoolUnit],
    rows: figures.Rows,
    protect: bool,
    chart: int | None = 0,
) -> Table:
    def cells(data: dict[str, Any]) -> list[Cell]:
        out = []
        for c in columns:
            value = data.get(c.key)
            if c.cases:
                figure = _days(value) if c.days else value
                out.append(figure_cell(figure, data.get(c.cases, 0), protect=protect))
            else:
                out.append(count_cell(int(value or 0), protect=protect))
        return out

    body = [Row(u.name, cells(rows.get(u.pk, {})), u.school_unit_code) for u in units]
    total = None
    if len(units) > 1:
        total = Row(_("Total"), [_total(c, columns, units, rows, protect) for c in columns])
    return Table(key, title, columns, body, total, chart, _("School unit"))


def _total(
    column: Column,
    columns: list[Column],
    units: Sequence[SchoolUnit],
    rows: figures.Rows,
    protect: bool,
) -> Cell:
    if column.cases:
        # A median does not add up over units; a maximum does, when no unit's is hidden.
        if column.key.startswith("max_"):
            values = [rows.get(u.pk, {}).get(column.key) for u in units]
            cases = [rows.get(u.pk, {}).get(column.cases, 0) for u in units]
            if protect and any(0 < n < 5 for n in cases):
                return Cell(None, "–")
            known = [f for v in values if (f := _days(v) if column.days else v) is not None]
            return figure_cell(max(known) if known else None, sum(cases), protect=protect)
        return Cell(None, "–")
    return total_cell(
        [int(rows.get(u.pk, {}).get(column.key) or 0) for u in units], protect=protect
    )


def _col(key: str, header: str, **kw: Any) -> Column:
    """A column, its header capitalised like the others (shared labels are lower case)."""
    return Column(key, capfirst(header), **kw)


TABLE_KEYS = (
    "anpassningar",
    "anmalningar",
    "utredningar",
    "beslut",
    "atgardsprogram",
    "utvarderingar",
    "overklaganden",
    "amnen",
    "trender",
)

TableBuilder = Callable[[Sequence[int], Period, bool], figures.Rows]


def report(*, units: list[SchoolUnit], period: Period, protect: bool) -> Report:
    """Every table for ``units`` over ``period`` (a fixed number of queries)."""
    ids = [u.pk for u in units]
    result = Report(period, units, protect)
    for key, title, build, columns in _unit_tables():
        result.tables.append(
            _unit_table(key, title, columns, units, build(ids, period, protect), protect)
        )
    result.tables.append(_subject_table(ids, period, protect))
    result.tables.append(_trend_table(ids, period, protect))
    names = sheet_names()
    for table in result.tables:
        table.sheet = names[table.key]
    return result


def sheet_names() -> dict[str, str]:
    """Each table's short name, for a sheet in a workbook (Excel allows 31 characters)."""
    return {
        "anpassningar": _("Extra adaptations"),
        "anmalningar": _("Referrals"),
        "utredningar": _("Investigations"),
        "beslut": _("Decisions"),
        "atgardsprogram": _("Action programmes"),
        "utvarderingar": _("Evaluations"),
        "overklaganden": _("Appeals"),
        "amnen": _("Subjects"),
        "trender": _("Trends"),
    }


def _unit_tables() -> list[tuple[str, str, TableBuilder, list[Column]]]:
    """The tables with one row per unit: key, title, the figures and their columns."""
    return _chain_tables() + _programme_tables()


def _chain_tables() -> list[tuple[str, str, TableBuilder, list[Column]]]:
    return [
        (
            "anpassningar",
            _("Extra adaptations"),
            figures.adaptations,
            [
                _col("pupils", _("Pupils with extra adaptations")),
                _col("follow_up_on_time", _("Active adaptations, follow-up on schedule")),
                _col("follow_up_overdue", _("Active adaptations, follow-up overdue")),
            ],
        ),
        (
            "anmalningar",
            _("Referrals to the principal"),
            figures.referrals,
            [
                _col("referrals", _("Referrals")),
                _col("open", _("Still waiting")),
                _col("median_wait", _("Median days waited"), cases="referrals", days=True),
                _col("max_wait", _("Longest wait, days"), cases="referrals", days=True),
            ],
        ),
        (
            "utredningar",
            _("Investigations"),
            figures.investigations,
            [
                _col("started", _("Started")),
                _col("concluded", _("Concluded")),
                _col("median_duration", _("Median duration, days"), cases="concluded", days=True),
            ],
        ),
        (
            "beslut",
            _("Decisions after an investigation"),
            figures.decisions,
            [_col(str(k), label("decision", k)) for k in figures.DECISION_KINDS],
        ),
    ]


def _programme_tables() -> list[tuple[str, str, TableBuilder, list[Column]]]:
    return [
        (
            "atgardsprogram",
            _("Action programmes in force, by form of support"),
            figures.programmes_by_form,
            [
                _col("in_force", _("In force")),
                *(_col(str(f), label("support_form", f)) for f in wf.SupportForm),
            ],
        ),
        (
            "utvarderingar",
            _("Evaluations of action programmes due in the period"),
            figures.evaluations,
            [
                _col("on_time", _("On time")),
                _col("late", _("Late")),
                _col("missing", _("Not evaluated, date passed")),
            ],
        ),
        ("overklaganden", _("Appeals"), figures.appeals, _appeal_columns()),
    ]


def _appeal_columns() -> list[Column]:
    return [
        _col("appeals", _("Received")),
        _col(f"state_{wf.AppealState.RECEIVED}", _("Waiting for the school's handling")),
        *(
            _col(f"state_{s}", label("appeal", s))
            for s in wf.AppealState
            if s != wf.AppealState.RECEIVED
        ),
        *(_col(f"ruling_{value}", str(text)) for value, text in Appeal.Ruling.choices),
    ]


def _subject_table(ids: list[int], period: Period, protect: bool) -> Table:
    rows = [
        Row(r["subject"] or _("Across all subjects"), [count_cell(r["pupils"], protect=protect)])
        for r in figures.adaptation_subjects(ids, period, protect)
    ]
    # No total: a pupil has adaptations in several subjects.
    return Table(
        "amnen",
        _("Pupils with extra adaptations, per subject"),
        [_col("pupils", _("Pupils"))],
        rows,
        row_header=_("Subject"),
    )


def _trend_table(ids: list[int], period: Period, protect: bool) -> Table:
    """Per term, over all units: each term's figure is a total over units, under the same
    rule as every total (exact only when no unit's cell in it is hidden)."""
    terms = period_terms(period.start, period.end)
    data = figures.trends(ids, terms, protect)
    titles = {
        "adaptations": _("Extra adaptations started"),
        "referrals": _("Referrals"),
        "programmes": _("Decisions on action programmes"),
    }
    rows = []
    for key, per_unit in data.items():
        cells = [
            total_cell(
                [per_unit.get(u, {}).get(figures.term_key(t), 0) for u in ids], protect=protect
            )
            for t in terms
        ]
        rows.append(Row(titles[key], cells))
    columns = [_col(figures.term_key(t), t.label) for t in terms]
    return Table(
        "trender",
        _("Trends per term, %(first)s–%(last)s")
        % {"first": terms[0].label, "last": terms[-1].label},
        columns,
        rows,
        chart=None,
        row_header=_("Figure"),
        trend=True,
    )
