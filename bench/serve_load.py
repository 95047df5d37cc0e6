"""Load benchmark of the app as production runs it: `make serve` (gunicorn, production settings)
on a fresh database with the demo loaded, and wrk against the main pages at 1 and 4 clients.

For each page and number of clients: requests per second, median and 95th percentile latency,
errors (non-2xx answers and socket errors), and the **server CPU per request**: the user and
system time of the gunicorn workers and of this database's PostgreSQL backends (from
/proc/<pid>/stat, so other load on the machine does not count), divided by the requests.
Then the workers' resident memory before and after the run.

Run with `make bench-load` (PostgreSQL from ``DATABASE_URL``; SQLite otherwise, whose CPU is
in the workers). ``BENCH_PUPILS`` (300), ``BENCH_SECONDS`` per run (10), ``BENCH_CLIENTS``
("1,4"), ``BENCH_WEB_WORKERS`` (4). ``BENCH_LOADER=scale`` loads the municipality-scale data
(`manage.py seed_scale`, ``BENCH_PUPILS`` pupils in one unit per 2,000) instead of the demo and
measures as the first unit's principal. ``BENCH_MIXED_SECONDS`` (0: off): afterwards a mixed
run over all the pages at 4 clients for that long, with the workers' memory before and after.
The figures are printed as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import Served, fresh_database, manage, production_env  # noqa: E402

PUPILS = os.environ.get("BENCH_PUPILS", "300")
LOADER = os.environ.get("BENCH_LOADER", "demo")
MIXED_SECONDS = int(os.environ.get("BENCH_MIXED_SECONDS", "0"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = [int(c) for c in os.environ.get("BENCH_CLIENTS", "1,4").split(",")]
WEB_WORKERS = os.environ.get("BENCH_WEB_WORKERS", "4")
TICKS = os.sysconf("SC_CLK_TCK")
REPORT_LUA = """
PATHS = PATHS or nil
counter = 0
request = function()
  if PATHS == nil then return wrk.format(nil) end
  counter = counter + 1
  return wrk.format(nil, PATHS[(counter % #PATHS) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d errors=%d non2xx=%d p50=%d p95=%d\\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95)))
end
"""

# The principal of the demo's unit with the support module, stepped up: a session made the way
# the tests' force_login makes one, so the benchmark measures pages, not the login.
SESSION_AND_PAGES = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from elevstod.accounts.models import FederationDevice, User
from elevstod.accounts.stepup import session_mark_verified
from elevstod.organisation.access import pupils_visible_to
from elevstod.organisation.models import Duty
from elevstod.support.models import ActionProgramme
user = User.objects.get(username=USERNAME)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
device, _ = FederationDevice.objects.get_or_create(
    user=user, defaults={"name": "benchmark", "confirmed": True})
session_mark_verified(session, device)
unit = Duty.objects.filter(person=user.person, role="PRINCIPAL").first().unit_id
pupil = pupils_visible_to(user).order_by("pk").first()
programme = ActionProgramme.objects.filter(pupil__in=pupils_visible_to(user)).order_by("pk").first()
print(session.session_key, unit, pupil.pk, pupil.family_name, programme.pk if programme else 0)
"""


def _pages(unit: str, pupil: str, family: str, programme: str) -> dict[str, str]:
    pages = {
        "start page": "/",
        "pupil page": f"/elever/{pupil}/",
        "adaptation overview (unit)": f"/skolenheter/{unit}/anpassningar/",
        "special-support list (unit)": f"/skolenheter/{unit}/sarskilt-stod/",
        "pupil search": f"/elever/?q={family}",
        "/healthz": "/healthz",
    }
    if programme != "0":
        pages["programme page"] = f"/atgardsprogram/{programme}/"
    return pages


def _descendants_running_gunicorn(root: int) -> list[int]:
    """The gunicorn processes started under ``root`` (serve.sh puts each piece in its own
    session, so the process group does not tell)."""
    parents: dict[int, int] = {}
    commands: dict[int, bytes] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                commands[int(entry.name)] = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])

    def under_root(pid: int) -> bool:
        while pid > 1:
            if pid == root:
                return True
            pid = parents.get(pid, 1)
        return False

    return [pid for pid, cmd in commands.items() if b"gunicorn" in cmd and under_root(pid)]


def _database_pids(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if cmdline.startswith(b"postgres:") and f" {name} ".encode() in cmdline:
                pids.append(int(entry.name))
    return pids


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU seconds of each process that still runs."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return found


def _cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU spent between the readings by the processes running at the end (a database backend
    that started in between counts whole; one that ended is gone from both sides)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(found.group(1)) if found else 0
    return total / 1024


def _wrk(
    url: str, clients: int, cookie: str, script: Path, seconds: int = SECONDS
) -> dict[str, int]:
    command = [
        "wrk",
        *("-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds}s"),
        *("--timeout", "30s", "-s", str(script)),
        *("-H", f"Cookie: elevstod_session={cookie}", "-H", "X-Forwarded-Proto: https"),
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    found = re.search(r"BENCH (.*)", result.stdout)
    assert found, result.stdout + result.stderr
    return {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}


def main() -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure-wrk.sh")], check=True)  # noqa: S603, S607
    tmp = Path(tempfile.mkdtemp(prefix="elevstod-load-"))
    script = tmp / "report.lua"
    script.write_text(REPORT_LUA)
    with fresh_database(tmp) as database_url:
        env = production_env(tmp, database_url, ELEVSTOD_WEB_WORKERS=WEB_WORKERS)
        env["ELEVSTOD_REQUEST_LOG_LEVEL"] = "WARNING"  # measure the pages, not the log file
        # No worker restarts: a worker that ends during a run takes its CPU time with it (and
        # would hide a growth of memory over the mixed run).
        env["ELEVSTOD_WEB_MAX_REQUESTS"] = "0"
        manage(env, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        username = _load(env)
        print(f"{LOADER} data with {PUPILS} pupils loaded in {time.monotonic() - started:.0f} s")
        served = Served(env, tmp / "serve.log")
        try:
            served.wait_healthy()
            code = f"USERNAME = {username!r}\n" + SESSION_AND_PAGES
            session, unit, pupil, family, programme = manage(
                env, "shell", "--no-imports", "-c", code
            ).stdout.split()
            pages = _pages(unit, pupil, family, programme)
            _run(served, database_url, session, pages, script)
            if MIXED_SECONDS:
                _mixed(served, session, pages, tmp)
        finally:
            served.stop()


def _load(env: dict[str, str]) -> str:
    """Loads the data; returns the principal to measure as."""
    if LOADER != "scale":
        manage(env, "seed_demo", "--pupils", PUPILS)
        return "rektor"
    units = str(max(1, int(PUPILS) // 2000))
    manage(env, "seed_scale", "--pupils", PUPILS, "--units", units)
    # A live database as autovacuum keeps it: fresh planner statistics, the visibility map set
    # and the trigram (GIN) indexes' pending lists merged, none of which a bulk load leaves.
    analyse = "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
    manage(env, "shell", "--no-imports", "-c", analyse)
    first = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from elevstod.organisation.models import SchoolUnit; "
        "print(SchoolUnit.objects.order_by('pk').values_list('school_unit_code', flat=True)[0])",
    ).stdout.strip()
    return f"rektor-{first}"


def _mixed(served: Served, session: str, pages: dict[str, str], tmp: Path) -> None:
    """All the pages in turn at 4 clients for ``MIXED_SECONDS``: does a worker's memory grow?"""
    workers = _descendants_running_gunicorn(served.process.pid)
    paths = ", ".join(f'"{p}"' for p in pages.values())
    script = tmp / "mixed.lua"
    script.write_text(f"PATHS = {{{paths}}}\n" + REPORT_LUA)
    before = _rss_mb(workers)
    figures = _wrk(served.url + "/", 4, session, script, seconds=MIXED_SECONDS)
    after = _rss_mb(_descendants_running_gunicorn(served.process.pid))
    print(
        f"\nMixed run, {MIXED_SECONDS} s at 4 clients over {len(pages)} pages: "
        f"{figures['requests']} requests, {figures['errors'] + figures['non2xx']} errors; "
        f"workers and master {before:.0f} MB before, {after:.0f} MB after "
        f"({(after - before) / max(before, 1) * 100:+.1f} %)"
    )


def _run(served: Served, database_url: str, session: str, pages: dict[str, str], script: Path):
    database = database_url.rsplit("/", 1)[1] if database_url.startswith("postgres") else ""
    workers = _descendants_running_gunicorn(served.process.pid)
    for path in pages.values():  # warm every worker's templates and connections
        _wrk(served.url + path, 4, session, script)
    rss_before = _rss_mb(workers)
    print(
        f"\n{dt.date.today()} · {platform.node()} · {os.cpu_count()} cores · {PUPILS} pupils"
        f" · gunicorn {WEB_WORKERS} sync workers · {SECONDS} s per run\n"
    )
    print("| page | clients | req/s | median ms | p95 ms | server CPU ms/req | errors |")
    print("|---|---|---|---|---|---|---|")
    for name, path in pages.items():
        for clients in CLIENTS:
            watched = workers + (_database_pids(database) if database else [])
            cpu_before = _cpu_seconds(watched)
            figures = _wrk(served.url + path, clients, session, script)
            watched = workers + (_database_pids(database) if database else [])
            cpu = _cpu_used(cpu_before, _cpu_seconds(watched))
            requests = max(figures["requests"], 1)
            print(
                f"| {name} | {clients} | {requests / SECONDS:.0f} | {figures['p50'] / 1000:.1f} "
                f"| {figures['p95'] / 1000:.1f} | {cpu * 1000 / requests:.1f} "
                f"| {figures['errors'] + figures['non2xx']} |"
            )
    rss_after = _rss_mb(_descendants_running_gunicorn(served.process.pid))
    print(
        f"\n{len(workers) - 1} workers and the master, resident memory: "
        f"{rss_before:.0f} MB before, {rss_after:.0f} MB after"
    )


if __name__ == "__main__":
    main()
