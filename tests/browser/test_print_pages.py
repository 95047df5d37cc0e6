"""Pages print without navigation, forms and buttons, in real Chromium with its print media
emulated: the family's and the staff's decision pages (breadcrumbs, the receipt and appeal
buttons, the notification form) and the unit page (pagination of its pupils)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.urls import reverse

import pytest
from playwright.sync_api import expect

from .pages import click_and_wait, heading

pytestmark = pytest.mark.browser

NewPage = Callable[[str], Any]
LogIn = Callable[..., None]

HIDDEN_IN_PRINT = (
    ".site-header, .site-footer, nav, form, button, [role=button], input, select, textarea"
)


def _shown(page: Any, selector: str) -> list[str]:
    """The elements matching ``selector`` that take up room on the page as it is rendered."""
    return list(
        page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter((el) => el.getClientRects().length > 0
                                && getComputedStyle(el).visibility !== 'hidden')
                .map((el) => el.tagName.toLowerCase()
                    + (el.getAttribute('aria-label') ? '[' + el.getAttribute('aria-label') + ']'
                       : '')
                    + (el.className && typeof el.className === 'string'
                       ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))""",
            selector,
        )
    )


def _assert_prints_clean(page: Any, on_screen: str) -> None:
    """On screen the page shows ``on_screen`` (so the check can fail); printed, none of the
    navigation, forms and buttons, but still its heading."""
    assert _shown(page, on_screen), f"{page.url} shows no {on_screen} on screen"
    assert _shown(page, "form, button"), f"{page.url} shows no form or button on screen"
    page.emulate_media(media="print")
    try:
        assert _shown(page, HIDDEN_IN_PRINT) == [], page.url
        expect(heading(page)).to_be_visible()
    finally:
        page.emulate_media(media="screen")


def test_decision_and_unit_pages_print_without_navigation_forms_and_buttons(
    new_page: NewPage, log_in: LogIn
) -> None:
    # The guardian's decision page, with its breadcrumb and the receipt and appeal buttons.
    guardian = new_page("desktop")
    log_in(guardian, "vardnadshavare")
    guardian.goto("/inkorg/")
    notices = guardian.get_by_role("link", name=re.compile("Skolan har fattat ett beslut"))
    click_and_wait(guardian, notices.first)
    found = re.search(r"/mitt-barn/beslut/(\d+)/$", guardian.url)
    assert found, guardian.url
    _assert_prints_clean(guardian, "nav.breadcrumb")

    # The principal's page of the same decision, and the unit page with its pages of pupils.
    principal = new_page("desktop")
    log_in(principal, "rektor")
    principal.goto(reverse("support:decision_detail", args=[int(found.group(1))]))
    _assert_prints_clean(principal, "nav.breadcrumb")
    principal.goto("/")
    units = principal.get_by_role("region", name="Mina skolenheter")
    click_and_wait(principal, units.get_by_role("link", name="Ekbackens skola"))
    _assert_prints_clean(principal, "nav.pagination")
