"""Benchmark of the organiser's statistics page at two sizes (issue "overviews"): its p95 at
``BENCH_BIG`` pupils must stay within twice its p95 at ``BENCH_SMALL`` pupils and under 500 ms,
with the same number of SQL queries, and the principal's to-do list at most 10 queries.

Run with `make bench` (SQLite in a temporary file) or `DATABASE_URL=postgres://… make bench`.
The records are written in bulk (50 units, pupils spread over them with extra adaptations,
referrals, investigations, action programmes and decisions in fixed shares): the page reads
what the services write, and at 100,000 pupils the services would take hours to load. The
figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import ROOT, _measure, _pg_drop, _setup, _step_up

SMALL = int(os.environ.get("BENCH_SMALL", "10000"))
BIG = int(os.environ.get("BENCH_BIG", "100000"))
UNITS = 50
BATCH = 2000


def _load(organiser, units, principals, user, start: int, count: int) -> None:  # type: ignore[no-untyped-def]
    from elevstod.core.timeutil import today
    from elevstod.organisation.models import Person, Placement
    from elevstod.support import workflow as wf
    from elevstod.support.models import (
        ActionProgramme,
        Decision,
        ExtraAdaptation,
        Investigation,
        Measure,
        Referral,
    )

    day = today()
    pupils = Person.objects.bulk_create(
        [Person(given_name=f"Elev{i}", family_name="Bench") for i in range(start, start + count)],
        batch_size=BATCH,
    )
    unit_of = {p.pk: units[i % UNITS] for i, p in enumerate(pupils)}
    Placement.objects.bulk_create(
        [
            Placement(
                pupil=p, unit=unit_of[p.pk], school_year=i % 10, start_date=dt.date(2020, 8, 1)
            )
            for i, p in enumerate(pupils)
        ],
        batch_size=BATCH,
    )
    ExtraAdaptation.objects.bulk_create(
        [
            ExtraAdaptation(
                pupil=p,
                unit=unit_of[p.pk],
                title="Förlängd skrivtid",
                need="Behov",
                start_date=day - dt.timedelta(days=i % 200),
                responsible=principals[unit_of[p.pk].pk],
                next_follow_up=day + dt.timedelta(days=i % 30 - 10),
                created_by=user,
            )
            for i, p in enumerate(pupils)
            if i % 3 == 0
        ],
        batch_size=BATCH,
    )
    some = [p for i, p in enumerate(pupils) if i % 20 == 0]
    Referral.objects.bulk_create(
        [
            Referral(
                pupil=p,
                unit=unit_of[p.pk],
                reported_by=user,
                reporter=principals[unit_of[p.pk].pk],
                tried="Anpassningar",
                why="Räcker inte",
                state=wf.ReferralState.OPEN if i % 2 else wf.ReferralState.HANDLED,
            )
            for i, p in enumerate(some)
        ],
        batch_size=BATCH,
    )
    invs = Investigation.objects.bulk_create(
        [
            Investigation(
                pupil=p,
                unit=unit_of[p.pk],
                state=wf.InvestigationState.PROGRAMME_TO_BE_DRAWN_UP,
                started_by=user,
                concluded_on=day,
            )
            for p in some
        ],
        batch_size=BATCH,
    )
    programmes = ActionProgramme.objects.bulk_create(
        [
            ActionProgramme(
                pupil=inv.pupil,
                unit=inv.unit,
                investigation=inv,
                state=wf.ProgrammeState.DECIDED,
                evaluation_date=day + dt.timedelta(days=i % 60 - 20),
            )
            for i, inv in enumerate(invs)
        ],
        batch_size=BATCH,
    )
    Measure.objects.bulk_create(
        [Measure(programme=p, what="Stöd", responsible=principals[p.unit_id]) for p in programmes],
        batch_size=BATCH,
    )
    Decision.objects.bulk_create(
        [
            Decision(
                kind=wf.DecisionKind.PROGRAMME,
                pupil=p.pupil,
                unit=p.unit,
                programme=p,
                decided_on=day,
                decided_by=principals[p.unit_id],
                decided_by_user=user,
                reasons="Behov",
                appealable=True,
                law="3 kap. 9 § skollagen",
                appeal_instructions="Överklaga till ÖKN.",
            )
            for p in programmes
        ],
        batch_size=BATCH,
    )


def _analyze() -> None:
    """Fresh planner statistics after the bulk load, as autovacuum would give a real database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _people():  # type: ignore[no-untyped-def]
    from elevstod.accounts.models import User
    from elevstod.organisation.models import Duty, Organiser, Person, SchoolUnit

    organiser = Organiser.objects.create(name="Benchby kommun", kind="MUNICIPALITY")
    units = SchoolUnit.objects.bulk_create(
        [
            SchoolUnit(
                organiser=organiser,
                name=f"Skola {i:02d}",
                school_unit_code=f"9{i:07d}",
                support_module_enabled=True,
            )
            for i in range(UNITS)
        ]
    )
    principals = {}
    for unit in units:
        person = Person.objects.create(given_name="Rektor", family_name=unit.name)
        Duty.objects.create(
            person=person,
            organiser=organiser,
            unit=unit,
            role=Duty.Role.PRINCIPAL,
            start_date=dt.date(2020, 1, 1),
        )
        principals[unit.pk] = person
    analyst = Person.objects.create(given_name="Ana", family_name="Lytiker")
    Duty.objects.create(
        person=analyst,
        organiser=organiser,
        role=Duty.Role.ORGANISER_ANALYST,
        start_date=dt.date(2020, 1, 1),
    )
    analyst_user = User.objects.create(username="bench-analyst", person=analyst)
    principal_user = User.objects.create(username="bench-rektor", person=principals[units[0].pk])
    return organiser, units, principals, analyst_user, principal_user


