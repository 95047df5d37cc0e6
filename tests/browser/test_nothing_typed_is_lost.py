"""Nothing typed is lost, in real Chromium: choosing a library entry, adding measures to a
programme and inviting a contributor swap only their part of the page (htmx), so what the user
has typed elsewhere stays; without JavaScript the same buttons post the typed text along and
the page comes back with it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from .pages import click_and_wait, section

pytestmark = pytest.mark.browser

NewPage = Callable[[str], Any]
LogIn = Callable[..., None]
Check = Callable[[Any, str], None]

NEED = "Räknar på fingrarna och tappar bort sig i talraden."


def _mark_page(page: Any) -> None:
    """A mark in the page's memory: gone if the page is loaded anew."""
    page.evaluate("window.notReloaded = true")


def _not_reloaded(page: Any) -> bool:
    return bool(page.evaluate("window.notReloaded === true"))


def _new_adaptation_form(page: Any) -> None:
    groups = page.get_by_role("region", name="Mina grupper").get_by_role("link")
    click_and_wait(page, groups.first)
    click_and_wait(page, section(page, "group-pupils").get_by_role("link").first)
    click_and_wait(page, page.get_by_role("button", name="Ny extra anpassning"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny extra anpassning")


def _choose_concrete_maths_and_check(page: Any) -> None:
    page.get_by_label("Varför: det behov som setts").fill(NEED)
    page.locator("#id_description").fill("Med pengar och tallinje")
    page.locator(".library-pick button").filter(has_text="Konkret material i matematik").click()
    expect(page.get_by_label("Vad anpassas")).to_have_value("Konkret material i matematik")
    expect(page.get_by_label("Varför: det behov som setts")).to_have_value(NEED)
    expect(page.locator("#id_description")).to_have_value("Med pengar och tallinje")
    expect(page.get_by_label("Matematik", exact=True)).to_be_checked()
    expect(page.get_by_label("Ämnesövergripande")).not_to_be_checked()


def test_choosing_a_library_entry_keeps_the_typed_need_and_preselects_the_subject(
    desktop_page: Any, log_in: LogIn, check_page: Check
) -> None:
    page = desktop_page
    log_in(page, "larare")
    _new_adaptation_form(page)
    _mark_page(page)
    _choose_concrete_maths_and_check(page)
    assert _not_reloaded(page), "choosing from the library reloaded the whole page"
    check_page(page, "adaptation-new-library-kept")


def test_without_javascript_choosing_a_library_entry_also_keeps_what_was_typed(
    browser: Any, app_url: str, log_in: LogIn
) -> None:
    context = browser.new_context(base_url=app_url, locale="sv-SE", java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "larare")
        _new_adaptation_form(page)
        with page.expect_navigation():
            _choose_concrete_maths_and_check(page)
    finally:
        context.close()


def _measure_texts(page: Any) -> list[str]:
    fields = page.locator("fieldset.measure textarea[name$='-what']")
    return [fields.nth(i).input_value() for i in range(fields.count())]


def test_adding_a_second_and_third_measure_keeps_everything_typed(
    desktop_page: Any, log_in: LogIn, check_page: Check
) -> None:
    page = desktop_page
    log_in(page, "rektor")
    page.goto("/")
    units = page.get_by_role("region", name="Mina skolenheter")
    click_and_wait(page, units.get_by_role("link", name="Ekbackens skola"))
    click_and_wait(page, page.get_by_role("link", name="Särskilt stöd", exact=True))
    draft = section(page, "u-dec").get_by_role("listitem").filter(has_text="utkast").first
    click_and_wait(page, draft.get_by_role("link"))
    click_and_wait(page, page.get_by_role("button", name="Redigera"))
    needs = "Behöver stöd för att komma igång och att hålla fokus."
    page.get_by_label("Elevens behov av särskilt stöd").fill(needs)
    page.get_by_label("När åtgärderna följs upp").fill("Var tredje vecka")
    first = page.locator("fieldset.measure textarea[name$='-what']").last
    first.fill("Start med lärare i början av passet")
    typed = _measure_texts(page)
    _mark_page(page)
    for text in ("Lugn arbetsplats", "Timer för arbetspass"):
        add = page.get_by_role("button", name="Lägg till en åtgärd")
        count = page.locator("fieldset.measure").count()
        add.click()
        expect(page.locator("fieldset.measure")).to_have_count(count + 1)
        page.locator("fieldset.measure textarea[name$='-what']").last.fill(text)
        typed.append(text)
    assert _measure_texts(page) == typed
    expect(page.get_by_label("Elevens behov av särskilt stöd")).to_have_value(needs)
    expect(page.get_by_label("När åtgärderna följs upp")).to_have_value("Var tredje vecka")
    assert _not_reloaded(page), "adding a measure reloaded the whole page"
    check_page(page, "programme-form-three-measures")


def test_inviting_a_contributor_keeps_the_typed_investigation_text(
    desktop_page: Any, log_in: LogIn, check_page: Check
) -> None:
    page = desktop_page
    log_in(page, "rektor")
    page.goto("/")
    units = page.get_by_role("region", name="Mina skolenheter")
    click_and_wait(page, units.get_by_role("link", name="Ekbackens skola"))
    click_and_wait(page, page.get_by_role("link", name="Särskilt stöd", exact=True))
    click_and_wait(page, section(page, "u-inv").get_by_role("link").first)
    expect(page).to_have_url(re.compile(r"/utredningar/\d+/$"))
    text = "Eleven behöver mer tid; samtal med mentor i dag."
    content = section(page, "inv-content")
    content.get_by_label("Elevens synpunkter").fill(text)
    invite = section(page, "inv-invite")
    choice = invite.get_by_role("checkbox").first
    name = choice.evaluate("el => el.labels[0].innerText").strip()
    choice.check()
    _mark_page(page)
    invite.get_by_role("button", name="Bjud in").click()
    expect(page.locator("#inv-people [role=status]")).to_contain_text("De medverkande bjöds in.")
    expect(page.locator("#inv-people")).to_contain_text(name)
    expect(content.get_by_label("Elevens synpunkter")).to_have_value(text)
    assert _not_reloaded(page), "inviting reloaded the whole page"
    check_page(page, "investigation-invited-text-kept")
