"""Benchmark of the reminder scan (`manage.py send_reminders`, issue "scale"): over 1,000,000
dated items it must take at most 10 s.

The items are the dates the scan reads (``support/due_dates.py``): active extra adaptations
with a next follow-up (70 %), investigations in progress with a planned decision date (10 %),
programmes not yet decided with a planned decision date (10 %) and decided programmes with an
evaluation date (10 %), their dates spread over a year before and a year after today, at 50
units, for 50,000 pupils, with 1,000 staff (with logins and e-mail) responsible. They are
written as copies of one row per kind made by the models, with one ``INSERT … SELECT`` over
``generate_series`` each: PostgreSQL only (`DATABASE_URL=postgres://… make bench`; without it
the benchmark says so and skips).

Three runs are timed: the first (everything within the window is due: 3 days back and 5 ahead),
the same day again (nothing left to send: the scan alone), and the next day (a day's new
reminders, the daily run). ``BENCH_ITEMS`` changes the number of items. The figures go to
docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import ROOT, _pg_drop, _setup

ITEMS = int(os.environ.get("BENCH_ITEMS", "1000000"))
UNITS = 50
PUPILS = 50_000
STAFF = 1_000
SPREAD = 365  # days before and after today
SHARES = {"adaptations": 0.7, "investigations": 0.1, "undecided": 0.1, "decided": 0.1}


def _copies(model: Any, template: Any, count: int, overrides: dict[str, str]) -> None:
    """``count`` copies of ``template`` (a row the model wrote) in one statement: each column
    as the template's, but ``overrides`` (SQL over the series number ``g``)."""
    from django.db import connection

    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = [overrides.get(c, f't."{c}"') for c in columns]
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ({names}) SELECT {", ".join(values)} '
            f'FROM "{table}" t, generate_series(1, %s) g WHERE t.id = %s',
            [count, template.pk],
        )


def _pick(table: str, where: str) -> str:
    """SQL for the ``g``-th of the ids in ``table`` matching ``where``, round robin."""
    ids = f"ARRAY(SELECT id FROM {table} WHERE {where} ORDER BY id)"
    return f"({ids})[1 + mod(g, (SELECT count(*) FROM {table} WHERE {where}))]"


def _date(today: dt.date) -> str:
    """A date spread over ``SPREAD`` days either side of today, scrambled over ``g``."""
    return f"DATE '{today.isoformat()}' + (mod(g::bigint * 7919, {2 * SPREAD + 1}) - {SPREAD})::int"


def _people() -> tuple[Any, list[Any], list[Any], Any]:
    from elevstod.accounts.models import User
    from elevstod.organisation.models import Duty, Organiser, Person, SchoolUnit

    organiser = Organiser.objects.create(name="Påminnelseby kommun", kind="MUNICIPALITY")
    units = SchoolUnit.objects.bulk_create(
        SchoolUnit(
            organiser=organiser,
            name=f"Skola {i:02d}",
            school_unit_code=f"8{i:07d}",
            support_module_enabled=True,
        )
        for i in range(UNITS)
    )
    staff = Person.objects.bulk_create(
        Person(given_name=f"Lärare{i}", family_name="Personal") for i in range(STAFF)
    )
    User.objects.bulk_create(
        User(username=f"staff{i}", person=p, email=f"staff{i}@example.org")
        for i, p in enumerate(staff)
    )
    Duty.objects.bulk_create(
        Duty(
            person=staff[i],
            organiser=organiser,
            unit=unit,
            role=Duty.Role.PRINCIPAL,
            start_date=dt.date(2020, 1, 1),
        )
        for i, unit in enumerate(units)
    )
    pupil = Person.objects.create(given_name="Elev", family_name="Bench")
    _copies(Person, pupil, PUPILS - 1, {"given_name": "'Elev' || g"})
    user = User.objects.get(username="staff0")
    return units, staff, [pupil], user


