"""The special support chain in real Chromium on a laptop (1280 px), from the teacher's report
to a renewed action programme. Each kind of page is checked once with axe and screenshotted;
later states are only screenshotted."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import expect

from elevstod.support import workflow as wf

from .pages import click_and_wait, heading, section
from .support_pages import (
    Check,
    LogIn,
    NewPage,
    Screenshot,
    definition,
    iso,
    logged_in_name,
    notice,
    open_unit_special_support,
    pick_staff,
    programme_state,
    pupil_without_special_support,
    school_today,
)

pytestmark = pytest.mark.browser


@dataclass
class Chain:
    """The people of the chain (each in their own browser), and what the steps found."""

    teacher: Any
    principal: Any
    investigator: Any
    check_page: Check
    save_screenshot: Screenshot
    today: dt.date = field(default_factory=school_today)
    pupil: str = ""
    pupil_url: str = ""
    programme_url: str = ""


def test_special_support_chain_from_report_to_a_renewed_programme(
    new_page: NewPage, log_in: LogIn, check_page: Check, save_screenshot: Screenshot
) -> None:
    """Each kind of page is checked once (axe, screenshot); later states only screenshotted."""
    pages = {user: new_page("desktop") for user in ("larare", "rektor", "specialpedagog")}
    for user, page in pages.items():
        log_in(page, user)
    c = Chain(*pages.values(), check_page=check_page, save_screenshot=save_screenshot)
    _report_and_investigate(c)
    _draft_and_submit(c)
    guardian, last_day = _decide_and_notify(c)
    _appeal_and_forward(c, guardian, last_day)
    _follow_up_and_evaluate(c)
    _renew_and_decide_the_copy(c)


def _report_and_investigate(c: Chain) -> None:
    """The teacher reports a pupil; the principal starts an investigation, the special educator
    writes it, and the principal concludes that a programme shall be drawn up."""
    teacher_name = logged_in_name(c.teacher)
    investigator_name = logged_in_name(c.investigator)
    # The teacher reports a pupil without special support to the principal.
    pupil, pupil_url = pupil_without_special_support(c.teacher)
    click_and_wait(c.teacher, c.teacher.get_by_role("button", name="Anmälan till rektor"))
    expect(heading(c.teacher)).to_have_text("Anmälan till rektor")
    c.teacher.get_by_label("Vad som mer har prövats").fill(
        "Förlängd skrivtid och uppdelade uppgifter sedan augusti."
    )
    c.teacher.get_by_label("Varför det inte räcker").fill(
        "Eleven når fortfarande inte kunskapskraven i matematik."
    )
    c.check_page(c.teacher, "chain-referral-form")
    click_and_wait(c.teacher, c.teacher.get_by_role("button", name="Skicka till rektor"))
    expect(c.teacher).to_have_url(re.compile(r"/anmalningar/\d+/$"))
    expect(notice(c.teacher)).to_have_text("Anmälan skickades till rektor.")
    expect(c.teacher.locator(".notice-warning")).to_have_text("Väntar på rektor: 0 dagar.")
    c.check_page(c.teacher, "chain-referral")

    # The principal sees it on the unit's special support page, with its waiting time.
    open_unit_special_support(c.principal)
    waiting = section(c.principal, "u-ref").get_by_role("listitem").filter(has_text=pupil)
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(f"väntat 0 dagar · {teacher_name}")
    c.check_page(c.principal, "chain-unit-special-support")
    click_and_wait(c.principal, waiting.get_by_role("link", name=pupil))
    click_and_wait(c.principal, c.principal.get_by_role("button", name="Starta en utredning"))
    expect(heading(c.principal)).to_have_text("Starta en utredning")
    investigator_box = c.principal.get_by_label(investigator_name)
    expect(investigator_box).to_have_accessible_name(
        f"{investigator_name}, specialpedagog, Ekbackens skola"
    )
    investigator_box.check()
    c.principal.get_by_label("Planerat beslutsdatum").fill(iso(c.today + dt.timedelta(days=30)))
    c.check_page(c.principal, "chain-investigation-new")
    click_and_wait(c.principal, c.principal.get_by_role("button", name="Start", exact=True))
    expect(c.principal).to_have_url(re.compile(r"/utredningar/\d+/$"))
    expect(notice(c.principal)).to_have_text("Utredningen startades.")
    expect(c.principal.locator("main")).to_contain_text(f"Utredare: {investigator_name}.")
    investigation_url = c.principal.url

    # The special educator writes the mapping and the assessment.
    open_unit_special_support(c.investigator)
    click_and_wait(c.investigator, section(c.investigator, "u-inv").get_by_role("link", name=pupil))
    expect(c.investigator).to_have_url(investigation_url)
    form = section(c.investigator, "inv-content")
    form.get_by_label("Kartläggning: individnivå").fill(
        "Läser långsamt; tappar fokus efter 10 min."
    )
    form.get_by_label("Kartläggning: gruppnivå").fill("Stor grupp med mycket ljud.")
    form.get_by_label("Kartläggning: skolnivå").fill("Ingen tillgång till lugnt rum i dag.")
    form.get_by_label("Pedagogisk bedömning").fill("Behöver särskilt stöd i matematik.")
    form.get_by_label("Har elevhälsan konsulterats?").select_option(label="ja")
    c.check_page(c.investigator, "chain-investigation")
    click_and_wait(c.investigator, form.get_by_role("button", name="Spara"))
    expect(notice(c.investigator)).to_have_text("Utredningen sparades.")
    expect(form.get_by_label("Pedagogisk bedömning")).to_have_value(
        "Behöver särskilt stöd i matematik."
    )

    # The principal: an action programme shall be drawn up.
    c.principal.reload()
    click_and_wait(
        c.principal, c.principal.get_by_role("button", name="Ett åtgärdsprogram ska utarbetas")
    )
    expect(c.principal).to_have_url(re.compile(r"/atgardsprogram/\d+/$"))
    expect(notice(c.principal)).to_have_text("Ett åtgärdsprogram utarbetas.")
    expect(programme_state(c.principal)).to_have_text("utkast")
    programme_url = c.principal.url
    c.pupil, c.pupil_url, c.programme_url = pupil, pupil_url, programme_url


def _draft_and_submit(c: Chain) -> None:
    teacher_name = logged_in_name(c.teacher)
    # The teacher finds the draft on the pupil page, writes it and submits it for decision.
    c.teacher.goto(c.pupil_url)
    click_and_wait(
        c.teacher, section(c.teacher, "pupil-special").get_by_role("link", name="Åtgärdsprogram")
    )
    expect(c.teacher).to_have_url(c.programme_url)
    c.check_page(c.teacher, "chain-programme-draft")
    click_and_wait(c.teacher, c.teacher.get_by_role("button", name="Redigera"))
    expect(heading(c.teacher)).to_have_text("Redigera åtgärdsprogram")
    c.teacher.get_by_label("Elevens behov av särskilt stöd").fill(
        "Stöd att förstå och minnas nya begrepp i matematik."
    )
    measure = c.teacher.locator("fieldset.measure").first
    measure.get_by_label("Åtgärd").fill("Enskild genomgång av nya begrepp")
    measure.get_by_label("Hur").fill("Med konkret material, före genomgången i klassen")
    measure.get_by_label("Omfattning").fill("20 minuter två gånger i veckan")
    pick_staff(measure.get_by_label("Ansvarig"), teacher_name)
    c.teacher.get_by_label("När åtgärderna följs upp").fill("Varannan vecka, på mentorstid")
    pick_staff(c.teacher.get_by_label("Ansvarig för uppföljning"), teacher_name)
    evaluation_date = c.today + dt.timedelta(days=90)
    c.teacher.get_by_label("Utvärderingsdatum").fill(iso(evaluation_date))
    pick_staff(c.teacher.get_by_label("Ansvarig för utvärdering"), teacher_name)
    c.check_page(c.teacher, "chain-programme-form")
    click_and_wait(c.teacher, c.teacher.get_by_role("button", name="Spara"))
    expect(notice(c.teacher)).to_have_text("Åtgärdsprogrammet sparades.")
    measures = section(c.teacher, "p-measures")
    expect(measures).to_contain_text("Enskild genomgång av nya begrepp")
    expect(measures).to_contain_text(teacher_name)
    click_and_wait(c.teacher, c.teacher.get_by_role("button", name="Lämna för beslut"))
    expect(notice(c.teacher)).to_have_text("Åtgärdsprogrammet lämnades för beslut.")
    expect(programme_state(c.teacher)).to_have_text("lämnat för beslut")


def _decide_and_notify(c: Chain) -> tuple[str, str]:
    """The principal decides; a guardian is notified. Returns the guardian and the last day to
    appeal."""
    # The principal decides it, with reasons.
    open_unit_special_support(c.principal)
    click_and_wait(c.principal, section(c.principal, "u-dec").get_by_role("link", name=c.pupil))
    expect(c.principal).to_have_url(c.programme_url)
    decide = section(c.principal, "p-decide")
    decide.get_by_label("Motivering av beslutet").fill(
        "Utredningen visar att eleven behöver särskilt stöd i matematik."
    )
    expect(decide.get_by_label("Beslutsdatum")).to_have_value(iso(c.today))
    c.save_screenshot(c.principal, "chain-programme-submitted-1280")
    click_and_wait(c.principal, decide.get_by_role("button", name="Besluta"))
    expect(notice(c.principal)).to_have_text("Åtgärdsprogrammet beslutades.")
    expect(programme_state(c.principal)).to_have_text("beslutat, pågår")

    # The decision page: how to appeal, and the notification of a guardian.
    click_and_wait(
        c.principal,
        section(c.principal, "p-decisions").get_by_role("link", name="Beslut om åtgärdsprogram"),
    )
    expect(c.principal).to_have_url(re.compile(r"/beslut/\d+/$"))
    expect(heading(c.principal)).to_have_text("Beslut om åtgärdsprogram")
    expect(c.principal.get_by_role("heading", name="Hur man överklagar")).to_be_visible()
    expect(section(c.principal, "d-appeal")).to_contain_text("Skolväsendets överklagandenämnd")
    c.check_page(c.principal, "chain-decision")
    parties = section(c.principal, "d-parties")
    party = parties.get_by_label("Part")
    if party.locator("option").first.get_attribute("value") == "":
        party.select_option(index=1)  # two guardians: choose; with one it is chosen already
    guardian = party.locator("option:checked").inner_text().strip()
    parties.get_by_label("Underrättad den").fill(iso(c.today))
    parties.get_by_label("Hur").select_option(label="med brev")
    click_and_wait(c.principal, parties.get_by_role("button", name="Registrera underrättelse"))
    expect(notice(c.principal)).to_have_text("Underrättelsen av parten registrerades.")
    last_day = iso(wf.appeal_last_day(c.today))  # three weeks, past weekends and holidays
    expect(parties.get_by_role("listitem").filter(has_text=guardian)).to_contain_text(
        f"{guardian}: underrättad {iso(c.today)} (med brev) · sista dag att överklaga {last_day}"
    )
    c.save_screenshot(c.principal, "chain-decision-notified-1280")
    return guardian, last_day


def _appeal_and_forward(c: Chain, guardian: str, last_day: str) -> None:
    # The guardian appeals in time; the principal registers the appeal and forwards it.
    appeals = section(c.principal, "d-appeals")
    appeals.locator("summary", has_text="Registrera ett överklagande").click()
    appeals.get_by_label("Från vem").select_option(label=guardian)
    expect(appeals.get_by_label("Inkom den")).to_have_value(iso(c.today))
    click_and_wait(c.principal, appeals.get_by_role("button", name="Registrera"))
    expect(c.principal).to_have_url(re.compile(r"/overklaganden/\d+/$"))
    expect(notice(c.principal)).to_have_text("Överklagandet registrerades.")
    expect(definition(c.principal, "I rätt tid?")).to_have_text(f"Ja (sista dag {last_day})")
    expect(c.principal.locator("hgroup strong")).to_have_text("inkommet")
    c.check_page(c.principal, "chain-appeal")
    forward = section(c.principal, "a-forward")
    expect(forward.get_by_label("Överlämnat den")).to_have_value(iso(c.today))
    click_and_wait(c.principal, forward.get_by_role("button", name="Överlämna"))
    expect(notice(c.principal)).to_have_text("Sparat.")
    expect(c.principal.locator("hgroup strong")).to_have_text(
        "överlämnat till Skolväsendets överklagandenämnd"
    )
    expect(definition(c.principal, "Överlämnat till Skolväsendets överklagandenämnd")).to_have_text(
        iso(c.today)
    )
    c.save_screenshot(c.principal, "chain-appeal-forwarded-1280")


def _follow_up_and_evaluate(c: Chain) -> None:
    # The teacher, responsible for follow-up and evaluation, follows up and evaluates once.
    c.teacher.goto(c.programme_url)
    follow = section(c.teacher, "p-follow")
    follow.locator("textarea[name=fu-text]").fill(
        "Begreppen sitter bättre; fortsätter som planerat."
    )
    click_and_wait(c.teacher, follow.get_by_role("button", name="Spara uppföljning"))
    expect(notice(c.teacher)).to_have_text("Uppföljningen sparades.")
    expect(section(c.teacher, "p-fus")).to_contain_text(
        "Begreppen sitter bättre; fortsätter som planerat."
    )
    evaluate = c.teacher.locator("details", has_text="Utvärdera (en gång per åtgärdsprogram)")
    evaluate.locator("summary").click()
    evaluate.locator("textarea[name=ev-text]").fill("Behovet av stöd i matematik kvarstår.")
    evaluate.get_by_label("Behovet av särskilt stöd kvarstår").check()
    c.check_page(c.teacher, "chain-programme-evaluate")
    click_and_wait(c.teacher, evaluate.get_by_role("button", name="Spara utvärdering"))
    expect(notice(c.teacher)).to_have_text("Utvärderingen sparades.")
    expect(programme_state(c.teacher)).to_have_text("utvärderat")
    expect(section(c.teacher, "p-eval")).to_contain_text("Behovet av särskilt stöd kvarstår.")
    expect(c.teacher.get_by_text("Utvärdera (en gång per åtgärdsprogram)")).to_have_count(0)


def _renew_and_decide_the_copy(c: Chain) -> None:
    # The principal asks for a new programme as a copy, and confirms before it is made.
    c.principal.goto(c.programme_url)
    click_and_wait(
        c.principal, c.principal.get_by_role("button", name="Nytt åtgärdsprogram (kopia)")
    )
    expect(c.principal).to_have_url(re.compile(r"/atgardsprogram/\d+/nytt/$"))
    expect(heading(c.principal)).to_have_text("Nytt åtgärdsprogram")
    expect(c.principal.locator("main")).to_contain_text(
        "Det här åtgärdsprogrammet gäller tills det nya åtgärdsprogrammet är beslutat."
    )
    c.check_page(c.principal, "chain-programme-renew-confirm")
    click_and_wait(
        c.principal, c.principal.get_by_role("button", name="Ja, utarbeta ett nytt åtgärdsprogram")
    )
    expect(c.principal).not_to_have_url(c.programme_url)
    expect(c.principal).to_have_url(re.compile(r"/atgardsprogram/\d+/$"))
    copy_url = c.principal.url
    expect(notice(c.principal)).to_have_text(
        "Ett nytt åtgärdsprogram skapades som en kopia. Det behöver ett eget beslut."
    )
    expect(programme_state(c.principal)).to_have_text("utkast")
    expect(section(c.principal, "p-measures")).to_contain_text("Enskild genomgång av nya begrepp")
    expect(section(c.principal, "p-decisions")).to_contain_text("Inget beslut ännu.")
    expect(c.principal.get_by_role("button", name="Kassera utkastet")).to_be_visible()
    c.save_screenshot(c.principal, "chain-programme-renewed-1280")

    # Until the copy is decided, the old programme is the one in force.
    in_force = "gäller tills det nya åtgärdsprogrammet är beslutat"
    click_and_wait(c.principal, c.principal.get_by_role("link", name="föregående åtgärdsprogram"))
    expect(c.principal).to_have_url(c.programme_url)
    expect(programme_state(c.principal)).to_have_text(in_force)
    expect(c.principal.locator("#p-renewal")).to_contain_text(
        "Det här åtgärdsprogrammet gäller tills det nya åtgärdsprogrammet är beslutat."
    )
    c.principal.goto(c.pupil_url)
    expect(section(c.principal, "pupil-special")).to_contain_text(in_force)

    # The principal decides the copy: in the same step the old programme is replaced.
    c.principal.goto(copy_url)
    decide = section(c.principal, "p-decide")
    decide.get_by_label("Motivering av beslutet").fill("Utvärderingen visar att behovet kvarstår.")
    click_and_wait(c.principal, decide.get_by_role("button", name="Besluta"))
    expect(notice(c.principal)).to_have_text("Åtgärdsprogrammet beslutades.")
    expect(programme_state(c.principal)).to_have_text("beslutat, pågår")
    click_and_wait(c.principal, c.principal.get_by_role("link", name="föregående åtgärdsprogram"))
    expect(c.principal).to_have_url(c.programme_url)
    expect(programme_state(c.principal)).to_have_text("ersatt av ett nytt åtgärdsprogram")
    c.save_screenshot(c.principal, "chain-programme-replaced-1280")
