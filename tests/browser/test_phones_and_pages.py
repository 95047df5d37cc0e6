"""On a phone (375 px) every table reads as labelled cards, with every cell in view; staff
links lead guardians and pupils to the plain 404 page, not to a second factor."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from .pages import click_and_wait, heading

pytestmark = pytest.mark.browser

LogIn = Callable[..., None]
Check = Callable[[Any, str], None]


def _assert_cells_labelled(page: Any, label: str) -> None:
    """The column's cells show its name above their value (the header row is hidden on
    phones)."""
    cell = page.locator(f'table.cards td[data-label="{label}"]').first
    expect(cell).to_be_visible()
    before = cell.evaluate("(el) => getComputedStyle(el, '::before').content")
    assert before == f'"{label}"', before


def test_the_principals_tables_read_as_cards_on_a_phone(
    phone_page: Any, log_in: LogIn, check_page: Check
) -> None:
    page = phone_page
    log_in(page, "rektor")

    # The unit's groups (a table of the unit page).
    units = page.get_by_role("region", name="Mina skolenheter")
    click_and_wait(page, units.get_by_role("link", name="Ekbackens skola"))
    unit_url = page.url
    groups = page.locator("section[aria-labelledby=unit-groups] details")
    if groups.get_attribute("open") is None:
        groups.locator("summary").click()
    _assert_cells_labelled(page, "Grupp")
    check_page(page, "cards-unit")

    # The unit's overview of extra adaptations.
    click_and_wait(page, page.get_by_role("link", name="Extra anpassningar på skolenheten"))
    expect(heading(page)).to_have_text("Extra anpassningar")
    _assert_cells_labelled(page, "Nästa uppföljning")
    check_page(page, "cards-unit-adaptations")

    # A group's overview, through the first pupil's group.
    click_and_wait(page, page.locator("table.cards td[data-label=Elev] a").first)
    click_and_wait(page, page.locator("section[aria-labelledby=pupil-groups] a").first)
    click_and_wait(page, page.get_by_role("link", name=re.compile("Extra anpassningar i gruppen")))
    expect(heading(page)).to_have_text("Extra anpassningar")
    check_page(page, "cards-group-adaptations")

    # The measures of a running action programme.
    page.goto(unit_url)
    click_and_wait(page, page.get_by_role("link", name="Särskilt stöd", exact=True))
    running = page.locator("section[aria-labelledby=u-run] a").first
    click_and_wait(page, running)
    measures = page.locator("section[aria-labelledby=p-measures]")
    expect(measures.locator("td[data-label=Ansvarig]").first).to_be_visible()
    _assert_cells_labelled(page, "Åtgärd")
    check_page(page, "cards-programme")

    # The log of who has seen what, and the user's own second factors.
    page.goto("/")
    click_and_wait(page, page.get_by_role("link", name="Vem har sett vad"))
    _assert_cells_labelled(page, "Användare")
    check_page(page, "cards-log")
    page.goto("/konto/sakerhet/")
    _assert_cells_labelled(page, "Typ")
    check_page(page, "cards-security")


def test_the_organisers_table_reads_as_cards_on_a_phone(
    phone_page: Any, log_in: LogIn, check_page: Check
) -> None:
    log_in(phone_page, "huvudman")
    _assert_cells_labelled(phone_page, "Skolenhetskod")
    check_page(phone_page, "cards-start-huvudman")


@pytest.mark.parametrize("username", ["vardnadshavare", "elev"])
def test_a_guardian_or_pupil_on_a_staff_link_gets_the_plain_404(
    phone_page: Any, log_in: LogIn, check_page: Check, username: str
) -> None:
    page = phone_page
    log_in(page, username, step_up=False)

    response = page.goto("/anpassningar/1/")

    assert response is not None
    assert response.status == 404
    expect(page).to_have_url(re.compile(r"/anpassningar/1/$"))
    expect(heading(page)).to_have_text("Hittades inte")
    check_page(page, f"staff-link-{username}")
