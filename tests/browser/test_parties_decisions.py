"""A party receives a decision digitally, in real Chromium: the demo guardian (vardnadshavare)
finds the decision in the inbox, steps up, reads it, confirms "Jag har tagit del av beslutet",
sees the last day to appeal, and appeals online with a PDF attached (on a phone, 375 px); the
principal is notified and forwards the appeal to the School Appeals Board (on a laptop,
1280 px); the guardian sees what happened. Every page of the flow is checked with axe at both
widths: the guardian's on a laptop too, the principal's on a phone too."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from elevstod.support import workflow as wf

from .pages import click_and_wait, heading, section, step_up_on_this_page

pytestmark = pytest.mark.browser

NewPage = Callable[[str], Any]
LogIn = Callable[..., None]
Check = Callable[[Any, str], None]

SCHOOL_TZ = zoneinfo.ZoneInfo("Europe/Stockholm")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _notice(page: Any) -> Any:
    return page.locator("main > [role=status] .notice")


def _open_notice(page: Any, text: str) -> None:
    page.goto("/inkorg/")
    click_and_wait(page, page.get_by_role("link", name=re.compile(text)).first)


def _check_both(phone: Any, laptop: Any, check_page: Check, name: str) -> None:
    """``name`` checked as the phone shows it, and the same address on the laptop."""
    check_page(phone, name)
    laptop.goto(phone.url)
    check_page(laptop, name)


def _guardian_steps_up(new_page: NewPage, log_in: LogIn, check_page: Check) -> tuple[Any, Any]:
    """The guardian on a laptop (logged in and verified) and on a phone, where the notice of
    the decision leads through the step-up page to the decision. Both widths of the step-up
    page are checked."""
    laptop, guardian = new_page("desktop"), new_page("phone")
    log_in(laptop, "vardnadshavare")  # enrols the authenticator app the phone then uses
    log_in(guardian, "vardnadshavare", step_up=False)
    _open_notice(guardian, "Skolan har fattat ett beslut som gäller")
    expect(guardian).to_have_url(re.compile(r"/konto/verifiera/\?next=.*mitt-barn.*beslut"))
    unverified = new_page("desktop")
    log_in(unverified, "vardnadshavare", step_up=False)
    _check_both(guardian, unverified, check_page, "family-step-up")
    step_up_on_this_page(guardian, "vardnadshavare")
    expect(guardian).to_have_url(re.compile(r"/mitt-barn/beslut/\d+/$"))
    return guardian, laptop


def _guardian_confirms(guardian: Any, laptop: Any, check_page: Check, last_day: str) -> None:
    """Before the receipt, the receipt page, and after it."""
    expect(heading(guardian)).to_have_text("Beslut om åtgärdsprogram")
    expect(section(guardian, "f-programme")).to_contain_text("Lästräning med speciallärare")
    expect(section(guardian, "f-how")).to_contain_text("Skolväsendets överklagandenämnd")
    expect(section(guardian, "f-receipt")).to_contain_text("Du har ännu inte bekräftat")
    _check_both(guardian, laptop, check_page, "family-decision")
    expect(section(laptop, "f-receipt")).to_contain_text("Du har ännu inte bekräftat")

    # "Jag har tagit del av beslutet", right after the step-up: the last day to appeal appears.
    click_and_wait(guardian, guardian.get_by_role("button", name="Jag har tagit del av beslutet"))
    expect(heading(guardian)).to_have_text("Jag har tagit del av beslutet")
    _check_both(guardian, laptop, check_page, "family-decision-acknowledge")
    expect(heading(laptop)).to_have_text("Jag har tagit del av beslutet")
    click_and_wait(guardian, guardian.get_by_role("button", name="Jag har tagit del av beslutet"))
    expect(_notice(guardian)).to_have_text("Tack. Att du har tagit del av beslutet är registrerat.")
    expect(section(guardian, "f-receipt")).to_contain_text(f"Sista dag att överklaga: {last_day}")
    check_page(guardian, "family-decision-received")


def _guardian_appeals(guardian: Any, laptop: Any, check_page: Check) -> str:
    """The appeal form and the appeal page; returns the appeal's address."""
    click_and_wait(guardian, guardian.get_by_role("button", name="Överklaga beslutet"))
    expect(heading(guardian)).to_have_text("Överklaga beslutet")
    _check_both(guardian, laptop, check_page, "family-appeal-new")
    expect(heading(laptop)).to_have_text("Överklaga beslutet")
    guardian.get_by_label("Vad vill du ska ändras i beslutet?").fill(
        "Lästräningen ska ges fem gånger i veckan."
    )
    guardian.get_by_label("Varför ska beslutet ändras?").fill(
        "Tre pass i veckan har inte räckt under förra terminen."
    )
    guardian.get_by_label("Bilagor (valfritt)").set_input_files(
        [{"name": "intyg.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    click_and_wait(guardian, guardian.get_by_role("button", name="Skicka överklagandet"))
    expect(guardian).to_have_url(re.compile(r"/mitt-barn/overklaganden/\d+/$"))
    expect(_notice(guardian)).to_have_text("Ditt överklagande skickades till skolan.")
    expect(guardian.locator("hgroup strong")).to_have_text("inkommet")
    expect(guardian.get_by_role("link", name="intyg.pdf")).to_be_visible()
    _check_both(guardian, laptop, check_page, "family-appeal")
    expect(laptop.locator("hgroup strong")).to_have_text("inkommet")
    return str(guardian.url)


def _principal_forwards(new_page: NewPage, log_in: LogIn, check_page: Check) -> None:
    """The principal reads the notified appeal (laptop and phone) and forwards it."""
    principal, phone = new_page("desktop"), new_page("phone")
    log_in(principal, "rektor")
    _open_notice(principal, "överklagade digitalt ett beslut som gäller")
    expect(principal).to_have_url(re.compile(r"/overklaganden/\d+/$"))
    expect(principal.locator("main")).to_contain_text("digitalt från parten")
    expect(principal.locator("main")).to_contain_text("Tre pass i veckan har inte räckt")
    expect(principal.get_by_role("link", name="intyg.pdf")).to_be_visible()
    log_in(phone, "rektor")
    _check_both(principal, phone, check_page, "staff-appeal-online")
    forward = section(principal, "a-forward")
    click_and_wait(principal, forward.get_by_role("button", name="Överlämna"))
    expect(_notice(principal)).to_have_text("Sparat.")
    _check_both(principal, phone, check_page, "staff-appeal-forwarded")
    expect(phone.locator("main")).to_contain_text("Skolväsendets överklagandenämnd")


def test_guardian_receives_confirms_and_appeals_a_decision_that_the_principal_handles(
    new_page: NewPage, log_in: LogIn, check_page: Check
) -> None:
    today = dt.datetime.now(SCHOOL_TZ).date()
    last_day = wf.appeal_last_day(today).isoformat()

    # The decision reaches the guardian as a notice; it opens after the step-up.
    guardian, laptop = _guardian_steps_up(new_page, log_in, check_page)
    decision_url = guardian.url
    _guardian_confirms(guardian, laptop, check_page, last_day)

    # The child's page lists the decision with the day it was received and the last day.
    breadcrumb = guardian.get_by_role("navigation", name="Brödsmulor")
    click_and_wait(guardian, breadcrumb.get_by_role("link").first)
    decisions = section(guardian, "family-decisions")
    expect(
        decisions.get_by_role("row").filter(has_text="Beslut om åtgärdsprogram")
    ).to_contain_text(last_day)
    _check_both(guardian, laptop, check_page, "family-pupil-decisions")
    guardian.goto(decision_url)

    # The guardian appeals online, with a PDF attached; the principal forwards the appeal.
    appeal_url = _guardian_appeals(guardian, laptop, check_page)
    _principal_forwards(new_page, log_in, check_page)

    # The guardian sees what happened to the appeal, at both widths.
    guardian.goto(appeal_url)
    forwarded = "överlämnat till Skolväsendets överklagandenämnd"
    expect(guardian.locator("hgroup strong")).to_have_text(forwarded)
    _check_both(guardian, laptop, check_page, "family-appeal-forwarded")
    laptop.goto(decision_url)
    expect(section(laptop, "f-receipt")).to_contain_text(f"Sista dag att överklaga: {last_day}")
    expect(section(laptop, "f-appeals").get_by_role("listitem").first).to_contain_text(forwarded)
    check_page(laptop, "family-decision-received")
