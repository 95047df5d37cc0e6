"""The administrator's page of system integrations in real Chromium, on a laptop and a phone:
the list, a new client and its secret shown once, accessible (axe), no sideways scrolling."""

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


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_the_administrator_creates_a_client_for_a_reporting_tool(
    new_page: NewPage, log_in: LogIn, check_page: Check, kind: str
) -> None:
    page = new_page(kind)
    log_in(page, "admin")
    page.goto("/integrationer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Systemintegrationer")
    check_page(page, f"integrations-{kind}")
    form = page.locator("form[action='/integrationer/ny/']").first
    form.get_by_label("Systemets namn").fill(f"Rapportverktyget {kind}")
    form.get_by_label("Huvudmannens statistik").check()
    form.locator("input[name='units']").first.check()
    form.get_by_role("button", name="Skapa klient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Klienten har skapats")
    expect(page.get_by_label("Klient-id")).to_have_value(re.compile(r"^elvi_[0-9a-f]{24}$"))
    check_page(page, f"integration-created-{kind}")
