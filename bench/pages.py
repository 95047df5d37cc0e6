"""Benchmark of the foundation pages: latency and SQL queries per page, and peak memory.

Run with `make bench` (SQLite in a temporary file) or `DATABASE_URL=postgres://… make bench`.
It loads the demo data at a larger size, then requests each page many times through Django's
test client as the principal, and writes the figures to docs/benchmarks.md.

`BENCH_LOADER=scale BENCH_PUPILS=100000 BENCH_UNITS=50` loads the scale data instead (the bulk
loader of `manage.py seed_scale`: one organiser, many units) and measures as the principal of
the first unit; its figures go to a section of their own.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUPILS = int(os.environ.get("BENCH_PUPILS", "3000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
LOADER = os.environ.get("BENCH_LOADER", "demo")
UNITS = int(os.environ.get("BENCH_UNITS", "50"))


def _setup() -> str:
    tmp = tempfile.mkdtemp(prefix="elevstod-bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    if url.startswith("postgres"):
        url = url.rsplit("/", 1)[0] + f"/elevstod_bench_{os.getpid()}"
        _pg_create(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "elevstod.config.settings.test")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    return url


def _pg_create(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _pg_drop(url: str) -> None:
    from django.db import connections

    import psycopg

    connections.close_all()
    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _measure(client, path: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    queries = len(ctx.captured_queries)
    size = len(response.content) / 1024
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    client.get(path)
    peak = tracemalloc.get_traced_memory()[1] / 1024
    tracemalloc.stop()
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "queries": queries,
        "peak_kib": peak,
        "kib": size,
    }


def main() -> None:
    url = _setup()
    from django.core.management import call_command
    from django.test import Client

    from elevstod.accounts.models import User
    from elevstod.home.demo import demo_load
    from elevstod.home.scale import scale_load
    from elevstod.organisation.access import pupils_visible_to
    from elevstod.organisation.models import Group, Person, SchoolUnit
    from elevstod.support.demo import special_support_demo_load, support_demo_load
    from elevstod.support.models import ActionProgramme

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    if LOADER == "scale":
        scale_load(pupils=PUPILS, units=UNITS)
        first = SchoolUnit.objects.order_by("pk").values_list("school_unit_code", flat=True)[0]
        username = f"rektor-{first}"
    else:
        demo_load(pupils=PUPILS)
        support_demo_load(per_unit=PUPILS // 10)
        special_support_demo_load()
        username = "rektor"
    load_seconds = time.perf_counter() - start
    if url.startswith("postgres"):  # after a bulk load the planner's estimates are far off
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    principal = User.objects.get(username=username)
    client = Client()
    client.force_login(principal)
    _step_up(client, principal)
    pupil = pupils_visible_to(principal).order_by("pk").first()
    assert isinstance(pupil, Person)
    group = Group.objects.filter(unit__duties__person=principal.person).order_by("pk").first()
    assert group is not None
    unit_id = group.unit_id
    pages = {
        "start page": "/",
        "pupil page": f"/elever/{pupil.pk}/",
        "pupil search (name)": f"/elever/?q={pupil.family_name}",
        "group page": f"/grupper/{group.pk}/",
        "school unit page": f"/skolenheter/{unit_id}/",
        "adaptations of the unit (support)": f"/skolenheter/{unit_id}/anpassningar/",
        "special support of the unit": f"/skolenheter/{unit_id}/sarskilt-stod/",
    }
    programme = ActionProgramme.objects.filter(unit_id=unit_id).order_by("pk").first()
    if programme is not None:
        pages["action programme page"] = f"/atgardsprogram/{programme.pk}/"
    results = {name: _measure(client, path) for name, path in pages.items()}
    api = _api_client(principal)
    api_reads = {
        "API: pupil list, 100 per page": "/api/v1/pupils/?page_size=100",
        "API: a pupil's adaptations": f"/api/v1/pupils/{pupil.pk}/adaptations/",
    }
    results.update({name: _measure(api, path) for name, path in api_reads.items()})
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    _write_report(vendor, load_seconds, results)
    if url.startswith("postgres"):
        _pg_drop(url)


def _api_client(user):  # type: ignore[no-untyped-def]
    """A client of the REST API with a token of ``user`` (the rate limit lifted for the run)."""
    from django.conf import settings
    from django.test import Client

    from elevstod.accounts.tokens import token_create

    settings.ELEVSTOD_API_REQUESTS_PER_MINUTE = 10**9
    _row, token = token_create(user=user, name="bench", days=1, scopes=["read"])
    return Client(headers={"Authorization": f"Bearer {token}"})


def _step_up(client, user) -> None:  # type: ignore[no-untyped-def]
    """The principal has verified a second factor, as at the start of a working day."""
    from elevstod.accounts.models import FederationDevice
    from elevstod.accounts.stepup import session_mark_verified

    device, _ = FederationDevice.objects.get_or_create(
        user=user, defaults={"name": "bench", "confirmed": True}
    )
    session_mark_verified(client.session, device)


def _write_report(vendor: str, load_seconds: float, results: dict[str, dict[str, float]]) -> None:
    title = _title(vendor)
    data = (
        f"scale data with {PUPILS} pupils in {UNITS} units"
        if LOADER == "scale"
        else f"demo data with {PUPILS} pupils and their support"
    )
    lines = [
        f"### {title}",
        "",
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{data} (loaded in {load_seconds:.1f} s), "
        f"{ROUNDS} requests per page through Django's test client as the principal.",
        "",
        "| page | median ms | p95 ms | SQL queries | page KiB | peak Python memory KiB |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']:.0f} "
            f"| {r['kib']:.0f} | {r['peak_kib']:.0f} |"
        )
    section = "\n".join(lines) + "\n"
    report = ROOT / "docs" / "benchmarks.md"
    text = report.read_text(encoding="utf-8") if report.exists() else _HEADER
    marker = f"### {title}"
    if marker in text:
        before, _, rest = text.partition(marker)
        after = rest.split("\n### ", 1)
        text = before + section + ("\n### " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    report.write_text(text, encoding="utf-8")
    print(section)


def _title(vendor: str) -> str:
    if LOADER == "scale":
        return f"Scale data, {PUPILS} pupils, {vendor}"
    return f"Foundation pages, {vendor}"


_HEADER = """# Benchmarks

Figures from `make bench` (SQLite) and `DATABASE_URL=postgres://… make bench` (PostgreSQL) on
the team's standard machine (2 cores). Each run replaces its own section. Timings are for
comparison between runs on the same machine, not promises; the query counts are the contract
(the tests assert they do not grow with the data).
"""


if __name__ == "__main__":
    main()
