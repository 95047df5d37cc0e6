"""The foundation pages in real Chromium, on a laptop (1280 px) and a phone (375 px).

Every page is checked with axe (WCAG 2.0/2.1 A and AA) and screenshotted to
test-artifacts/screenshots/; on the phone no page may scroll sideways.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from .pages import heading

pytestmark = pytest.mark.browser

NewPage = Callable[[str], Any]
LogIn = Callable[..., None]
Check = Callable[[Any, str], None]

SEARCH_LABEL = "Sök elev på namn eller personnummer"


def _search_response(name: str) -> Callable[[Any], bool]:
    """Matches the htmx request of the live search for exactly ``name``."""

    def matches(response: Any) -> bool:
        url = urllib.parse.urlsplit(response.url)
        query = urllib.parse.parse_qs(url.query)
        return (
            url.path == "/elever/"
            and query.get("q") == [name]
            and response.request.headers.get("hx-request") == "true"
        )

    return matches


def _assert_wide_enough(page: Any, field: Any) -> None:
    """The search field takes most of the width, also on a phone (not squeezed by its label)."""
    box = field.bounding_box()
    viewport = page.viewport_size["width"]
    assert box is not None
    assert box["width"] >= min(viewport * 0.5, 400), f"the field is {box['width']} px wide"


@pytest.mark.parametrize("kind", ["desktop", "phone"], ids=["1280px", "375px"])
def test_teacher_finds_a_pupil_and_principal_opens_the_unit(
    kind: str, new_page: NewPage, log_in: LogIn, check_page: Check
) -> None:
    page = new_page(kind)

    page.goto("/konto/logga-in/")
    expect(heading(page)).to_have_text("Logga in i Elevstöd")
    check_page(page, "login")

    log_in(page, "larare")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(heading(page)).to_contain_text("Välkommen")
    expect(page.get_by_role("heading", name="Mina grupper")).to_be_visible()
    check_page(page, "start-larare")

    # A plain form submit from the start page (no htmx there): the search page with results.
    search = page.get_by_role("searchbox", name=SEARCH_LABEL)
    _assert_wide_enough(page, search)
    search.fill("a")
    with page.expect_navigation():
        search.press("Enter")
    expect(page).to_have_url(re.compile(r"/elever/\?q=a$"))
    expect(heading(page)).to_have_text("Sök elev")
    results = page.locator("#search-results a")
    expect(results.first).to_be_visible()
    name = results.first.inner_text().strip()
    assert name

    # The live search: typing loads the results with htmx, without leaving the page.
    page.evaluate("() => { window.elevstodSamePage = true; }")
    search = page.get_by_role("searchbox", name=SEARCH_LABEL)
    search.click()
    search.press("ControlOrMeta+a")
    with page.expect_response(_search_response(name)):
        search.press_sequentially(name, delay=20)
    expect(page).to_have_url(re.compile(r"/elever/\?q="))
    expect(results.first).to_have_text(name)
    assert page.evaluate("() => window.elevstodSamePage") is True, "the search reloaded the page"
    check_page(page, "search")

    with page.expect_navigation():
        results.first.click()
    expect(page).to_have_url(re.compile(r"/elever/\d+/$"))
    expect(heading(page)).to_have_text(name)
    check_page(page, "pupil")

    group_link = page.locator("section[aria-labelledby=pupil-groups] a").first
    group_name = group_link.inner_text().strip()
    with page.expect_navigation():
        group_link.click()
    expect(page).to_have_url(re.compile(r"/grupper/\d+/$"))
    expect(heading(page)).to_have_text(group_name)
    expect(page.get_by_role("link", name=name).first).to_be_visible()
    check_page(page, "group")

    principal = new_page(kind)
    log_in(principal, "rektor")
    expect(heading(principal)).to_contain_text("Välkommen")
    check_page(principal, "start-rektor")
    units = principal.locator("section[aria-labelledby=my-units]")
    with principal.expect_navigation():
        units.get_by_role("link", name="Ekbackens skola").click()
    expect(principal).to_have_url(re.compile(r"/skolenheter/\d+/$"))
    expect(heading(principal)).to_have_text("Ekbackens skola")
    expect(principal.get_by_role("heading", name="Klasser och grupper")).to_be_visible()
    check_page(principal, "unit")


def test_wrong_password_shows_the_swedish_error(
    desktop_page: Any, log_in: LogIn, check_page: Check
) -> None:
    log_in(desktop_page, "larare", "inte-rätt-lösenord")
    expect(desktop_page).to_have_url(re.compile(r"/konto/logga-in/"))
    expect(desktop_page.get_by_role("alert")).to_have_text(
        "Fel användarnamn eller lösenord. Försök igen."
    )
    expect(desktop_page.locator("#id_password")).to_have_attribute("aria-invalid", "true")
    check_page(desktop_page, "login-error")


def test_switching_language_to_english_in_the_footer(desktop_page: Any, log_in: LogIn) -> None:
    log_in(desktop_page, "larare")
    expect(desktop_page.get_by_role("button", name="Logga ut")).to_be_visible()
    desktop_page.get_by_label("Språk").select_option("en")
    with desktop_page.expect_navigation():
        desktop_page.get_by_role("button", name="Byt språk").click()
    expect(desktop_page.get_by_role("button", name="Log out")).to_be_visible()
    expect(heading(desktop_page)).to_contain_text("Welcome")
    expect(desktop_page.locator("html")).to_have_attribute("lang", "en")
    expect(desktop_page).to_have_url(re.compile(r"/$"))


def test_organiser_analyst_sees_counts_and_no_pupils(
    desktop_page: Any, log_in: LogIn, check_page: Check
) -> None:
    log_in(desktop_page, "huvudman")
    table = desktop_page.get_by_role("region", name="Huvudmannens skolenheter").locator("table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_be_visible()
    assert table.locator("tbody tr").count() >= 3
    expect(table.locator("tbody")).to_contain_text("Björkängsskolan")
    expect(desktop_page.locator("a[href*='/elever/'], a[href*='/mitt-barn/']")).to_have_count(0)
    expect(desktop_page.get_by_role("search")).to_have_count(0)
    check_page(desktop_page, "start-huvudman")


def test_guardian_sees_two_children_and_opens_the_family_page(
    phone_page: Any, log_in: LogIn, check_page: Check
) -> None:
    log_in(phone_page, "vardnadshavare")
    children = phone_page.locator("section[aria-labelledby=family] a[href*='/mitt-barn/']")
    expect(children).to_have_count(2)
    expect(phone_page.locator("a[href*='/elever/']")).to_have_count(0)
    check_page(phone_page, "start-vardnadshavare")
    child = children.first.inner_text().strip()
    with phone_page.expect_navigation():
        children.first.click()
    expect(phone_page).to_have_url(re.compile(r"/mitt-barn/\d+/$"))
    expect(heading(phone_page)).to_have_text(child)
    expect(phone_page.get_by_role("heading", name="Mentor")).to_be_visible()
    check_page(phone_page, "family")


def test_principal_of_a_unit_without_the_module_sees_the_notice(
    desktop_page: Any, log_in: LogIn, check_page: Check
) -> None:
    log_in(desktop_page, "rektor2")
    with desktop_page.expect_navigation():
        desktop_page.locator("section[aria-labelledby=my-units]").get_by_role(
            "link", name="Björkängsskolan"
        ).click()
    expect(heading(desktop_page)).to_have_text("Björkängsskolan")
    expect(desktop_page.locator(".notice")).to_have_text(
        "Modulen Stödinsatser är inte aktiverad på den här skolenheten."
    )
    expect(desktop_page.locator("a[href*='/anpassningar/']")).to_have_count(0)
    check_page(desktop_page, "unit-without-module")


def test_pages_and_live_search_cause_no_console_errors(
    desktop_page: Any, log_in: LogIn, console_log: Any, app_url: str
) -> None:
    """The Content-Security-Policy (no inline scripts or styles) blocks nothing the app uses."""
    page = desktop_page
    response = page.goto("/konto/logga-in/")
    assert response is not None
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    log_in(page, "larare")

    page.goto("/elever/")
    search = page.get_by_role("searchbox", name=SEARCH_LABEL)
    search.click()
    with page.expect_response(_search_response("an")):
        search.press_sequentially("an", delay=20)
    results = page.locator("#search-results a")
    expect(results.first).to_be_visible()
    with page.expect_navigation():
        results.first.click()
    with page.expect_navigation():
        page.locator("section[aria-labelledby=pupil-groups] a").first.click()
    with page.expect_navigation():
        page.locator("hgroup a[href*='/skolenheter/']").click()
    page.go_back()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/elever/\d+/$"))

    assert console_log.errors == [], "\n".join(console_log.errors)
