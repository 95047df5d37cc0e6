"""Extra adaptations in real Chromium on a phone (375 px): every page visited is checked with axe
(WCAG 2.0/2.1 A and AA), screenshotted to test-artifacts/screenshots/, and may not scroll
sideways."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .pages import click_and_wait, heading, section
from .support_pages import (
    NEED_REQUIRED,
    Check,
    LogIn,
    group_pupils,
    iso,
    notice,
    open_first_group,
    school_today,
)

pytestmark = pytest.mark.browser


def test_teacher_writes_follows_up_and_evaluates_an_adaptation_on_a_phone(
    phone_page: Any, log_in: LogIn, check_page: Check
) -> None:
    page = phone_page
    today = school_today()
    log_in(page, "larare")
    check_page(page, "support-start-larare")

    # A pupil of one of the teacher's groups, through the group page.
    open_first_group(page)
    check_page(page, "support-group")
    pupil_link = group_pupils(page).nth(1)
    pupil = pupil_link.inner_text().strip()
    click_and_wait(page, pupil_link)
    expect(heading(page)).to_have_text(pupil)
    pupil_url = page.url
    check_page(page, "support-pupil")

    # The need is required: the Swedish error, and the typed title is kept.
    click_and_wait(page, page.get_by_role("button", name="Ny extra anpassning"))
    expect(heading(page)).to_have_text("Ny extra anpassning")
    check_page(page, "adaptation-new")
    own_title = "Pauser under långa arbetspass"
    page.get_by_label("Vad anpassas").fill(own_title)
    click_and_wait(page, page.get_by_role("button", name="Spara"))
    expect(page.get_by_role("alert")).to_contain_text("Inget är sparat ännu")
    need = page.get_by_label("Varför: det behov som setts")
    expect(need).to_have_attribute("aria-invalid", "true")
    expect(need).to_have_accessible_description(NEED_REQUIRED)
    expect(page.get_by_label("Vad anpassas")).to_have_value(own_title)
    check_page(page, "adaptation-new-error")

    # Three steps from the pupil page: new → library entry → save.
    page.goto(pupil_url)
    click_and_wait(page, page.get_by_role("button", name="Ny extra anpassning"))
    entry = page.locator(".library-pick button").filter(has_text="Förlängd skrivtid vid prov")
    entry.click()
    expect(entry).to_have_attribute("aria-current", "true")
    title = page.get_by_label("Vad anpassas")
    expect(title).to_have_value("Förlängd skrivtid vid prov")
    check_page(page, "adaptation-new-from-library")
    need_text = "Hinner inte läsa klart uppgifterna på proven."
    page.get_by_label("Varför: det behov som setts").fill(need_text)
    click_and_wait(page, page.get_by_role("button", name="Spara"))
    expect(page).to_have_url(re.compile(r"/anpassningar/\d+/$"))
    expect(notice(page)).to_have_text("Den extra anpassningen sparades.")
    expect(heading(page)).to_have_text("Förlängd skrivtid vid prov")
    expect(page.locator("dl.details")).to_contain_text(need_text)
    adaptation_url = page.url
    check_page(page, "adaptation")

    # Follow up.
    next_follow_up = today + dt.timedelta(days=14)
    click_and_wait(page, page.get_by_role("button", name="Följ upp"))
    expect(heading(page)).to_contain_text("Följ upp")
    expect(page.get_by_label("Datum")).to_have_value(iso(today))
    page.get_by_label("Vad såg du?").fill("Blev klar med hela provet i lugn och ro.")
    page.get_by_label("fungerar delvis").check()
    page.get_by_label("Nästa uppföljning").fill(iso(next_follow_up))
    check_page(page, "adaptation-follow-up")
    click_and_wait(page, page.get_by_role("button", name="Spara"))
    expect(page).to_have_url(adaptation_url)
    expect(notice(page)).to_have_text("Uppföljningen sparades.")
    follow_ups = section(page, "follow-ups")
    expect(follow_ups).to_contain_text(f"{iso(today)} · fungerar delvis")
    expect(follow_ups).to_contain_text("Blev klar med hela provet i lugn och ro.")
    expect(page.locator("dl.details")).to_contain_text(iso(next_follow_up))

    # Evaluate: it works, go on as it is, with a next follow-up.
    after_evaluation = today + dt.timedelta(days=42)
    click_and_wait(page, page.get_by_role("button", name="Utvärdera"))
    expect(heading(page)).to_contain_text("Utvärdera")
    page.get_by_label("Resultat").fill("Resultaten på proven har blivit jämnare.")
    page.get_by_label("fungerar bra").check()
    page.get_by_label("fortsätt som nu").check()
    page.get_by_label("Nästa uppföljning").fill(iso(after_evaluation))
    check_page(page, "adaptation-evaluate")
    click_and_wait(page, page.get_by_role("button", name="Spara"))
    expect(page).to_have_url(adaptation_url)
    expect(notice(page)).to_have_text("Utvärderingen sparades.")
    evaluations = section(page, "evaluations")
    expect(evaluations).to_contain_text(f"{iso(today)} · fungerar bra · fortsätt som nu")
    expect(evaluations).to_contain_text("Resultaten på proven har blivit jämnare.")
    expect(page.locator("dl.details")).to_contain_text(iso(after_evaluation))
    expect(page.locator("hgroup")).to_contain_text("pågående")
    check_page(page, "adaptation-followed-up-and-evaluated")

    # The pupil page lists it.
    page.goto(pupil_url)
    expect(section(page, "pupil-support")).to_contain_text("Förlängd skrivtid vid prov")