def _load(today: dt.date) -> dict[str, int]:
    """The dated items, by kind."""
    from elevstod.support import workflow as wf
    from elevstod.support.models import ExtraAdaptation, Investigation

    units, staff, (pupil,), user = _people()
    counts = {kind: int(ITEMS * share) for kind, share in SHARES.items()}
    who = {
        "pupil_id": _pick("organisation_person", "family_name = 'Bench'"),
        "unit_id": _pick("organisation_schoolunit", "TRUE"),
    }
    responsible = _pick("organisation_person", "family_name = 'Personal'")
    common = {"pupil": pupil, "unit": units[0]}
    adaptation = ExtraAdaptation.objects.create(
        **common,
        title="Förlängd skrivtid",
        need="Behov",
        start_date=today - dt.timedelta(days=400),
        responsible=staff[1],
        next_follow_up=today,
        created_by=user,
    )
    follow_up = {"next_follow_up": _date(today), "responsible_id": responsible}
    _copies(ExtraAdaptation, adaptation, counts["adaptations"] - 1, {**who, **follow_up})
    investigation = Investigation.objects.create(
        **common,
        state=wf.InvestigationState.IN_PROGRESS,
        started_by=user,
        planned_decision_date=today,
    )
    planned = {"planned_decision_date": _date(today)}
    _copies(Investigation, investigation, counts["investigations"] - 1, {**who, **planned})
    _programmes(
        today, investigation, common, counts, {**who, "evaluation_responsible_id": responsible}
    )
    return counts


def _programmes(
    today: dt.date,
    investigation: Any,
    common: dict[str, Any],
    counts: dict[str, int],
    who: dict[str, str],
) -> None:
    from elevstod.support import workflow as wf
    from elevstod.support.models import ActionProgramme

    undecided = ActionProgramme.objects.create(
        **common,
        investigation=investigation,
        state=wf.ProgrammeState.DRAFT,
        planned_decision_date=today,
    )
    planned = {"planned_decision_date": _date(today)}
    _copies(ActionProgramme, undecided, counts["undecided"] - 1, {**who, **planned})
    decided = ActionProgramme.objects.create(
        **common,
        investigation=investigation,
        state=wf.ProgrammeState.DECIDED,
        evaluation_date=today,
        evaluation_responsible=investigation.started_by.person,
    )
    _copies(
        ActionProgramme, decided, counts["decided"] - 1, {**who, "evaluation_date": _date(today)}
    )


class _Counter:
    """Counts the SQL statements a run sends (an execute wrapper: nothing kept per query)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.n += 1
        return execute(sql, params, many, context)


def _run(day: dt.date) -> dict[str, float]:
    from django.db import connection

    from elevstod.notifications.reminders import send_reminders

    counter = _Counter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        sent = send_reminders(day=day)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "sent": sent, "queries": counter.n}


def main() -> None:
    url = _setup()
    if not url.startswith("postgres"):
        print("bench/reminders.py needs PostgreSQL (DATABASE_URL=postgres://…): skipped")
        return
    from django.core.management import call_command
    from django.db import connection
    from django.urls import get_resolver

    from elevstod.core.timeutil import today

    try:
        call_command("migrate", verbosity=0)
        day = today()
        start = time.perf_counter()
        counts = _load(day)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        load = time.perf_counter() - start
        # The URLconf imported once before timing, as the worker loop has it: its import
        # (about 2.5 s, most of it SAML's schemas) is the process's, not the scan's.
        assert get_resolver().reverse_dict
        runs = {
            "first run (everything in the window due)": _run(day),
            "the same day again (nothing left to send)": _run(day),
            "the next day (the daily run)": _run(day + dt.timedelta(days=1)),
        }
        _write_report(counts, load, runs)
    finally:
        _pg_drop(url)


def _write_report(counts: dict[str, int], load: float, runs: dict[str, dict[str, float]]) -> None:
    total = sum(counts.values())
    kinds = ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
    lines = [
        "### Reminder scan, PostgreSQL",
        "",
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {total:,} dated items ({kinds}; dates over a year either "
        f"side of today; loaded in {load:.0f} s), {UNITS} units, {PUPILS:,} pupils, {STAFF:,} "
        "staff with e-mail; `send_reminders` called in the benchmark's process, its URLconf "
        "imported before timing.",
        "",
        "| run | seconds | reminders sent | SQL queries |",
        "|---|---|---|---|",
    ]
    for name, r in runs.items():
        lines.append(f"| {name} | {r['seconds']:.2f} | {r['sent']:,.0f} | {r['queries']:,.0f} |")
    worst = max(r["seconds"] for r in runs.values())
    verdict = "met" if worst <= 10 else "NOT met"
    lines += ["", f"The slowest run took {worst:.1f} s (target ≤ 10 s): {verdict}."]
    section = "\n".join(lines) + "\n"
    report = ROOT / "docs" / "benchmarks.md"
    text = report.read_text(encoding="utf-8")
    marker = "### Reminder scan, PostgreSQL"
    if marker in text:
        before, _, rest = text.partition(marker)
        after = rest.split("\n### ", 1)
        text = before + section + ("\n### " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    report.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