def main() -> None:
    url = _setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    organiser, units, principals, analyst, principal = _people()
    page = f"/huvudman/{organiser.pk}/statistik/"
    todo = "/"
    results: dict[str, dict[str, float]] = {}
    loaded = 0
    seconds: dict[int, float] = {}
    for size in (SMALL, BIG):
        start = time.perf_counter()
        _load(organiser, units, principals, principal, loaded, size - loaded)
        seconds[size] = time.perf_counter() - start
        _analyze()
        loaded = size
        client = Client()
        client.force_login(analyst)
        _step_up(client, analyst)
        results[f"organiser statistics, {size:,} pupils"] = _measure(client, page)
        rektor = Client()
        rektor.force_login(principal)
        _step_up(rektor, principal)
        results[f"start page with the to-do list (principal), {size:,} pupils"] = _measure(
            rektor, todo
        )
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    _write_report(vendor, seconds, results)
    if url.startswith("postgres"):
        _pg_drop(url)


def _write_report(
    vendor: str, seconds: dict[int, float], results: dict[str, dict[str, float]]
) -> None:
    small = results[f"organiser statistics, {SMALL:,} pupils"]
    big = results[f"organiser statistics, {BIG:,} pupils"]
    ratio = big["p95"] / small["p95"] if small["p95"] else float("inf")
    loads = ", ".join(f"{size:,} pupils in {s:.0f} s" for size, s in seconds.items())
    lines = [
        f"### Overviews, {vendor}",
        "",
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {UNITS} school units, bulk-loaded records ({loads}), "
        f"requests through Django's test client.",
        "",
        "| page | median ms | p95 ms | SQL queries | peak Python memory KiB |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']:.0f} "
            f"| {r['peak_kib']:.0f} |"
        )
    verdict = (
        "met"
        if ratio <= 2 and big["p95"] <= 500 and big["queries"] == small["queries"]
        else "NOT met"
    )
    lines += [
        "",
        f"The organiser page's p95 at {BIG:,} pupils is {ratio:.2f}× its p95 at {SMALL:,} "
        f"(target ≤ 2×, ≤ 500 ms; queries equal): {verdict}.",
    ]
    section = "\n".join(lines) + "\n"
    report = ROOT / "docs" / "benchmarks.md"
    text = report.read_text(encoding="utf-8")
    marker = f"### Overviews, {vendor}"
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
