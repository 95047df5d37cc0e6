"""The development talk in real Chromium, at 1280 and 375 px with axe: the guardian books a
time, answers the preparation questions, reads the held talk's record and the fixed plan (of
its snapshot only the adaptation marked visible) and follows the link to the adaptations; the
mentor sees the overview, takes the snapshot of the adaptations on a plan, follows the link to
the pupil's adaptations, writes the talk's record and fixes the plan. Each run picks its pupil
through the UI, so the two widths do not depend on each other."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from elevstod.conversations.demo import RECORD, SHOWCASE

from .pages import click_and_wait, heading, section

pytestmark = pytest.mark.browser

LogIn = Callable[..., None]
Check = Callable[[Any, str], None]
TALKS_LINK = "Utvecklingssamtalet och den skriftliga utvecklingsplanen"
# the demo guardian's child with the held talk: one adaptation shown to the family, one not
(SHOWN, *_), (HIDDEN, *_) = SHOWCASE


def _notice(page: Any) -> Any:
    return page.locator("main > [role=status] .notice")


def _children(page: Any) -> list[str]:
    page.goto("/")
    return [
        n.strip()
        for n in page.get_by_role("region", name="Mina barn").get_by_role("link").all_inner_texts()
    ]


def _open_talks_of(page: Any, child: str) -> None:
    page.goto("/")
    click_and_wait(
        page, page.get_by_role("region", name="Mina barn").get_by_role("link", name=child)
    )
    click_and_wait(page, page.get_by_role("link", name=TALKS_LINK))
    expect(heading(page)).to_have_text("Utvecklingssamtal")


# a time not yet booked, or one booked that can be moved
BOOK = re.compile("Boka en tid|Ändra eller avboka tiden")


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_guardian_books_a_time_prepares_and_reads_the_plan(
    new_page: Callable[[str], Any], log_in: LogIn, check_page: Check, kind: str
) -> None:
    page = new_page(kind)
    log_in(page, "vardnadshavare", step_up=False)
    children = _children(page)
    assert len(children) == 2

    # Book a free time for a child whose talk of this term is not held yet.
    for child in children:
        _open_talks_of(page, child)
        if page.get_by_role("button", name=BOOK).count():
            break
    else:
        pytest.fail("no child of the demo guardian has times to book")
    check_page(page, f"talks-family-{kind}")
    click_and_wait(page, page.get_by_role("button", name=BOOK))
    # the second run finds the time the first booked: then the page is for moving it
    expect(heading(page)).to_have_text(
        re.compile("Boka tid för utvecklingssamtalet|Flytta utvecklingssamtalet till en annan tid")
    )
    check_page(page, f"talk-book-{kind}")
    page.get_by_role("radio").last.check()
    click_and_wait(page, page.get_by_role("button", name="Boka"))
    expect(_notice(page)).to_have_text("Tiden är bokad. Mentorn har fått veta det.")
    expect(section(page, "talk-now")).to_contain_text("Klassrummet")

    # Prepare: answer the unit's questions; the answer is on the talk's page.
    click_and_wait(page, page.get_by_role("link", name="Samtalet: förberedelse och anteckningar"))
    check_page(page, f"talk-family-{kind}")
    answer_button = re.compile("Svara på frågorna|Ändra dina svar")
    click_and_wait(page, section(page, "preparation").get_by_role("button", name=answer_button))
    answer = f"Jag är bra på att rita ({kind})."
    page.get_by_label("Vad är du bra på i skolan?").fill(answer)
    check_page(page, f"talk-prepare-{kind}")
    click_and_wait(page, page.get_by_role("button", name="Spara"))
    expect(_notice(page)).to_contain_text("Dina svar är sparade.")
    expect(section(page, "preparation")).to_contain_text(answer)

    # The held talk: the family reads its record and, from it, the fixed plan.
    for child in children:
        _open_talks_of(page, child)
        fixed = section(page, "plan-now").filter(has_text="fastställd för terminen")
        if fixed.count():
            break
    else:
        pytest.fail("no child of the demo guardian has a fixed plan")
    click_and_wait(page, page.get_by_role("link", name="Samtalet: förberedelse och anteckningar"))
    expect(section(page, "record")).to_contain_text(RECORD)
    check_page(page, f"talk-record-family-{kind}")
    click_and_wait(
        page, section(page, "plan").get_by_role("link", name="Terminens utvecklingsplan")
    )
    expect(heading(page)).to_have_text("Skriftlig individuell utvecklingsplan")

    # Of the snapshot only the adaptation marked visible; beside it today's visible ones.
    efforts = section(page, "efforts")
    snapshot = efforts.locator("h3:has-text('som gällde') + ul")
    expect(snapshot).to_contain_text(SHOWN)
    expect(
        efforts.locator("h3:has-text('visas för elev och vårdnadshavare nu') + ul")
    ).to_contain_text(SHOWN)
    expect(page.locator("main")).not_to_contain_text(HIDDEN)
    expect(page.get_by_text("visas inte för elev och vårdnadshavare")).to_have_count(0)
    check_page(page, f"plan-family-{kind}")
    click_and_wait(page, efforts.get_by_role("link", name="Elevens stöd på elevens sida"))
    expect(section(page, "family-support")).to_contain_text(SHOWN)
    expect(page.locator("main")).not_to_contain_text(HIDDEN)


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_mentor_records_the_talk_snapshots_adaptations_and_fixes_the_plan(
    new_page: Callable[[str], Any], log_in: LogIn, check_page: Check, kind: str
) -> None:
    page = new_page(kind)
    log_in(page, "mentor")
    click_and_wait(page, page.get_by_role("link", name="Utvecklingssamtal och planer").first)
    expect(heading(page)).to_have_text("Utvecklingssamtal och planer")
    check_page(page, f"talks-overview-{kind}")

    # A mentee whose plan is a draft.
    row = page.locator("table.cards tbody tr").filter(has_text="utkast").first
    pupil = row.get_by_role("link").inner_text().strip()
    click_and_wait(page, row.get_by_role("link"))
    expect(page.locator("hgroup")).to_contain_text(pupil)
    check_page(page, f"talks-mentor-{kind}")
    talks_url = page.url

    # The record of the talk, with an internal note.
    click_and_wait(page, page.get_by_role("link", name="Samtalet: förberedelse och anteckningar"))
    click_and_wait(page, page.get_by_role("button", name="Skriv anteckningarna"))
    page.get_by_label("Vad vi pratade om (eleven och vårdnadshavarna läser det)").fill(
        "Vi pratade om läsningen och om målen i matematik."
    )
    page.get_by_label("Intern anteckning (bara personal)").fill("Följ upp frånvaron.")
    check_page(page, f"talk-record-{kind}")
    click_and_wait(page, page.get_by_role("button", name="Spara"))
    expect(_notice(page)).to_have_text("Anteckningarna från samtalet är sparade.")
    expect(section(page, "record")).to_contain_text("Följ upp frånvaron.")

    # The plan: a snapshot of today's adaptations, the link to them, then fix it.
    page.goto(talks_url)
    click_and_wait(page, section(page, "plan-now").get_by_role("link").first)
    expect(heading(page)).to_have_text("Skriftlig individuell utvecklingsplan")
    click_and_wait(page, page.get_by_role("button", name="Ta en ögonblicksbild av anpassningarna"))
    check_page(page, f"plan-snapshot-{kind}")
    click_and_wait(page, page.get_by_role("button", name="Ta ögonblicksbilden"))
    expect(section(page, "efforts")).to_contain_text("Extra anpassningar som gällde")
    link = page.get_by_role("link", name="Elevens aktuella extra anpassningar")
    expect(link).to_have_attribute("href", re.compile(r"/elever/\d+/#pupil-support$"))
    check_page(page, f"plan-mentor-{kind}")
    click_and_wait(page, page.get_by_role("button", name="Fastställ för terminen"))
    click_and_wait(page, page.get_by_role("button", name="Fastställ planen"))
    expect(_notice(page)).to_contain_text("Planen är fastställd för terminen.")
    expect(section(page, "versions")).to_contain_text("Version 1, fastställd")
    check_page(page, f"plan-fixed-{kind}")


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_mentor_withdraws_an_offered_time_after_confirming(
    new_page: Callable[[str], Any], log_in: LogIn, check_page: Check, kind: str
) -> None:
    page = new_page(kind)
    log_in(page, "mentor")
    click_and_wait(page, page.get_by_role("link", name="Utvecklingssamtal och planer").first)
    click_and_wait(
        page, page.locator("main p").filter(has_text="Erbjud tider").get_by_role("link").first
    )
    expect(heading(page)).to_have_text("Tider för utvecklingssamtal")
    check_page(page, f"group-times-{kind}")
    free = page.locator("table.cards tbody tr").filter(has_text="ledig").first
    click_and_wait(page, free.get_by_role("link", name=re.compile("^Ta bort tiden")))
    expect(heading(page)).to_have_text("Ta bort tiden")
    check_page(page, f"slot-withdraw-{kind}")
    click_and_wait(page, page.get_by_role("button", name="Ta bort tiden"))
    expect(_notice(page)).to_have_text("Tiden är borttagen.")
