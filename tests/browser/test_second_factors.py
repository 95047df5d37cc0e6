"""The step-up into the support part, as staff meet it: password login, then a code by SMS or a
security key, then the page they were going to.

The SMS code is read where the demo shows it: the console SMS backend prints it in the server's
output. The security key is Chromium's virtual authenticator (DevTools protocol), which answers
the real WebAuthn ceremony; WebAuthn needs a host name, so that test opens the app on
``localhost`` instead of 127.0.0.1.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from .pages import click_and_wait

pytestmark = pytest.mark.browser

expect: Any = pytest.importorskip("playwright.sync_api").expect

LogIn = Callable[..., None]
Check = Callable[[Any, str], None]

SMS_LINE = re.compile(r"\[SMS to (\+\d+) from [^\]]*\] .*?\b(\d{6})\b")


def _support_page_of_my_unit(page: Any) -> str:
    """From the start page, the user's first school unit, then its adaptations overview (a page
    of the support part); returns its path."""
    page.goto("/")
    units = page.get_by_role("region", name="Mina skolenheter").get_by_role("link")
    click_and_wait(page, units.first)
    unit_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert re.fullmatch(r"/skolenheter/\d+/", unit_path), unit_path
    return f"{unit_path}anpassningar/"


def _log_out(page: Any) -> None:
    click_and_wait(page, page.get_by_role("button", name="Logga ut"))


class ServerOutput:
    """The app server's output, read from where the last read stopped."""

    def __init__(self, app_server: Any) -> None:
        self.path = app_server.log
        self.offset = self.path.stat().st_size

    def sms_code(self, number: str) -> str:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            text = self.path.read_text(errors="replace")[self.offset :]
            codes = [code for to, code in SMS_LINE.findall(text) if to == number]
            if codes:
                self.offset += len(text)
                return str(codes[-1])
            time.sleep(0.2)
        raise AssertionError(f"no SMS to {number} in the server output")


def test_password_login_then_a_code_by_sms_opens_the_support_page(
    new_page: Callable[[str], Any], app_server: Any, log_in: LogIn, check_page: Check
) -> None:
    page = new_page("phone")
    log_in(page, "larare2", step_up=False)
    support_path = _support_page_of_my_unit(page)
    output = ServerOutput(app_server)

    # The support part asks for a second factor; the teacher has none yet and sets up SMS.
    page.goto(support_path)
    expect(page).to_have_url(re.compile(r"/konto/verifiera/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta att det är du")
    click_and_wait(page, page.get_by_role("button", name="Konfigurera en andra faktor"))
    click_and_wait(page, page.get_by_role("link", name="Koder via sms till min mobiltelefon"))
    page.get_by_label("Mobilnummer").fill("070-000 12 34")
    click_and_wait(page, page.get_by_role("button", name="Skicka en kod"))
    check_page(page, "sms-enrol-code")
    page.get_by_role("textbox", name="Kod", exact=True).fill(output.sms_code("+46700001234"))
    click_and_wait(page, page.get_by_role("button", name="Bekräfta"))

    # The next step after a first factor: backup codes, then on to the page asked for.
    expect(page).to_have_url(re.compile(r"/konto/sakerhet/\?next="))
    expect(page.get_by_role("heading", name="Nästa steg: reservkoder")).to_be_visible()
    check_page(page, "sms-enrolled-next-step")
    click_and_wait(page, page.get_by_role("button", name="Skapa reservkoder"))
    expect(page.locator("#backup-codes li")).to_have_count(10)
    check_page(page, "backup-codes")
    click_and_wait(page, page.get_by_role("button", name="Jag har sparat dem, fortsätt"))
    expect(page).to_have_url(re.compile(re.escape(support_path) + "$"))

    # Logging out says so. The next login: password, then a code sent to the phone.
    _log_out(page)
    expect(page.locator("main > [role=status]")).to_have_text("Du är utloggad.")
    check_page(page, "logged-out")
    log_in(page, "larare2", step_up=False)
    page.goto(support_path)
    expect(page).to_have_url(re.compile(r"/konto/verifiera/"))
    sms_factor = page.get_by_role("region", name=re.compile("^Kod via sms"))
    click_and_wait(page, sms_factor.get_by_role("button", name="Skicka en kod"))
    expect(page.locator("main > [role=status]")).to_contain_text("En kod skickades")
    check_page(page, "step-up-sms")
    sms_factor.get_by_role("textbox", name="Kod", exact=True).fill("000000")
    click_and_wait(page, sms_factor.get_by_role("button", name="Bekräfta"))
    expect(page.get_by_role("alert")).to_contain_text("Fel eller för gammal kod")
    page.wait_for_timeout(1500)  # after a wrong code the next is checked a second later at most
    sms_factor.get_by_role("textbox", name="Kod", exact=True).fill(output.sms_code("+46700001234"))
    click_and_wait(page, sms_factor.get_by_role("button", name="Bekräfta"))
    expect(page).to_have_url(re.compile(re.escape(support_path) + "$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _virtual_security_key(page: Any) -> Any:
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "usb",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    return session.send("WebAuthn.addVirtualAuthenticator", {"options": options})


def test_a_security_key_is_registered_and_then_opens_the_support_page(
    browser: Any, app_url: str, log_in: LogIn, check_page: Check
) -> None:
    context = browser.new_context(
        base_url=app_url.replace("127.0.0.1", "localhost"),
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        viewport={"width": 1280, "height": 800},
    )
    try:
        page = context.new_page()
        _virtual_security_key(page)
        log_in(page, "kurator", step_up=False)
        support_path = _support_page_of_my_unit(page)

        # No factor yet: the kurator registers a security key and lands where she was going.
        page.goto(support_path)
        click_and_wait(page, page.get_by_role("button", name="Konfigurera en andra faktor"))
        click_and_wait(page, page.get_by_role("link", name="En säkerhetsnyckel eller passkey"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Säkerhetsnyckel eller passkey")
        check_page(page, "webauthn-enrol")
        page.get_by_label("Nyckelns namn").fill("Blå nyckeln")
        click_and_wait(page, page.get_by_role("button", name="Registrera nyckeln"))
        expect(page.locator("main > [role=status]")).to_contain_text(
            "Den andra faktorn är konfigurerad. Nästa steg: skapa reservkoder"
        )
        click_and_wait(page, page.get_by_role("button", name="Inte nu, fortsätt"))
        expect(page).to_have_url(re.compile(re.escape(support_path) + "$"))
        page.goto("/konto/sakerhet/")
        expect(page.get_by_role("cell", name="Blå nyckeln", exact=True)).to_be_visible()

        # The next login: password, then a touch of the key.
        _log_out(page)
        log_in(page, "kurator", step_up=False)
        page.goto(support_path)
        expect(page).to_have_url(re.compile(r"/konto/verifiera/"))
        check_page(page, "step-up-security-key")
        click_and_wait(page, page.get_by_role("button", name="Använd min säkerhetsnyckel"))
        expect(page).to_have_url(re.compile(re.escape(support_path) + "$"))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    finally:
        context.close()


def test_a_browser_without_webauthn_is_told_so_and_shown_no_key_form(
    new_page: Callable[[str], Any], log_in: LogIn
) -> None:
    page = new_page("phone")
    page.context.add_init_script("delete window.PublicKeyCredential;")
    log_in(page, "admin")

    page.goto("/konto/sakerhet/nyckel/")

    expect(
        page.get_by_text("Den här webbläsaren kan inte använda säkerhetsnycklar")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Registrera nyckeln")).to_be_hidden()
