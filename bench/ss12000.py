"""Benchmark of the SS 12000 sync: a full run and an incremental run with 1 % changed persons,
end to end (the HTTP client against a real server in the process, the mapping, the database),
in persons per second and peak memory (resident, or Python's with ``--trace-memory``).

Run with `make bench` (SQLite) or `DATABASE_URL=postgres://… make bench`; the size is
`--persons N` or BENCH_SS12000_PERSONS (persons in all: pupils, one guardian per pupil, staff).
The supplier's server runs in a process of its own (as it would on its own machine), so its
work is not counted as the import's; the client, the mapping and the database are. Figures go
to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import re
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pages import ROOT, _pg_drop, _setup

PERSONS = int(os.environ.get("BENCH_SS12000_PERSONS", "2000"))
CLASS_SIZE = 25


def export(persons: int) -> dict[str, list[dict[str, Any]]]:
    """Pupils (45 %), one guardian each (45 %), staff (10 %); classes of 25 with a teaching
    group each, one teacher per class."""
    from tests.imports import ssdata

    pupils = int(persons * 0.45)
    staff = max(persons - 2 * pupils, 1)
    units = [ssdata.unit(f"Skola {n}", f"{10000000 + n}") for n in range(max(pupils // 500, 1))]
    records: dict[str, list[dict[str, Any]]] = {k: [] for k in ssdata.KINDS}
    records["organisations"] = units

    def born(i: int, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=i // 1000)

    for i in range(pupils):
        at = units[i // 500 % len(units)]["displayName"]
        records["persons"].append(
            ssdata.person(
                f"Elev{i} Bench",
                i % 1000,
                enrolled_at=at,
                born=born(i, 2012),
                guardians=(f"Vh{i} Bench",),
            )
        )
        records["persons"].append(ssdata.person(f"Vh{i} Bench", i % 1000, born=born(i, 1980)))
    for s in range(staff):
        records["persons"].append(ssdata.person(f"Personal{s} Bench", s % 1000, born=born(s, 1970)))
        at = units[s % len(units)]["displayName"]
        records["duties"].append(ssdata.duty(f"d{s}", f"Personal{s} Bench", at, "Lärare"))
    for c in range(0, pupils, CLASS_SIZE):
        members = [f"Elev{i} Bench" for i in range(c, min(c + CLASS_SIZE, pupils))]
        at = units[c // 500 % len(units)]["displayName"]
        for kind, name in (("Klass", f"K{c}"), ("Undervisning", f"Ma{c}")):
            records["groups"].append(ssdata.group(name, at, kind, members))
        teacher = f"d{(c // CLASS_SIZE) % staff}"
        records["activities"].append(ssdata.activity(f"A{c}", at, [f"Ma{c}"], [teacher]))
    return records


LATER = "2099-01-01T00:00:00+00:00"


def _serve(persons: int, changed: bool, pipe: Any) -> None:
    """The supplier's server, in its own process: the export, with 1 % of the persons changed
    after the full run when ``changed``."""
    sys.path.insert(0, str(ROOT))
    from tests.imports.server import Server, State

    data = export(persons)
    if changed:
        for person in data["persons"][::100]:  # 1 %
            person["familyName"] = "Ändrad"
            person["meta"] = {**person["meta"], "modified": LATER}
    with Server(State(export=data)) as server:
        pipe.send((server.url, server.state.token, len(data["persons"])))
        pipe.recv()  # until told to stop


@contextmanager
def serving(persons: int, changed: bool) -> Iterator[tuple[str, str, int]]:
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("fork").Process(
        target=_serve, args=(persons, changed, theirs), daemon=True
    )
    process.start()
    try:
        yield ours.recv()
    finally:
        ours.send("stop")
        process.join(10)


class Kinds:
    """Seconds per entity kind, from the run's progress (a kind's time ends at its last batch;
    what follows the last kind, ending and the run's record, is counted as "ending")."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}
        self.rss: list[int] = []

    def __call__(self, kind: str, done: int) -> None:
        self.rss.append(_rss_kib())
        now = time.perf_counter()
        self.seconds[kind] = self.seconds.get(kind, 0.0) + now - self.last
        self.last = now

    def text(self, total: float) -> str:
        parts = {**self.seconds, "ending": total - (self.last - self.start)}
        return ", ".join(f"{kind} {s:.1f} s" for kind, s in parts.items())


