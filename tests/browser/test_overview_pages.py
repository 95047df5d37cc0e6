"""The overviews in real Chromium at 1280 and 375 px, checked with axe: the principal's to-do
list and one of its lists, the teacher's group page with its marked pupils, and the statistics
with charts as the principal (one unit, exact) and as the organiser's analyst (counts only)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from .pages import click_and_wait, heading

pytestmark = pytest.mark.browser

NewPage = Callable[[str], Any]
LogIn = Callable[..., None]
Check = Callable[[Any, str], None]


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_the_principals_to_do_list_and_the_unit_statistics(
    new_page: NewPage, log_in: LogIn, check_page: Check, kind: str
) -> None:
    page = new_page(kind)
    log_in(page, "rektor")
    todo = page.locator("section ul.todo-list").first
    expect(todo).to_be_visible()
    check_page(page, f"overviews-start-rektor-{kind}")

    click_and_wait(page, todo.get_by_role("link").first)
    expect(page).to_have_url(re.compile(r"/att-gora/[\w-]+/$"))
    check_page(page, f"overviews-todo-list-{kind}")

    page.goto("/")
    statistics = page.get_by_role("region", name="Statistik")
    click_and_wait(page, statistics.get_by_role("link").first)
    expect(heading(page)).to_have_text("Stödinsatser i siffror")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    check_page(page, f"overviews-unit-statistics-{kind}")


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_the_teachers_group_page_marks_pupils_with_support(
    new_page: NewPage, log_in: LogIn, check_page: Check, kind: str
) -> None:
    page = new_page(kind)
    log_in(page, "larare")
    check_page(page, f"overviews-start-larare-{kind}")
    groups = page.get_by_role("region", name="Mina grupper").get_by_role("link")
    marked = None
    for i in range(groups.count()):
        page.goto("/")
        click_and_wait(
            page, page.get_by_role("region", name="Mina grupper").get_by_role("link").nth(i)
        )
        if page.locator("a.support-mark").count():
            marked = page.url
            break
    assert marked is not None, "no group of the demo teacher has a pupil with support"
    check_page(page, f"overviews-group-marks-{kind}")


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_the_organisers_statistics_with_charts_and_the_small_number_rule(
    new_page: NewPage, log_in: LogIn, check_page: Check, kind: str
) -> None:
    page = new_page(kind)
    log_in(page, "huvudman")
    statistics = page.get_by_role("region", name="Statistik")
    click_and_wait(page, statistics.get_by_role("link").first)
    expect(heading(page)).to_have_text("Stödinsatser i siffror")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Endast antal")
    check_page(page, f"overviews-organiser-statistics-{kind}")
