"""What the browser tests of the support pages share: the school's today, the status message,
the way to a pupil through the UI, the pickers and the parts of a page. Each test works on a
pupil it picks through the UI, so the tests do not depend on each other or on their order."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from .pages import click_and_wait, heading, section

NewPage = Callable[[str], Any]
LogIn = Callable[..., None]
Check = Callable[[Any, str], None]
Screenshot = Callable[[Any, str], Any]

SCHOOL_TZ = zoneinfo.ZoneInfo("Europe/Stockholm")
NO_SPECIAL_SUPPORT = "Inget särskilt stöd är dokumenterat."
# The form's own "required" message today; the service's more helpful text is also accepted.
NEED_REQUIRED = "Skriv det behov som setts: varför eleven behöver anpassningen."


def school_today() -> dt.date:
    """The school's today (the app counts days in Europe/Stockholm)."""
    return dt.datetime.now(SCHOOL_TZ).date()


def iso(day: dt.date) -> str:
    return day.isoformat()


def notice(page: Any) -> Any:
    """The status message the app shows after a save (Django messages)."""
    return page.locator("main > [role=status] .notice")


def logged_in_name(page: Any) -> str:
    """The full name of the logged-in person, as the footer says it."""
    text = page.locator(".site-footer small").inner_text().strip()
    return text.removeprefix("Inloggad som ").strip()


def open_first_group(page: Any) -> None:
    groups = page.get_by_role("region", name="Mina grupper").get_by_role("link")
    click_and_wait(page, groups.first)
    expect(page).to_have_url(re.compile(r"/grupper/\d+/$"))


def group_pupils(page: Any) -> Any:
    """The links to the group's pupils (each item's first link; a support mark may follow)."""
    return section(page, "group-pupils").locator("li > a:first-child")


def open_first_pupil_of_my_unit(page: Any, unit: str) -> str:
    """From the start page, the unit's page, then its first pupil; returns the pupil's URL."""
    page.goto("/")
    units = page.get_by_role("region", name="Mina skolenheter")
    click_and_wait(page, units.get_by_role("link", name=unit))
    expect(heading(page)).to_have_text(unit)
    first = section(page, "unit-pupils").locator("ul.link-list a").first
    name = first.inner_text().strip()
    click_and_wait(page, first)
    expect(heading(page)).to_have_text(name)
    return str(page.url)


def pupil_without_special_support(page: Any) -> tuple[str, str]:
    """From the teacher's first group, the first pupil whose page documents no special support."""
    open_first_group(page)
    group_url = page.url
    names = [name.strip() for name in group_pupils(page).all_inner_texts()]
    for name in reversed(names):  # the demo's cases are spread over the list; start at the end
        click_and_wait(page, group_pupils(page).filter(has_text=name).first)
        special = section(page, "pupil-special")
        expect(special).to_be_visible()
        if NO_SPECIAL_SUPPORT in special.inner_text():
            return name, page.url
        page.goto(group_url)
    pytest.fail(f"every pupil of {group_url} already has special support documented")


def open_unit_special_support(page: Any) -> None:
    page.goto("/")
    units = page.get_by_role("region", name="Mina skolenheter")
    click_and_wait(page, units.get_by_role("link", name="Ekbackens skola"))
    expect(heading(page)).to_have_text("Ekbackens skola")
    click_and_wait(page, page.get_by_role("link", name="Särskilt stöd", exact=True))
    expect(heading(page)).to_have_text("Särskilt stöd")


def definition(page: Any, term: str) -> Any:
    """The ``<dd>`` of ``term`` in the page's details list."""
    return page.locator(f'dl.details dt:text-is("{term}") + dd')


def pick_staff(select: Any, name: str) -> None:
    """Choose ``name`` in a staff picker, whose options also say role and unit."""
    option = select.locator("option", has_text=f"{name}, ")
    expect(option).to_have_count(1)
    label = option.inner_text().strip()
    assert label.endswith(", Ekbackens skola"), label
    select.select_option(label=label)


def programme_state(page: Any) -> Any:
    return page.locator("hgroup p strong")
