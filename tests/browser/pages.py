"""Playwright pages for the browser tests: the browser contexts' settings, the console watch,
and logging in with a second factor the tests enrol themselves."""

from __future__ import annotations

import re
import time
import urllib.parse
from typing import Any

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


def step_up_on_this_page(page: Any, username: str) -> None:
    """On the step-up page the app sent ``username`` to, type the next code of the
    authenticator app enrolled earlier (``login`` with ``step_up``) and follow where it leads."""
    code_field = page.locator("input[name=code]").first
    code_field.fill(_totp_code(username))
    with page.expect_navigation():
        code_field.press("Enter")


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


# --- finding and following things on a page -----------------------------------------------------


def heading(page: Any) -> Any:
    """The page's one level-1 heading."""
    return page.get_by_role("heading", level=1)


def click_and_wait(page: Any, target: Any) -> None:
    """Click ``target`` and wait for the page it leads to."""
    with page.expect_navigation():
        target.click()


def section(page: Any, heading_id: str) -> Any:
    """The section labelled by the heading with ``heading_id``."""
    return page.locator(f"section[aria-labelledby={heading_id}]")
