"""Browser tests: the real app in its own server process, driven by Debian's Chromium.

pytest-django's ``live_server`` cannot be used: it flushes the database between tests, and the
audit tables refuse DELETE. Instead one session starts ``manage.py runserver`` on a fresh
database (an SQLite file in a temporary directory, or a uniquely named PostgreSQL database when
``DATABASE_URL`` points at PostgreSQL), loads the demo data and shares that server and one
headless Chromium across all browser tests; every test gets new browser contexts (fresh cookies).

Chromium comes from Debian (``/usr/bin/chromium``, or ``ELEVSTOD_CHROMIUM``). Without it the
browser tests are skipped with a plain reason, or fail when ``ELEVSTOD_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .checks import (
    assert_accessible,
    assert_cells_within_viewport,
    assert_menu_within_reach,
    assert_no_horizontal_scroll,
    save_screenshot,
)

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "manage.py"
BROWSER_DIR = Path(__file__).resolve().parent

DEMO_PUPILS = 120
SETTINGS_MODULE = "elevstod.config.settings.browser"  # dev, DEBUG off, fast hashing
SERVER_START_SECONDS = 30
DEFAULT_TIMEOUT_MS = 10_000

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 375, "height": 740},
        "is_mobile": True,
        "has_touch": True,
    },
}


# --- collection ---------------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this directory ``browser`` and run them after all other tests.

    Playwright's sync API keeps an asyncio loop registered as running in the main thread while the
    browser is open; Django's ORM refuses to run in such a thread (SynchronousOnlyOperation), so
    database tests must not run after the session browser has started.
    """
    mine: list[pytest.Item] = []
    others: list[pytest.Item] = []
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            mine.append(item)
        else:
            others.append(item)
    items[:] = others + mine


# --- Chromium ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The Chromium binary, or a plain skip (or failure, with ELEVSTOD_REQUIRE_BROWSER=1)."""
    path = os.environ.get("ELEVSTOD_CHROMIUM") or "/usr/bin/chromium"
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        message = (
            f"Chromium not found at {path}: browser tests skipped "
            "(install Debian's chromium, or run .ci/run)"
        )
        if os.environ.get("ELEVSTOD_REQUIRE_BROWSER", "").strip() == "1":
            _REQUIRED_BUT_MISSING[:] = [message]
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


_REQUIRED_BUT_MISSING: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """With ELEVSTOD_REQUIRE_BROWSER=1 a missing Chromium fails the run: say why, plainly."""
    for message in _REQUIRED_BUT_MISSING:
        terminalreporter.write_sep("=", "browser tests failed", red=True)
        terminalreporter.write_line(f"{message}; ELEVSTOD_REQUIRE_BROWSER=1 requires it")


# --- the app server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _is_postgres(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}


def _with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


@contextlib.contextmanager
def _fresh_database(tmp_dir: Path) -> Iterator[str]:
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


def _manage(env: dict[str, str], *args: str) -> None:
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
            _manage(self.env, "migrate", "--noinput", "-v0")
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
            _manage(self.env, "seed_demo", "--pupils", str(DEMO_PUPILS))
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


@pytest.fixture(scope="session")
def app_server(
    chromium_executable: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """The real app as its own process; stopped (and its database dropped) at the end.

    Depends on ``chromium_executable`` so that nothing starts when the tests will be skipped.
    """
    tmp_dir = tmp_path_factory.mktemp("elevstod-browser")
    with _fresh_database(tmp_dir) as database_url:
        server = AppServer(database_url, tmp_dir)
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def app_url(app_server: AppServer) -> str:
    """Base URL of the running app, with the demo data loaded."""
    return app_server.wait()


# --- Playwright --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(chromium_executable: str, app_server: AppServer) -> Iterator[Any]:
    """One headless Chromium for the session (launched while the app server is prepared)."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


class ConsoleLog:
    """Console errors, uncaught page errors and CSP violations seen by the pages of one test."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Any) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error} ({page.url})"))

    def _console(self, page: Any, message: Any) -> None:
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        if source.endswith("/favicon.ico"):
            return  # Chromium asks for /favicon.ico by itself; the app has none (a 404)
        self.errors.append(f"console.error: {message.text} ({source or page.url})")


