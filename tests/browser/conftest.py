"""Browser tests: the real app in its own server process, driven by Debian's Chromium.

pytest-django's ``live_server`` cannot be used: it flushes the database between tests, and the
audit tables refuse DELETE. Instead one session starts ``manage.py runserver`` on a fresh
database (an SQLite file in a temporary directory, or a uniquely named PostgreSQL database when
``DATABASE_URL`` points at PostgreSQL), loads the demo data and shares that server and one
headless Chromium across all browser tests; every test gets new browser contexts (fresh cookies).

Chromium comes from Debian (``/usr/bin/chromium``, or ``ELEVSTOD_CHROMIUM``). Without it the
browser tests are skipped with a plain reason, or fail when ``ELEVSTOD_REQUIRE_BROWSER=1`` (CI).

This file only wires the fixtures: the server process is ``server.py``, the browser contexts and
the login ``pages.py``, the checks of a page ``checks.py``.
"""

from __future__ import annotations

import os
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
from .pages import CHROMIUM_ARGS, CSP_LISTENER, DEFAULT_TIMEOUT_MS, VIEWPORTS, ConsoleLog, login
from .server import AppServer, fresh_database

BROWSER_DIR = Path(__file__).resolve().parent


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


# --- the app server (server.py) -------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_server(
    chromium_executable: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """The real app as its own process; stopped (and its database dropped) at the end.

    Depends on ``chromium_executable`` so that nothing starts when the tests will be skipped.
    """
    tmp_dir = tmp_path_factory.mktemp("elevstod-browser")
    with fresh_database(tmp_dir) as database_url:
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
