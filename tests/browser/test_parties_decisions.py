"""A party receives a decision digitally, in real Chromium: the demo guardian (vardnadshavare)
finds the decision in the inbox, reads it, confirms "Jag har tagit del av beslutet", sees the
last day to appeal, and appeals online with a PDF attached (on a phone, 375 px); the principal
is notified and forwards the appeal to the School Appeals Board (on a laptop, 1280 px); the
guardian sees what happened. Every page is checked with axe at the width it is used."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from elevstod.support import workflow as wf

from .pages import click_and_wait, heading, section

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


def test_guardian_receives_confirms_and_appeals_a_decision_that_the_principal_handles(
    new_page: NewPage, log_in: LogIn, check_page: Check
) -> None:
    guardian, principal = new_page("phone"), new_page("desktop")
    today = dt.datetime.now(SCHOOL_TZ).date()
    last_day = wf.appeal_last_day(today).isoformat()

    # The decision reaches the guardian as a notice; it opens in the family view.
    log_in(guardian, "vardnadshavare")
    _open_notice(guardian, "Skolan har fattat ett beslut som gäller")
    expect(guardian).to_have_url(re.compile(r"/mitt-barn/beslut/\d+/$"))
    decision_url = guardian.url
    expect(heading(guardian)).to_have_text("Beslut om åtgärdsprogram")
    expect(section(guardian, "f-programme")).to_contain_text("Lästräning med speciallärare")
    expect(section(guardian, "f-how")).to_contain_text("Skolväsendets överklagandenämnd")
    expect(section(guardian, "f-receipt")).to_contain_text("Du har ännu inte bekräftat")
    check_page(guardian, "family-decision")

    # "Jag har tagit del av beslutet", right after the step-up: the last day to appeal appears.
    click_and_wait(guardian, guardian.get_by_role("button", name="Jag har tagit del av beslutet"))
    expect(heading(guardian)).to_have_text("Jag har tagit del av beslutet")
    check_page(guardian, "family-decision-acknowledge")
    click_and_wait(guardian, guardian.get_by_role("button", name="Jag har tagit del av beslutet"))
    expect(_notice(guardian)).to_have_text("Tack. Att du har tagit del av beslutet är registrerat.")
    expect(section(guardian, "f-receipt")).to_contain_text(f"Sista dag att överklaga: {last_day}")
    check_page(guardian, "family-decision-received")

    # The child's page lists the decision with the day it was received and the last day.
    breadcrumb = guardian.get_by_role("navigation", name="Brödsmulor")
    click_and_wait(guardian, breadcrumb.get_by_role("link").first)
    decisions = section(guardian, "family-decisions")
    expect(
        decisions.get_by_role("row").filter(has_text="Beslut om åtgärdsprogram")
    ).to_contain_text(last_day)
    check_page(guardian, "family-pupil-decisions")
    family_url = guardian.url
    guardian.goto(decision_url)

    # The guardian appeals online, with a PDF attached.
    click_and_wait(guardian, guardian.get_by_role("button", name="Överklaga beslutet"))
    expect(heading(guardian)).to_have_text("Överklaga beslutet")
    check_page(guardian, "family-appeal-new")
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
    appeal_url = guardian.url
    expect(_notice(guardian)).to_have_text("Ditt överklagande skickades till skolan.")
    expect(guardian.locator("hgroup strong")).to_have_text("inkommet")
    expect(guardian.get_by_role("link", name="intyg.pdf")).to_be_visible()
    check_page(guardian, "family-appeal")

    # The principal is notified, sees the party's text and file, and forwards the appeal.
    log_in(principal, "rektor")
    _open_notice(principal, "överklagade digitalt ett beslut som gäller")
    expect(principal).to_have_url(re.compile(r"/overklaganden/\d+/$"))
    expect(principal.locator("main")).to_contain_text("digitalt från parten")
    expect(principal.locator("main")).to_contain_text("Tre pass i veckan har inte räckt")
    expect(principal.get_by_role("link", name="intyg.pdf")).to_be_visible()
    check_page(principal, "staff-appeal-online")
    forward = section(principal, "a-forward")
    click_and_wait(principal, forward.get_by_role("button", name="Överlämna"))
    expect(_notice(principal)).to_have_text("Sparat.")

    # The guardian sees what happened to the appeal; the decision page at laptop width.
    guardian.goto(appeal_url)
    expect(guardian.locator("hgroup strong")).to_have_text(
        "överlämnat till Skolväsendets överklagandenämnd"
    )
    laptop = new_page("desktop")
    log_in(laptop, "vardnadshavare")
    laptop.goto(decision_url)
    expect(section(laptop, "f-receipt")).to_contain_text(f"Sista dag att överklaga: {last_day}")
    expect(section(laptop, "f-appeals").get_by_role("listitem").first).to_contain_text(
        "överlämnat till Skolväsendets överklagandenämnd"
    )
    check_page(laptop, "family-decision-received")
    laptop.goto(family_url)
    check_page(laptop, "family-pupil-decisions")