def _rss_kib() -> int:
    """The process's resident memory now (Linux), 0 where it cannot be read."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def _backends_cpu() -> float:
    """CPU seconds (user and system) of the database's server processes serving the bench's
    database (PostgreSQL on this machine, read from /proc), 0 where they cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        pids = [row[0] for row in cursor.fetchall()]
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def timed_sync(
    source: Any, url: str, token: str, full: bool, trace: bool
) -> tuple[float, int, Any]:
    """One run, timed; with its peak memory: Python's (tracemalloc, which slows the run) when
    ``trace``, else the resident memory's peak above its level at the start, read per batch."""
    from elevstod.imports.client import ApiClient
    from elevstod.imports.sync import sync_execute, sync_start

    client = ApiClient(base_url=url, token=token, page_size=500)
    run = sync_start(actor=None, source=source, full=full)
    kinds = Kinds()
    base = _rss_kib()
    if trace:
        tracemalloc.start()
    start, cpu, db_cpu = time.perf_counter(), time.process_time(), _backends_cpu()
    run = sync_execute(run=run, actor=None, client=client, progress=kinds)
    seconds = time.perf_counter() - start
    cpu, db_cpu = time.process_time() - cpu, _backends_cpu() - db_cpu
    load = os.getloadavg()[0]
    print(
        f"{'full' if full else 'incremental'}: {seconds:.2f} s, process CPU {cpu:.2f} s, "
        f"database CPU {db_cpu:.2f} s, load {load:.1f}",
        file=sys.stderr,
    )
    run.kinds_text = kinds.text(seconds)
    if trace:
        peak = tracemalloc.get_traced_memory()[1] // 1024
        tracemalloc.stop()
    else:
        peak = max(kinds.rss, default=base) - base
    assert run.status == "SUCCEEDED", run.message
    return seconds, peak, run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=PERSONS, help="persons in the export")
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="peak Python memory by tracemalloc (slows the run) instead of resident memory",
    )
    args = parser.parse_args()
    size, trace = args.persons, args.trace_memory
    url = _setup()
    sys.path.insert(0, str(ROOT))
    from django.core.management import call_command

    from elevstod.imports.services import source_create
    from elevstod.organisation.services import organiser_create

    call_command("migrate", verbosity=0)
    organiser = organiser_create(actor=None, name="Benchby kommun", kind="MUNICIPALITY")
    source = source_create(actor=None, name="bench", organiser=organiser, truncation_share=1.0)
    with serving(size, changed=False) as (base, token, persons):
        full_s, full_peak, full_run = timed_sync(source, base, token, True, trace)
    source.refresh_from_db()
    with serving(size, changed=True) as (base, token, persons):
        inc_s, inc_peak, run = timed_sync(source, base, token, False, trace)
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    by_kind = f"Full run by kind: {full_run.kinds_text}. Incremental: {run.kinds_text}."
    memory = "peak Python memory KiB" if trace else "peak resident memory growth KiB"
    _report(
        vendor,
        persons,
        (full_s, full_peak, inc_s, inc_peak),
        memory,
        run.counts["persons"],
        by_kind,
    )
    if url.startswith("postgres"):
        _pg_drop(url)


def _report(
    vendor: str,
    persons: int,
    figures: tuple[float, int, float, int],
    memory: str,
    counts: dict[str, int],
    by_kind: str,
) -> None:
    full_s, full_peak, inc_s, inc_peak = figures
    marker = f"### SS 12000 sync, {vendor}"
    section = "\n".join(
        [
            marker,
            "",
            f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {persons} persons (pupils with one guardian each, "
            "staff), "
            "classes of 25 with a teaching group and a teacher, served over HTTP in pages of 500.",
            "",
            f"| run | seconds | persons per second | {memory} |",
            "|---|---|---|---|",
            f"| full | {full_s:.1f} | {persons / full_s:.0f} | {full_peak} |",
            f"| incremental, 1 % changed ({counts.get('updated', 0)} updated) | {inc_s:.2f} | "
            f"{persons / inc_s:.0f} | {inc_peak} |",
            "",
            by_kind,
            "",
        ]
    )
    report = ROOT / "docs" / "benchmarks.md"
    text = report.read_text(encoding="utf-8")
    if marker in text:
        before, _, rest = text.partition(marker)
        after = re.split(r"\n(?=#)", rest, maxsplit=1)  # up to the next heading of any level
        text = before + section + ("\n" + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    report.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