# Reports CSP violations into the console even where Chromium would only count them.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def console_log() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def new_page(browser: Any, app_url: str, console_log: ConsoleLog) -> Iterator[Callable[[str], Any]]:
    """Factory: ``new_page("desktop" | "phone")`` opens a page in a new browser context."""
    contexts: list[Any] = []

    def make(kind: str = "desktop") -> Any:
        context = browser.new_context(
            base_url=app_url,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            **VIEWPORTS[kind],
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        page = context.new_page()
        console_log.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def desktop_page(new_page: Callable[[str], Any]) -> Any:
    return new_page("desktop")


@pytest.fixture
def phone_page(new_page: Callable[[str], Any]) -> Any:
    return new_page("phone")


@pytest.fixture(scope="session")
def demo_password() -> str:
    from elevstod.home.demo import DEMO_PASSWORD

    return str(DEMO_PASSWORD)


# Second factors of the demo users, enrolled by the browser tests themselves (an authenticator
# app, whose codes the tests compute): username -> (key, last time step used).
_TOTP: dict[str, tuple[bytes, int]] = {}


def _totp_code(username: str) -> str:
    """The next unused code of the user's authenticator app (django-otp refuses a reused time
    step and accepts one step ahead; wait when both were used)."""
    from django_otp.oath import TOTP

    key, last = _TOTP[username]
    now = int(time.time()) // 30
    step = max(now, last + 1)
    if step > now + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.5)
    _TOTP[username] = (key, step)
    totp = TOTP(key)
    totp.time = step * 30 + 1
    return f"{totp.token():06d}"


def _step_up_with_app(page: Any, username: str) -> None:
    """Verify the second factor of the logged-in ``username`` (enrolling an authenticator app the
    first time), then return to the page the browser was on."""
    import base64

    back = page.url
    if username not in _TOTP:
        page.goto("/konto/sakerhet/app/")
        key = page.locator("#totp-key").inner_text().replace(" ", "")
        _TOTP[username] = (base64.b32decode(key), 0)
        code_field = page.locator("#id_code")
    else:
        page.goto("/konto/verifiera/")
        code_field = page.locator("input[name=code]").first
    code_field.fill(_totp_code(username))
    with page.expect_navigation():
        code_field.press("Enter")
    page.goto(back)


def login(page: Any, username: str, password: str, *, step_up: bool = True) -> None:
    """Submit the login form; with ``step_up`` also verify a second factor, so that the support
    pages open directly (as after a Skolfederation login with 2FA)."""
    if urllib.parse.urlsplit(page.url).path != "/konto/logga-in/":
        page.goto("/konto/logga-in/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form button[type=submit]", has_text=re.compile("Logga in|Log in")).click()
    if step_up and urllib.parse.urlsplit(page.url).path != "/konto/logga-in/":
        _step_up_with_app(page, username)


@pytest.fixture
def log_in(demo_password: str) -> Callable[..., None]:
    """``log_in(page, username, password=demo, *, step_up=True)``: submit the login form, wait
    for the answer, and verify the second factor (see ``login``)."""

    def do(page: Any, username: str, password: str | None = None, *, step_up: bool = True) -> None:
        login(page, username, password or demo_password, step_up=step_up)

    return do


# --- checks (checks.py) --------------------------------------------------------------------------


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture() -> Callable[[Any], None]:
    return assert_accessible


@pytest.fixture(name="assert_no_horizontal_scroll")
def assert_no_horizontal_scroll_fixture() -> Callable[[Any], None]:
    return assert_no_horizontal_scroll


@pytest.fixture(name="save_screenshot")
def save_screenshot_fixture() -> Callable[[Any, str], Path]:
    return save_screenshot


@pytest.fixture
def check_page() -> Callable[[Any, str], None]:
    """Screenshot the page as ``<name>-<width>.png``, run axe, and on phones refuse sideways
    scrolling, a header item or a table cell past the edge."""

    def check(page: Any, name: str) -> None:
        width = page.viewport_size["width"]
        save_screenshot(page, f"{name}-{width}")
        assert_accessible(page)
        if width < 768:
            assert_no_horizontal_scroll(page)
            assert_menu_within_reach(page)
            assert_cells_within_viewport(page)

    return check
