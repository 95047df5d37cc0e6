"""Benchmark of the PDF documents: a decided action programme with ten measures and its
decision, rendered through their views (access check, read log, queries, PDF/UA rendering).

Run with `make bench` (SQLite in a temporary file) or `DATABASE_URL=postgres://… make bench`.
Targets (issue "Documents and parties"): the programme at most 300 ms median, a decision at
most 150 ms. Reports the median, p95, SQL queries, the peak of Python memory per render
(tracemalloc) and the growth of the process's resident memory over all renders (Pango's and
HarfBuzz's memory is outside Python's). Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from typing import Any

from pages import ROOT, _pg_drop, _setup, _step_up

ROUNDS = int(os.environ.get("BENCH_DOCUMENT_ROUNDS", "30"))
MEASURES = 10
TARGETS_MS = {
    "action programme, ten measures (PDF)": 300.0,
    "decision on a special teaching group (PDF)": 150.0,
    "decision on the programme, with its ten measures (PDF)": 300.0,
}


def _person(org: Any, given: str, family: str, **kw: Any) -> Any:
    return org.person_create(actor=None, given_name=given, family_name=family, **kw)


def _decided_programme() -> Any:
    """A pupil at a unit with the module, a decided programme of ten measures, the guardian
    notified: built with the real services."""
    from elevstod.accounts.services import user_create
    from elevstod.core.timeutil import today
    from elevstod.organisation import services as org
    from elevstod.organisation.civic import luhn_digit
    from elevstod.organisation.models import Duty, Group
    from elevstod.support import workflow as wf
    from elevstod.support.models import PartyNotification
    from elevstod.support.services import investigations, programmes, support_forms
    from elevstod.support.services.decisions import decision_notify_party

    start = today() - dt.timedelta(days=100)
    organiser = org.organiser_create(actor=None, name="Bänkby kommun", kind="MUNICIPALITY")
    unit = org.unit_create(
        actor=None,
        organiser=organiser,
        name="Bänkskolan",
        school_unit_code="90000001",
        support_module_enabled=True,
    )
    pupil = _person(org, "Bea", "Bänk", civic_number=f"20150312987{luhn_digit('150312987')}")
    org.placement_start(actor=None, pupil=pupil, unit=unit, school_year=5, start_date=start)
    group = org.group_create(
        actor=None, unit=unit, name="5B", kind=Group.Kind.CLASS, start_date=start, school_year=5
    )
    org.membership_add(actor=None, group=group, pupil=pupil, start_date=start)
    boss = _person(org, "Rita", "Rektor")
    org.duty_assign(actor=None, person=boss, role=Duty.Role.PRINCIPAL, unit=unit, start_date=start)
    principal = user_create(actor=None, username="bench-rektor", person=boss, password="x" * 12)
    guardian = _person(org, "Gert", "Bänk", address="Bänkgatan 1, 123 45 Bänkby")
    org.guardianship_add(actor=None, guardian=guardian, pupil=pupil)

    inv = investigations.investigation_start(
        actor=principal, pupil=pupil, investigator_ids=[], planned_decision_date=None
    )
    inv = investigations.investigation_update(
        actor=principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        data=investigations.InvestigationInput(
            mapping_individual="Läser långsamt. " * 20,
            assessment="Behöver särskilt stöd i läsning och skrivning. " * 10,
            health_consulted=True,
        ),
    )
    programme = investigations.investigation_conclude_with_programme(
        actor=principal, investigation_id=inv.pk, expected_version=inv.version
    )
    measures = [
        programmes.MeasureInput(
            what=f"Åtgärd {i + 1}: lästräning med anpassat material och tydlig struktur",
            how="Enskilt och i liten grupp med speciallärare, med bildstöd och inläst text. " * 3,
            how_much="3 x 20 min/vecka",
            responsible_id=boss.pk,
        )
        for i in range(MEASURES)
    ]
    programme = programmes.programme_update(
        actor=principal,
        programme_id=programme.pk,
        expected_version=programme.version,
        data=programmes.ProgrammeInput(
            needs="Eleven behöver särskilt stöd i läsförståelse och skrivande. " * 8,
            follow_up_plan="Varannan vecka vid arbetslagsmötet.",
            evaluation_date=today() + dt.timedelta(days=90),
            follow_up_responsible_id=boss.pk,
            evaluation_responsible_id=boss.pk,
            pupil_participated=True,
            guardians_participated=True,
            participation_views="Eleven vill ha stöd i mindre grupp. " * 4,
            measures=measures,
        ),
    )
    programme = programmes.programme_decide(
        actor=principal,
        programme_id=programme.pk,
        expected_version=programme.version,
        reasons="Utredningen visar att eleven behöver särskilt stöd. " * 6,
        decided_on=today(),
    )
    decision = programme.decisions.get()
    decision_notify_party(
        actor=principal,
        decision=decision,
        party=guardian,
        notified_on=today(),
        method=PartyNotification.Method.LETTER,
    )
    support_forms.programme_support_form_decide(
        actor=principal,
        programme_id=programme.pk,
        kind=wf.DecisionKind.SPECIAL_GROUP,
        reasons="Eleven behöver undervisas i en mindre grupp under en period. " * 4,
        decided_on=today(),
    )
    group_decision = programme.decisions.get(kind=wf.DecisionKind.SPECIAL_GROUP)
    return principal, programme, decision, group_decision


def _measure(client: Any, path: str) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Type"] == "application/pdf", path
    queries = len(ctx.captured_queries)
    size = len(response.content)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, cpu = [], []
    for _ in range(ROUNDS):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    tracemalloc.start()
    client.get(path)
    peak = tracemalloc.get_traced_memory()[1] / 1024
    tracemalloc.stop()
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
        "cpu": statistics.median(cpu),
        "queries": queries,
        "peak_kib": peak,
        "rss_growth_kib": float(rss_growth),
        "size_kib": size / 1024,
    }


def main() -> None:
    url = _setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    principal, programme, decision, group_decision = _decided_programme()
    client = Client()
    client.force_login(principal)
    _step_up(client, principal)
    client.get(f"/beslut/{decision.pk}/pdf/")  # the first render loads Pango and the fonts
    paths = {
        "action programme, ten measures (PDF)": f"/atgardsprogram/{programme.pk}/pdf/",
        "decision on a special teaching group (PDF)": f"/beslut/{group_decision.pk}/pdf/",
        "decision on the programme, with its ten measures (PDF)": f"/beslut/{decision.pk}/pdf/",
    }
    results = {name: _measure(client, path) for name, path in paths.items()}
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    _write_report(vendor, results)
    if url.startswith("postgres"):
        _pg_drop(url)
    missed = [n for n, r in results.items() if r["median"] > TARGETS_MS[n]]
    if missed:
        print(f"over target: {', '.join(missed)}", file=sys.stderr)


def _write_report(vendor: str, results: dict[str, dict[str, float]]) -> None:
    marker = f"### PDF documents, {vendor}"
    lines = [
        marker,
        "",
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}, {ROUNDS} renders "
        "per document through its view as the principal (access check, read log, PDF/UA-1 "
        "rendering), after one warm-up render. CPU: the process's own time, which other "
        "processes on the machine do not inflate.",
        "",
        "| document | target ms | median ms | p95 ms | median CPU ms | SQL queries "
        "| peak Python memory KiB | resident memory growth KiB | size KiB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {TARGETS_MS[name]:.0f} | {r['median']:.1f} | {r['p95']:.1f} "
            f"| {r['cpu']:.1f} | {r['queries']:.0f} | {r['peak_kib']:.0f} "
            f"| {r['rss_growth_kib']:.0f} | {r['size_kib']:.0f} |"
        )
    section = "\n".join(lines) + "\n"
    report = ROOT / "docs" / "benchmarks.md"
    text = report.read_text(encoding="utf-8")
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
