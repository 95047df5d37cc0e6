"""Pages of the overviews: the lists behind the principal's to-do list, and the statistics of
a unit and of an organiser, with their exports. Opening statistics is logged like a read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from elevstod.audit.services import access_log_record
from elevstod.core.errors import AccessDenied
from elevstod.core.params import BadParameter, choice_param, date_param
from elevstod.core.timeutil import today
from elevstod.organisation.models import SchoolUnit

from . import exports, figures, statistics, todo
from .charts import bar_chart, line_chart
from .periods import Period, PeriodError, default_period, period_from, years_from

FORMATS = {"csv", "xlsx"}


@login_required
@require_GET
def todo_list(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    unit = todo.access_todo_unit(actor=request.user, pk=pk, path=request.get_full_path())
    if kind not in set(todo.Kind):
        raise AccessDenied()
    entries = todo.todo_entries(unit=unit, kind=todo.Kind(kind))
    _log(request, "overviews.todo.list", "PRINCIPAL")
    return render(
        request,
        "overviews/todo_list.html",
        {"unit": unit, "label": todo.LABELS[todo.Kind(kind)], "entries": entries},
    )


def _log(request: HttpRequest, purpose: str, reason: str) -> None:
    access_log_record(
        actor=request.user,
        pupil_id=None,
        purpose=purpose,
        reasons=(reason,),
        granted=True,
        path=request.get_full_path(),
    )


@login_required
@require_GET
def unit_statistics(request: HttpRequest, pk: int) -> HttpResponse:
    unit = statistics.access_unit_statistics(
        actor=request.user, pk=pk, path=request.get_full_path()
    )
    return _statistics(request, unit.name, [unit], protect=False, reason="UNIT_STATISTICS")


@login_required
@require_GET
def organiser_statistics(request: HttpRequest, pk: int) -> HttpResponse:
    organiser, units = statistics.access_organiser_statistics(
        actor=request.user, pk=pk, path=request.get_full_path()
    )
    return _statistics(request, organiser.name, units, protect=True, reason="ORGANISER_STATISTICS")


def _statistics(
    request: HttpRequest, name: str, units: list[SchoolUnit], *, protect: bool, reason: str
) -> HttpResponse:
    period, error = _period(request)
    keys = {"alla", *statistics.TABLE_KEYS}
    table_key = choice_param(request.GET, "tabell", keys)
    fmt = choice_param(request.GET, "format", FORMATS)
    if fmt and not table_key:
        raise BadParameter("tabell")
    if fmt and error:
        raise error  # an export of a period that cannot be read: a 400
    report = statistics.report(units=units, period=period, protect=protect)
    if fmt and table_key:
        _log(request, "overviews.statistics.export", reason)
        return _export(report, table_key, fmt, name)
    _log(
        request,
        "overviews.statistics.organiser" if protect else "overviews.statistics.unit",
        reason,
    )
    context: dict[str, Any] = {
        "name": name,
        "report": report,
        "sections": _sections(report, many_units=len(units) > 1),
        "school_years": statistics.school_years_of(units, chosen=period.years),
        "query": period.query(),
        "official_url": request.path + "officiell-statistik/",
        "period_error": error.message if error else "",
        "typed": _typed(request, period, error),
    }
    return render(request, "overviews/statistics.html", context)


def _period(request: HttpRequest) -> tuple[Period, PeriodError | None]:
    """The period asked for, or the school year so far and what was wrong with the one asked
    for (said beside the form)."""
    try:
        return period_from(request.GET, today()), None
    except PeriodError as error:
        return default_period(today(), years_from(request.GET)), error


def _typed(request: HttpRequest, period: Period, error: PeriodError | None) -> dict[str, str]:
    """The dates in the form: what was typed when it could not be used, else the period's."""
    if error:
        return {name: request.GET.get(name, "") for name in ("fran", "till")}
    return {"fran": period.start.isoformat(), "till": period.end.isoformat()}


def _sections(report: statistics.Report, *, many_units: bool) -> list[dict[str, Any]]:
    sections = []
    for table in report.tables:
        chart: Any = None
        description = _("The same figures are in the table below the chart.")
        if table.trend:
            chart = line_chart(table, description)
        elif many_units or table.key == "amnen":
            chart = bar_chart(table, description)
        sections.append({"table": table, "chart": chart})
    return sections


def _export(report: statistics.Report, key: str, fmt: str, name: str) -> HttpResponse:
    tables = report.tables if key == "alla" else [t for t in report.tables if t.key == key]
    filename = f"statistik-{key}-{report.period.start.isoformat()}-{report.period.end.isoformat()}"
    if fmt == "csv":
        if len(tables) != 1:
            raise BadParameter("format")
        return exports.csv_response(filename, exports.table_rows(tables[0]))
    sheets = [(t.sheet, t.title, exports.table_rows(t)) for t in tables]
    return exports.xlsx_response(filename, sheets)


def reference_date_default(day: dt.date) -> dt.date:
    """15 October of the current school year (the official statistics' reference date)."""
    this_autumn = dt.date(day.year, 10, 15)
    return this_autumn if day >= this_autumn else dt.date(day.year - 1, 10, 15)


@login_required
@require_GET
def unit_official(request: HttpRequest, pk: int) -> HttpResponse:
    unit = statistics.access_unit_statistics(
        actor=request.user, pk=pk, path=request.get_full_path()
    )
    return _official(request, [unit], protect=False, reason="UNIT_STATISTICS")


@login_required
@require_GET
def organiser_official(request: HttpRequest, pk: int) -> HttpResponse:
    _organiser, units = statistics.access_organiser_statistics(
        actor=request.user, pk=pk, path=request.get_full_path()
    )
    return _official(request, units, protect=True, reason="ORGANISER_STATISTICS")


def _official(
    request: HttpRequest, units: list[SchoolUnit], *, protect: bool, reason: str
) -> HttpResponse:
    day = date_param(request.GET, "datum") or reference_date_default(today())
    fmt = choice_param(request.GET, "format", FORMATS) or "csv"
    rows = figures.pupils_with_programme_on([u.pk for u in units], day, protect)
    lines = exports.official_rows(rows, day, protect)
    _log(request, "overviews.statistics.export", reason)
    filename = f"atgardsprogram-{day.isoformat()}"
    if fmt == "csv":
        return exports.csv_response(filename, lines)
    return exports.xlsx_response(filename, [(_("Action programmes"), "", lines)])
