"""The support pages in real Chromium: extra adaptations on a phone (375 px), the special support
chain on a laptop (1280 px), and refused cases.

Pages are checked with axe (WCAG 2.0/2.1 A and AA) and screenshotted to
test-artifacts/screenshots/: on the phone every page visited, and no page may scroll sideways;
in the chain each kind of page once (later states are only screenshotted). The tests share the
session's demo database with the other browser tests: each works on a pupil it picks through the
UI, so they do not depend on each other or on the order they run in.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from elevstod.support import workflow as wf

from .pages import click_and_wait, heading, section

pytestmark = pytest.mark.browser

NewPage = Callable[[str], Any]
LogIn = Callable[..., None]
Check = Callable[[Any, str], None]
Screenshot = Callable[[Any, str], Any]

SCHOOL_TZ = zoneinfo.ZoneInfo("Europe/Stockholm")
NO_SPECIAL_SUPPORT = "Inget särskilt stöd är dokumenterat."
# The form's own "required" message today; the service's more helpful text is also accepted.
NEED_REQUIRED = "Skriv det behov som setts: varför eleven behöver anpassningen."


def _today() -> dt.date:
    """The school's today (the app counts days in Europe/Stockholm)."""
    return dt.datetime.now(SCHOOL_TZ).date()


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _notice(page: Any) -> Any:
    """The status message the app shows after a save (Django messages)."""
    return page.locator("main > [role=status] .notice")


def _logged_in_name(page: Any) -> str:
    """The full name of the logged-in person, as the footer says it."""
    text = page.locator(".site-footer small").inner_text().strip()
    return text.removeprefix("Inloggad som ").strip()


def _open_first_group(page: Any) -> None:
    groups = page.get_by_role("region", name="Mina grupper").get_by_role("link")
    click_and_wait(page, groups.first)
    expect(page).to_have_url(re.compile(r"/grupper/\d+/$"))


def _group_pupils(page: Any) -> Any:
    return section(page, "group-pupils").get_by_role("link")


def _open_first_pupil_of_my_unit(page: Any, unit: str) -> str:
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


# --- 1. extra adaptations on a phone -----------------------------------------------------------


