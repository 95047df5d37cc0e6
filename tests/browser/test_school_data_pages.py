"""The administrator's SS 12000 page in real Chromium, on a laptop and a phone: the sources, the
history and the people lookup, accessible (axe) and without sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NewPage = Callable[[str], Any]
LogIn = Callable[..., None]
Check = Callable[[Any, str], None]


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_the_administrator_reads_the_school_data_page(
    new_page: NewPage, log_in: LogIn, check_page: Check, kind: str
) -> None:
    page = new_page(kind)
    log_in(page, "admin")
    page.goto("/")
    page.get_by_role("link", name="Skoldata från elevregistret (SS 12000)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skoldata (SS 12000)")
    expect(page.get_by_text("Ingen synkronisering pågår.")).to_be_visible()
    check_page(page, f"school-data-{kind}")
    page.get_by_role("link", name="Varifrån en persons uppgifter kom").click()
    page.get_by_label("Namn eller SS 12000-id").fill("Andersson")
    page.get_by_role("button", name="Slå upp").click()
    expect(page.get_by_text("Personer med skyddad identitet visas inte här.")).to_be_visible()
    # the demo's persons came from no source, and are found all the same
    expect(page.get_by_text("inte från någon källa").first).to_be_visible()
    check_page(page, f"school-data-people-{kind}")


def test_a_teacher_is_not_linked_to_the_school_data_page(new_page: NewPage, log_in: LogIn) -> None:
    page = new_page("desktop")
    log_in(page, "larare")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator('a[href="/skoldata/"]')).to_have_count(0)
    page.goto("/konto/sakerhet/")
    expect(page.locator('a[href="/skoldata/"]')).to_have_count(0)
