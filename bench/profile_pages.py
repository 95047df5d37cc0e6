"""Where a page's CPU goes: the load benchmark's pages served in this process under production
settings, with the CPU of this process and of its database backend per request, and
optionally cProfile's view of the app's share.

It answers within a millisecond or two what the load benchmark (`bench/serve_load.py`, gunicorn
and wrk) measures, in a minute instead of several, so that a change can be tried page by page.
Vacuum the loaded database as the load benchmark does: autovacuum keeps a live one so (the
trigram indexes' pending lists merged, the visibility map set), a bulk load leaves it undone.

Against a database already loaded (``DATABASE_URL``; PostgreSQL), e.g.::

    manage.py migrate && manage.py seed_scale --pupils 10000 --units 5   # then VACUUM ANALYZE
    DATABASE_URL=postgres://…/db .venv/bin/python bench/profile_pages.py

``N`` requests per page (200), ``PAGES`` (start,pupil,overview,special,search,programme,healthz),
``PROFILE=1`` for cProfile's ``TOP`` (40) functions sorted by ``SORT`` (cumulative).
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(ROOT / "bench")]
VAR = Path(tempfile.gettempdir()) / "elevstod-profile"
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "elevstod.config.settings.production",
        "ELEVSTOD_SECRET_KEY": secrets.token_urlsafe(48),
        "ELEVSTOD_AUDIT_KEY": os.environ.get("ELEVSTOD_AUDIT_KEY", secrets.token_urlsafe(48)),
        "ELEVSTOD_VAR_DIR": str(VAR),
        "ELEVSTOD_REQUEST_LOG_LEVEL": "WARNING",
        # One database connection for the whole run: its backend's CPU is read from its pid.
        "ELEVSTOD_DB_CONN_MAX_AGE": "3600",
    }
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from serve_load import SESSION_AND_PAGES, TICKS, _pages  # noqa: E402

SHORT = {
    "start": "start page",
    "pupil": "pupil page",
    "overview": "adaptation overview (unit)",
    "special": "special-support list (unit)",
    "search": "pupil search",
    "programme": "programme page",
    "healthz": "/healthz",
}
N = int(os.environ.get("N", "200"))
CHOSEN = os.environ.get("PAGES", ",".join(SHORT)).split(",")


def _signed_in() -> tuple[str, dict[str, str]]:
    from elevstod.organisation.models import SchoolUnit

    first = SchoolUnit.objects.order_by("pk").values_list("school_unit_code", flat=True)[0]
    printed = io.StringIO()
    stdout, sys.stdout = sys.stdout, printed
    try:
        exec(f"USERNAME = 'rektor-{first}'\n" + SESSION_AND_PAGES, {})  # noqa: S102
    finally:
        sys.stdout = stdout
    session, unit, pupil, family, programme = printed.getvalue().split()
    return session, _pages(unit, pupil, family, programme)


def _environ(path: str, session: str) -> dict[str, Any]:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session}",
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _get(handler: WSGIHandler, path: str, session: str) -> int:
    statuses: list[str] = []
    response = handler(_environ(path, session), lambda status, headers: statuses.append(status))
    size = sum(len(chunk) for chunk in response)
    response.close()  # type: ignore[attr-defined]
    assert statuses[0].startswith("200"), (path, statuses[0])
    return size


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def main() -> None:
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    session, pages = _signed_in()
    handler = WSGIHandler()
    print(f"{N} requests per page · app and database CPU ms per request")
    for short in CHOSEN:
        path = pages.get(SHORT[short])
        if path is None:
            continue
        for _ in range(20):  # warm the templates, the compiled statements and the connection
            size = _get(handler, path, session)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        profile = cProfile.Profile() if os.environ.get("PROFILE") else None
        app, database = time.process_time(), _backend_cpu(backend)
        if profile:
            profile.enable()
        for _ in range(N):
            _get(handler, path, session)
        if profile:
            profile.disable()
        app, database = time.process_time() - app, _backend_cpu(backend) - database
        print(
            f"{SHORT[short]:<30} app {app * 1000 / N:6.1f}  db {database * 1000 / N:5.1f}"
            f"  total {(app + database) * 1000 / N:6.1f}  ({size / 1024:.0f} KB)"
        )
        if profile:
            stats = pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("TOP", "40")))


if __name__ == "__main__":
    main()
