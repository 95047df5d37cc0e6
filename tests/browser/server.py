"""The app as a real server process for the browser tests: ``manage.py runserver`` on a fresh
database (an SQLite file in a temporary directory, or a uniquely named PostgreSQL database when
``DATABASE_URL`` points at PostgreSQL), migrated and loaded with the demo data, waited for until
/healthz answers, and stopped at the end (the PostgreSQL database dropped)."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "manage.py"

DEMO_PUPILS = 120
SETTINGS_MODULE = "elevstod.config.settings.browser"  # dev, DEBUG off, fast hashing
SERVER_START_SECONDS = 30


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _is_postgres(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}


def _with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


@contextlib.contextmanager
def fresh_database(tmp_dir: Path) -> Iterator[str]:
    """Yield a DATABASE_URL of a new, empty database; PostgreSQL databases are dropped after."""
    env_url = os.environ.get("DATABASE_URL", "")
    if not _is_postgres(env_url):
        yield f"sqlite:///{tmp_dir / 'browser.sqlite3'}"
        return

    import psycopg
    from psycopg import sql

    name = f"elevstod_browser_{os.getpid()}_{secrets.token_hex(4)}"
    admin_url = _with_database(env_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        # A throwaway database: no need to wait for the disk on each of migrate's commits.
        conn.execute(
            sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(name))
        )
    try:
        yield _with_database(env_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def manage(env: dict[str, str], *args: str) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(MANAGE), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    sys.stderr.write(f"[browser] manage.py {args[0]}: {time.monotonic() - started:.1f}s\n")


def _tail(log: Path, chars: int = 4000) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return "(no server log)"


class AppServer:
    """``runserver`` on a fresh database, prepared in a background thread.

    The preparation (migrate, then seed_demo while runserver starts) runs while Chromium
    launches; ``wait()`` returns the base URL once the data is loaded and /healthz answers.
    """

    def __init__(self, database_url: str, tmp_dir: Path) -> None:
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "ELEVSTOD_VAR_DIR": str(tmp_dir),
            "PYTHONUNBUFFERED": "1",
        }
        self.log = tmp_dir / "runserver.log"
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.process: subprocess.Popen[bytes] | None = None
        self._error: BaseException | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._prepare, name="app-server", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> str:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.url

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=SERVER_START_SECONDS)
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def _prepare(self) -> None:
        try:
            manage(self.env, "migrate", "--noinput", "-v0")
            if self._stopping.is_set():
                return
            host_port = self.url.removeprefix("http://")
            with self.log.open("wb") as log_file:
                self.process = subprocess.Popen(
                    [
                        sys.executable,
                        str(MANAGE),
                        "runserver",
                        host_port,
                        "--noreload",
                        "--insecure",  # DEBUG is off: serve the static files all the same
                    ],
                    cwd=ROOT,
                    env=self.env,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                )
            manage(self.env, "seed_demo", "--pupils", str(DEMO_PUPILS))
            self._wait_until_healthy()
        except BaseException as error:  # re-raised in the test thread by wait()
            self._error = error

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"the app server exited ({self.process.returncode}):\n{_tail(self.log)}",
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        pytest.fail(f"the app server did not answer /healthz:\n{_tail(self.log)}", pytrace=False)
