"""The log search "who has seen what" in real Chromium, as the data protection officer uses it
on a laptop and a phone: codes in words, and a bad date told next to its field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NewPage = Callable[[str], Any]
LogIn = Callable[..., None]
Check = Callable[[Any, str], None]
CODE = re.compile(r"\b(accounts|audit|organisation|support)\.[a-z_]+\.|[A-Z]{3,}_[A-Z_]+")


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_data_protection_officer_reads_the_log_in_words(
    new_page: NewPage, log_in: LogIn, check_page: Check, kind: str
) -> None:
    page = new_page(kind)
    log_in(page, "dataskydd")
    page.goto("/logg/")
    log = page.get_by_role("region", name="Logg")
    expect(log).to_contain_text(re.compile(r"(Skrev|Ändrade|Läste) "))
    expect(log).not_to_contain_text(CODE)
    check_page(page, "log")


def test_a_bad_date_in_the_log_search_is_told_next_to_the_field(
    new_page: NewPage, log_in: LogIn, check_page: Check
) -> None:
    page = new_page("phone")
    log_in(page, "dataskydd")
    page.goto("/logg/?start=2026-13-45&end=2026-01-01")
    start = page.get_by_label("Från")
    expect(start).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_start_error")).to_contain_text("du skrev ”2026-13-45”")
    expect(page.get_by_role("region", name="Logg")).to_have_count(0)
    check_page(page, "log-bad-date")
