"""The access tokens of the security page in real Chromium, on a laptop and a phone: a token
made after the step-up, shown once, listed by name, revoked; accessible (axe), no sideways
scrolling, every table cell in view on the phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from .pages import click_and_wait

pytestmark = pytest.mark.browser

NewPage = Callable[[str], Any]
LogIn = Callable[..., None]
Check = Callable[[Any, str], None]


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_a_teacher_makes_an_access_token_sees_it_once_and_revokes_it(
    new_page: NewPage, log_in: LogIn, check_page: Check, kind: str
) -> None:
    page = new_page(kind)
    log_in(page, "larare")
    page.goto("/konto/sakerhet/")
    section = page.get_by_role("region", name="Åtkomstnycklar för API:t")
    check_page(page, f"tokens-{kind}")
    name = f"Min app {kind}"
    section.get_by_label("Namn på den nya nyckeln").fill(name)
    click_and_wait(page, section.get_by_role("button", name="Skapa nyckel"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Åtkomstnyckeln är skapad")
    expect(page.get_by_label(re.compile(name))).to_have_value(re.compile(r"^\S{30,}$"))
    check_page(page, f"token-created-{kind}")

    page.goto("/konto/sakerhet/")
    row = page.locator("table.cards tbody tr").filter(has_text=name)
    expect(row).to_have_count(1)
    check_page(page, f"tokens-listed-{kind}")
    click_and_wait(page, row.get_by_role("button", name=re.compile("^Återkalla")))
    expect(page.locator("table.cards tbody tr").filter(has_text=name)).to_have_count(0)