def test_teacher_writes_follows_up_and_evaluates_an_adaptation_on_a_phone(
    phone_page: Any, log_in: LogIn, check_page: Check
) -> None:
    page = phone_page
    today = _today()
    log_in(page, "larare")
    check_page(page, "support-start-larare")

    # A pupil of one of the teacher's groups, through the group page.
    _open_first_group(page)
    check_page(page, "support-group")
    pupil_link = _group_pupils(page).nth(1)
    pupil = pupil_link.inner_text().strip()
    click_and_wait(page, pupil_link)
    expect(heading(page)).to_have_text(pupil)
    pupil_url = page.url
    check_page(page, "support-pupil")

    # The need is required: the Swedish error, and the typed title is kept.
    click_and_wait(page, page.get_by_role("button", name="Ny extra anpassning"))
    expect(heading(page)).to_have_text("Ny extra anpassning")
    check_page(page, "adaptation-new")
    own_title = "Pauser under långa arbetspass"
    page.get_by_label("Vad anpassas").fill(own_title)
    click_and_wait(page, page.get_by_role("button", name="Spara"))
    expect(page.get_by_role("alert")).to_contain_text("Inget är sparat ännu")
    need = page.get_by_label("Varför: det behov som setts")
    expect(need).to_have_attribute("aria-invalid", "true")
    expect(need).to_have_accessible_description(NEED_REQUIRED)
    expect(page.get_by_label("Vad anpassas")).to_have_value(own_title)
    check_page(page, "adaptation-new-error")

    # Three steps from the pupil page: new → library entry → save.
    page.goto(pupil_url)
    click_and_wait(page, page.get_by_role("button", name="Ny extra anpassning"))
    entry = page.locator(".library-pick button").filter(has_text="Förlängd skrivtid vid prov")
    entry.click()
    expect(entry).to_have_attribute("aria-current", "true")
    title = page.get_by_label("Vad anpassas")
    expect(title).to_have_value("Förlängd skrivtid vid prov")
    check_page(page, "adaptation-new-from-library")
    need_text = "Hinner inte läsa klart uppgifterna på proven."
    page.get_by_label("Varför: det behov som setts").fill(need_text)
    click_and_wait(page, page.get_by_role("button", name="Spara"))
    expect(page).to_have_url(re.compile(r"/anpassningar/\d+/$"))
    expect(_notice(page)).to_have_text("Den extra anpassningen sparades.")
    expect(heading(page)).to_have_text("Förlängd skrivtid vid prov")
    expect(page.locator("dl.details")).to_contain_text(need_text)
    adaptation_url = page.url
    check_page(page, "adaptation")

    # Follow up.
    next_follow_up = today + dt.timedelta(days=14)
    click_and_wait(page, page.get_by_role("button", name="Följ upp"))
    expect(heading(page)).to_contain_text("Följ upp")
    expect(page.get_by_label("Datum")).to_have_value(_iso(today))
    page.get_by_label("Vad såg du?").fill("Blev klar med hela provet i lugn och ro.")
    page.get_by_label("fungerar delvis").check()
    page.get_by_label("Nästa uppföljning").fill(_iso(next_follow_up))
    check_page(page, "adaptation-follow-up")
    click_and_wait(page, page.get_by_role("button", name="Spara"))
    expect(page).to_have_url(adaptation_url)
    expect(_notice(page)).to_have_text("Uppföljningen sparades.")
    follow_ups = section(page, "follow-ups")
    expect(follow_ups).to_contain_text(f"{_iso(today)} · fungerar delvis")
    expect(follow_ups).to_contain_text("Blev klar med hela provet i lugn och ro.")
    expect(page.locator("dl.details")).to_contain_text(_iso(next_follow_up))

    # Evaluate: it works, go on as it is, with a next follow-up.
    after_evaluation = today + dt.timedelta(days=42)
    click_and_wait(page, page.get_by_role("button", name="Utvärdera"))
    expect(heading(page)).to_contain_text("Utvärdera")
    page.get_by_label("Resultat").fill("Resultaten på proven har blivit jämnare.")
    page.get_by_label("fungerar bra").check()
    page.get_by_label("fortsätt som nu").check()
    page.get_by_label("Nästa uppföljning").fill(_iso(after_evaluation))
    check_page(page, "adaptation-evaluate")
    click_and_wait(page, page.get_by_role("button", name="Spara"))
    expect(page).to_have_url(adaptation_url)
    expect(_notice(page)).to_have_text("Utvärderingen sparades.")
    evaluations = section(page, "evaluations")
    expect(evaluations).to_contain_text(f"{_iso(today)} · fungerar bra · fortsätt som nu")
    expect(evaluations).to_contain_text("Resultaten på proven har blivit jämnare.")
    expect(page.locator("dl.details")).to_contain_text(_iso(after_evaluation))
    expect(page.locator("hgroup")).to_contain_text("pågående")
    check_page(page, "adaptation-followed-up-and-evaluated")

    # The pupil page lists it.
    page.goto(pupil_url)
    expect(section(page, "pupil-support")).to_contain_text("Förlängd skrivtid vid prov")


# --- 2. the special support chain on a laptop --------------------------------------------------


def _pupil_without_special_support(page: Any) -> tuple[str, str]:
    """From the teacher's first group, the first pupil whose page documents no special support."""
    _open_first_group(page)
    group_url = page.url
    names = [name.strip() for name in _group_pupils(page).all_inner_texts()]
    for name in reversed(names):  # the demo's cases are spread over the list; start at the end
        click_and_wait(page, _group_pupils(page).filter(has_text=name).first)
        special = section(page, "pupil-special")
        expect(special).to_be_visible()
        if NO_SPECIAL_SUPPORT in special.inner_text():
            return name, page.url
        page.goto(group_url)
    pytest.fail(f"every pupil of {group_url} already has special support documented")


