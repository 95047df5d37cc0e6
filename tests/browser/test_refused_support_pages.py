"""Refused cases of the support pages in real Chromium, each next to the allowed one: the plain
404 page, and the message of a unit without the support module."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .pages import click_and_wait, heading, section
from .support_pages import (
    Check,
    LogIn,
    NewPage,
    group_pupils,
    open_first_group,
    open_first_pupil_of_my_unit,
)

pytestmark = pytest.mark.browser


def test_refused_cases_next_to_the_allowed_ones(
    new_page: NewPage, log_in: LogIn, check_page: Check
) -> None:
    teacher, principal, other_principal = (new_page("desktop") for _ in range(3))
    log_in(teacher, "larare")
    log_in(principal, "rektor")
    log_in(other_principal, "rektor2")

    # Allowed: the principal starts an investigation of one of the teacher's pupils.
    open_first_group(teacher)
    pupil = group_pupils(teacher).first.inner_text().strip()
    click_and_wait(teacher, group_pupils(teacher).first)
    pupil_url = teacher.url
    principal.goto(pupil_url)
    expect(heading(principal)).to_have_text(pupil)
    click_and_wait(principal, principal.get_by_role("button", name="Starta en utredning"))
    click_and_wait(principal, principal.get_by_role("button", name="Start", exact=True))
    expect(principal).to_have_url(re.compile(r"/utredningar/\d+/$"))
    expect(heading(principal)).to_have_text("Utredning")
    investigation_url = principal.url

    # Refused: the pupil's own teacher, not named in it, gets the plain 404 page.
    response = teacher.goto(investigation_url)
    assert response is not None
    assert response.status == 404
    expect(heading(teacher)).to_have_text("Hittades inte")
    expect(teacher.locator("main")).to_contain_text(
        "Sidan finns inte, eller så har du inte behörighet till den."
    )
    check_page(teacher, "investigation-refused")
    teacher.goto(pupil_url)
    special = section(teacher, "pupil-special")
    expect(special).to_be_visible()
    expect(special.get_by_role("link", name="Utredning")).to_have_count(0)

    # Allowed: at a unit with the module, the principal gets the new-adaptation form.
    principal.goto(pupil_url)
    click_and_wait(principal, principal.get_by_role("button", name="Ny extra anpassning"))
    expect(heading(principal)).to_have_text("Ny extra anpassning")
    expect(principal.get_by_label("Vad anpassas")).to_be_visible()

    # Refused: at a unit without the module, its principal is told so, in Swedish.
    other_pupil_url = open_first_pupil_of_my_unit(other_principal, "Björkängsskolan")
    expect(section(other_principal, "pupil-support")).to_contain_text(
        "Modulen Stödinsatser är inte aktiverad på Björkängsskolan."
    )
    expect(other_principal.get_by_role("button", name="Ny extra anpassning")).to_have_count(0)
    response = other_principal.goto(f"{other_pupil_url}anpassningar/ny/")
    assert response is not None
    assert response.status == 200
    expect(heading(other_principal)).to_have_text("Modulen Stödinsatser är inte aktiverad")
    expect(other_principal.locator("main")).to_contain_text(
        "Modulen Stödinsatser är inte aktiverad på Björkängsskolan."
    )
    expect(other_principal.locator("input[name=title]")).to_have_count(0)
    check_page(other_principal, "adaptation-new-module-not-enabled")
    click_and_wait(
        other_principal, other_principal.get_by_role("link", name="Tillbaka till eleven")
    )
    expect(other_principal).to_have_url(other_pupil_url)