def _open_unit_special_support(page: Any) -> None:
    page.goto("/")
    units = page.get_by_role("region", name="Mina skolenheter")
    click_and_wait(page, units.get_by_role("link", name="Ekbackens skola"))
    expect(heading(page)).to_have_text("Ekbackens skola")
    click_and_wait(page, page.get_by_role("link", name="Särskilt stöd", exact=True))
    expect(heading(page)).to_have_text("Särskilt stöd")


def _definition(page: Any, term: str) -> Any:
    """The ``<dd>`` of ``term`` in the page's details list."""
    return page.locator(f'dl.details dt:text-is("{term}") + dd')


def _pick_staff(select: Any, name: str) -> None:
    """Choose ``name`` in a staff picker, whose options also say role and unit."""
    option = select.locator("option", has_text=f"{name}, ")
    expect(option).to_have_count(1)
    label = option.inner_text().strip()
    assert label.endswith(", Ekbackens skola"), label
    select.select_option(label=label)


def _programme_state(page: Any) -> Any:
    return page.locator("hgroup p strong")


def test_special_support_chain_from_report_to_a_renewed_programme(
    new_page: NewPage, log_in: LogIn, check_page: Check, save_screenshot: Screenshot
) -> None:
    """Each kind of page is checked once (axe, screenshot); later states only screenshotted."""
    today = _today()
    teacher, principal, investigator = new_page("desktop"), new_page("desktop"), new_page("desktop")
    log_in(teacher, "larare")
    log_in(principal, "rektor")
    log_in(investigator, "specialpedagog")
    teacher_name = _logged_in_name(teacher)
    investigator_name = _logged_in_name(investigator)

    # The teacher reports a pupil without special support to the principal.
    pupil, pupil_url = _pupil_without_special_support(teacher)
    click_and_wait(teacher, teacher.get_by_role("button", name="Anmälan till rektor"))
    expect(heading(teacher)).to_have_text("Anmälan till rektor")
    teacher.get_by_label("Vad som har prövats").fill(
        "Förlängd skrivtid och uppdelade uppgifter sedan augusti."
    )
    teacher.get_by_label("Varför det inte räcker").fill(
        "Eleven når fortfarande inte kunskapskraven i matematik."
    )
    check_page(teacher, "chain-referral-form")
    click_and_wait(teacher, teacher.get_by_role("button", name="Skicka till rektor"))
    expect(teacher).to_have_url(re.compile(r"/anmalningar/\d+/$"))
    expect(_notice(teacher)).to_have_text("Anmälan skickades till rektor.")
    expect(teacher.locator(".notice-warning")).to_have_text("Väntar på rektor: 0 dagar.")
    check_page(teacher, "chain-referral")

    # The principal sees it on the unit's special support page, with its waiting time.
    _open_unit_special_support(principal)
    waiting = section(principal, "u-ref").get_by_role("listitem").filter(has_text=pupil)
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(f"väntat 0 dagar · {teacher_name}")
    check_page(principal, "chain-unit-special-support")
    click_and_wait(principal, waiting.get_by_role("link", name=pupil))
    click_and_wait(principal, principal.get_by_role("button", name="Starta en utredning"))
    expect(heading(principal)).to_have_text("Starta en utredning")
    investigator_box = principal.get_by_label(investigator_name)
    expect(investigator_box).to_have_accessible_name(
        f"{investigator_name}, specialpedagog, Ekbackens skola"
    )
    investigator_box.check()
    principal.get_by_label("Planerat beslutsdatum").fill(_iso(today + dt.timedelta(days=30)))
    check_page(principal, "chain-investigation-new")
    click_and_wait(principal, principal.get_by_role("button", name="Start", exact=True))
    expect(principal).to_have_url(re.compile(r"/utredningar/\d+/$"))
    expect(_notice(principal)).to_have_text("Utredningen startades.")
    expect(principal.locator("main")).to_contain_text(f"Utredare: {investigator_name}.")
    investigation_url = principal.url

    # The special educator writes the mapping and the assessment.
    _open_unit_special_support(investigator)
    click_and_wait(investigator, section(investigator, "u-inv").get_by_role("link", name=pupil))
    expect(investigator).to_have_url(investigation_url)
    form = section(investigator, "inv-content")
    form.get_by_label("Kartläggning: individnivå").fill(
        "Läser långsamt; tappar fokus efter 10 min."
    )
    form.get_by_label("Kartläggning: gruppnivå").fill("Stor grupp med mycket ljud.")
    form.get_by_label("Kartläggning: skolnivå").fill("Ingen tillgång till lugnt rum i dag.")
    form.get_by_label("Pedagogisk bedömning").fill("Behöver särskilt stöd i matematik.")
    form.get_by_label("Har elevhälsan konsulterats?").select_option(label="ja")
    check_page(investigator, "chain-investigation")
    click_and_wait(investigator, form.get_by_role("button", name="Spara"))
    expect(_notice(investigator)).to_have_text("Utredningen sparades.")
    expect(form.get_by_label("Pedagogisk bedömning")).to_have_value(
        "Behöver särskilt stöd i matematik."
    )

    # The principal: an action programme shall be drawn up.
    principal.reload()
    click_and_wait(
        principal, principal.get_by_role("button", name="Ett åtgärdsprogram ska utarbetas")
    )
    expect(principal).to_have_url(re.compile(r"/atgardsprogram/\d+/$"))
    expect(_notice(principal)).to_have_text("Ett åtgärdsprogram utarbetas.")
    expect(_programme_state(principal)).to_have_text("utkast")
    programme_url = principal.url

    # The teacher finds the draft on the pupil page, writes it and submits it for decision.
    teacher.goto(pupil_url)
    click_and_wait(
        teacher, section(teacher, "pupil-special").get_by_role("link", name="Åtgärdsprogram")
    )
    expect(teacher).to_have_url(programme_url)
    check_page(teacher, "chain-programme-draft")
    click_and_wait(teacher, teacher.get_by_role("button", name="Redigera"))
    expect(heading(teacher)).to_have_text("Redigera åtgärdsprogram")
    teacher.get_by_label("Elevens behov av särskilt stöd").fill(
        "Stöd att förstå och minnas nya begrepp i matematik."
    )
    measure = teacher.locator("fieldset.measure").first
    measure.get_by_label("Åtgärd").fill("Enskild genomgång av nya begrepp")
    measure.get_by_label("Hur").fill("Med konkret material, före genomgången i klassen")
    measure.get_by_label("Omfattning").fill("20 minuter två gånger i veckan")
    _pick_staff(measure.get_by_label("Ansvarig"), teacher_name)
    teacher.get_by_label("När åtgärderna följs upp").fill("Varannan vecka, på mentorstid")
    _pick_staff(teacher.get_by_label("Ansvarig för uppföljning"), teacher_name)
    evaluation_date = today + dt.timedelta(days=90)
    teacher.get_by_label("Utvärderingsdatum").fill(_iso(evaluation_date))
    _pick_staff(teacher.get_by_label("Ansvarig för utvärdering"), teacher_name)
    check_page(teacher, "chain-programme-form")
    click_and_wait(teacher, teacher.get_by_role("button", name="Spara"))
    expect(_notice(teacher)).to_have_text("Åtgärdsprogrammet sparades.")
    measures = section(teacher, "p-measures")
    expect(measures).to_contain_text("Enskild genomgång av nya begrepp")
    expect(measures).to_contain_text(teacher_name)
    click_and_wait(teacher, teacher.get_by_role("button", name="Lämna för beslut"))
    expect(_notice(teacher)).to_have_text("Åtgärdsprogrammet lämnades för beslut.")
    expect(_programme_state(teacher)).to_have_text("lämnat för beslut")

    # The principal decides it, with reasons.
    _open_unit_special_support(principal)
    click_and_wait(principal, section(principal, "u-dec").get_by_role("link", name=pupil))
    expect(principal).to_have_url(programme_url)
    decide = section(principal, "p-decide")
    decide.get_by_label("Motivering av beslutet").fill(
        "Utredningen visar att eleven behöver särskilt stöd i matematik."
    )
    expect(decide.get_by_label("Beslutsdatum")).to_have_value(_iso(today))
    save_screenshot(principal, "chain-programme-submitted-1280")
    click_and_wait(principal, decide.get_by_role("button", name="Besluta"))
    expect(_notice(principal)).to_have_text("Åtgärdsprogrammet beslutades.")
    expect(_programme_state(principal)).to_have_text("beslutat, pågår")

    # The decision page: how to appeal, and the notification of a guardian.
    click_and_wait(
        principal,
        section(principal, "p-decisions").get_by_role("link", name="Beslut om åtgärdsprogram"),
    )
    expect(principal).to_have_url(re.compile(r"/beslut/\d+/$"))
    expect(heading(principal)).to_have_text("Beslut om åtgärdsprogram")
    expect(principal.get_by_role("heading", name="Hur man överklagar")).to_be_visible()
    expect(section(principal, "d-appeal")).to_contain_text("Skolväsendets överklagandenämnd")
    check_page(principal, "chain-decision")
    parties = section(principal, "d-parties")
    party = parties.get_by_label("Part")
    if party.locator("option").first.get_attribute("value") == "":
        party.select_option(index=1)  # two guardians: choose; with one it is chosen already
    guardian = party.locator("option:checked").inner_text().strip()
    parties.get_by_label("Delgiven den").fill(_iso(today))
    parties.get_by_label("Hur").select_option(label="med brev")
    click_and_wait(principal, parties.get_by_role("button", name="Registrera delgivning"))
    expect(_notice(principal)).to_have_text("Delgivningen av parten registrerades.")
    last_day = _iso(wf.appeal_last_day(today))  # three weeks, past weekends and holidays
    expect(parties.get_by_role("listitem").filter(has_text=guardian)).to_contain_text(
        f"{guardian}: delgiven {_iso(today)} (med brev) · sista dag att överklaga {last_day}"
    )
    save_screenshot(principal, "chain-decision-notified-1280")

    # The guardian appeals in time; the principal registers the appeal and forwards it.
    appeals = section(principal, "d-appeals")
    appeals.locator("summary", has_text="Registrera ett överklagande").click()
    appeals.get_by_label("Från vem").select_option(label=guardian)
    expect(appeals.get_by_label("Inkom den")).to_have_value(_iso(today))
    click_and_wait(principal, appeals.get_by_role("button", name="Registrera"))
    expect(principal).to_have_url(re.compile(r"/overklaganden/\d+/$"))
    expect(_notice(principal)).to_have_text("Överklagandet registrerades.")
    expect(_definition(principal, "I rätt tid?")).to_have_text(f"Ja (sista dag {last_day})")
    expect(principal.locator("hgroup strong")).to_have_text("inkommet")
    check_page(principal, "chain-appeal")
    forward = section(principal, "a-forward")
    expect(forward.get_by_label("Överlämnat den")).to_have_value(_iso(today))
    click_and_wait(principal, forward.get_by_role("button", name="Överlämna"))
    expect(_notice(principal)).to_have_text("Sparat.")
    expect(principal.locator("hgroup strong")).to_have_text(
        "överlämnat till Skolväsendets överklagandenämnd"
    )
    expect(_definition(principal, "Överlämnat till Skolväsendets överklagandenämnd")).to_have_text(
        _iso(today)
    )
    save_screenshot(principal, "chain-appeal-forwarded-1280")

    # The teacher, responsible for follow-up and evaluation, follows up and evaluates once.
    teacher.goto(programme_url)
    follow = section(teacher, "p-follow")
    follow.locator("textarea[name=fu-text]").fill(
        "Begreppen sitter bättre; fortsätter som planerat."
    )
    click_and_wait(teacher, follow.get_by_role("button", name="Spara uppföljning"))
    expect(_notice(teacher)).to_have_text("Uppföljningen sparades.")
    expect(section(teacher, "p-fus")).to_contain_text(
        "Begreppen sitter bättre; fortsätter som planerat."
    )
    evaluate = teacher.locator("details", has_text="Utvärdera (en gång per åtgärdsprogram)")
    evaluate.locator("summary").click()
    evaluate.locator("textarea[name=ev-text]").fill("Behovet av stöd i matematik kvarstår.")
    evaluate.get_by_label("Behovet av särskilt stöd kvarstår").check()
    check_page(teacher, "chain-programme-evaluate")
    click_and_wait(teacher, evaluate.get_by_role("button", name="Spara utvärdering"))
    expect(_notice(teacher)).to_have_text("Utvärderingen sparades.")
    expect(_programme_state(teacher)).to_have_text("utvärderat")
    expect(section(teacher, "p-eval")).to_contain_text("Behovet av särskilt stöd kvarstår.")
    expect(teacher.get_by_text("Utvärdera (en gång per åtgärdsprogram)")).to_have_count(0)

    # The principal asks for a new programme as a copy, and confirms before it is made.
    principal.goto(programme_url)
    click_and_wait(principal, principal.get_by_role("button", name="Nytt åtgärdsprogram (kopia)"))
    expect(principal).to_have_url(re.compile(r"/atgardsprogram/\d+/nytt/$"))
    expect(heading(principal)).to_have_text("Nytt åtgärdsprogram")
    expect(principal.locator("main")).to_contain_text(
        "Det här åtgärdsprogrammet gäller tills det nya åtgärdsprogrammet är beslutat."
    )
    check_page(principal, "chain-programme-renew-confirm")
    click_and_wait(
        principal, principal.get_by_role("button", name="Ja, utarbeta ett nytt åtgärdsprogram")
    )
    expect(principal).not_to_have_url(programme_url)
    expect(principal).to_have_url(re.compile(r"/atgardsprogram/\d+/$"))
    copy_url = principal.url
    expect(_notice(principal)).to_have_text(
        "Ett nytt åtgärdsprogram skapades som en kopia. Det behöver ett eget beslut."
    )
    expect(_programme_state(principal)).to_have_text("utkast")
    expect(section(principal, "p-measures")).to_contain_text("Enskild genomgång av nya begrepp")
    expect(section(principal, "p-decisions")).to_contain_text("Inget beslut ännu.")
    expect(principal.get_by_role("button", name="Kassera utkastet")).to_be_visible()
    save_screenshot(principal, "chain-programme-renewed-1280")

    # Until the copy is decided, the old programme is the one in force.
    in_force = "gäller tills det nya åtgärdsprogrammet är beslutat"
    click_and_wait(principal, principal.get_by_role("link", name="föregående åtgärdsprogram"))
    expect(principal).to_have_url(programme_url)
    expect(_programme_state(principal)).to_have_text(in_force)
    expect(principal.locator("#p-renewal")).to_contain_text(
        "Det här åtgärdsprogrammet gäller tills det nya åtgärdsprogrammet är beslutat."
    )
    principal.goto(pupil_url)
    expect(section(principal, "pupil-special")).to_contain_text(in_force)

    # The principal decides the copy: in the same step the old programme is replaced.
    principal.goto(copy_url)
    decide = section(principal, "p-decide")
    decide.get_by_label("Motivering av beslutet").fill("Utvärderingen visar att behovet kvarstår.")
    click_and_wait(principal, decide.get_by_role("button", name="Besluta"))
    expect(_notice(principal)).to_have_text("Åtgärdsprogrammet beslutades.")
    expect(_programme_state(principal)).to_have_text("beslutat, pågår")
    click_and_wait(principal, principal.get_by_role("link", name="föregående åtgärdsprogram"))
    expect(principal).to_have_url(programme_url)
    expect(_programme_state(principal)).to_have_text("ersatt av ett nytt åtgärdsprogram")
    save_screenshot(principal, "chain-programme-replaced-1280")


# --- 3. refused next to allowed ----------------------------------------------------------------


def test_refused_cases_next_to_the_allowed_ones(
    new_page: NewPage, log_in: LogIn, check_page: Check
) -> None:
    teacher, principal, other_principal = (new_page("desktop") for _ in range(3))
    log_in(teacher, "larare")
    log_in(principal, "rektor")
    log_in(other_principal, "rektor2")

    # Allowed: the principal starts an investigation of one of the teacher's pupils.
    _open_first_group(teacher)
    pupil = _group_pupils(teacher).first.inner_text().strip()
    click_and_wait(teacher, _group_pupils(teacher).first)
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
    other_pupil_url = _open_first_pupil_of_my_unit(other_principal, "Björkängsskolan")
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
