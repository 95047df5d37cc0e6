"""Every kind of decision as an accessible PDF: who decided and under which paragraph, the
reasons (FL 32 §), how to appeal (FL 33 §) or that it cannot be appealed, and for each party
when they were notified and the last day to appeal (FL 44 §)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.core.timeutil import today
from elevstod.documents import render
from elevstod.support import workflow as wf
from elevstod.support.models import Decision
from elevstod.support.services import appeals, investigations, programmes, support_forms
from elevstod.support.texts import appeal_instructions_for
from tests.builders import completed_investigation, page

from .pdf import assert_tagged_pdf_ua, pdf_text

pytestmark = pytest.mark.django_db


def _text(client, decision: Decision, title: str) -> str:
    response = client.get(reverse("documents:decision_pdf", args=[decision.pk]))
    assert response.status_code == 200
    assert_tagged_pdf_ua(response.content, lang="sv-SE", title=title)
    return pdf_text(response.content)


def _appeal_instructions(cast) -> str:
    return " ".join(appeal_instructions_for(cast.unit_a1).split())


def test_a_decision_not_to_draw_up_a_programme_gives_its_reasons_and_how_to_appeal(client, cast):
    inv = completed_investigation(cast)
    investigations.investigation_conclude_without_programme(
        actor=cast.principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        reasons="Extra anpassningar räcker.",
        decided_on=today(),
    )
    decision = Decision.objects.get(kind=wf.DecisionKind.NO_PROGRAMME)
    client.force_login(cast.principal)
    text = _text(client, decision, "Beslut att inte utarbeta ett åtgärdsprogram")
    assert "Extra anpassningar räcker." in text
    assert _appeal_instructions(cast) in text
    assert "Gunnel Andersson inte underrättad ännu" in text  # the guardian, not yet notified


def test_a_decision_on_a_programme_carries_the_programme_it_decided(client, cast, decided):
    client.force_login(cast.mentor)
    text = _text(client, decided.decision, "Beslut om åtgärdsprogram")
    assert "Utredningen visar behov." in text
    assert "Lästräning" in text
    assert wf.appeal_last_day(decided.decision.decided_on).strftime("%Y-%m-%d") in text


def test_a_decision_to_close_a_programme_gives_its_reasons_and_how_to_appeal(client, cast, decided):
    programmes.programme_close(
        actor=cast.principal,
        programme_id=decided.programme.pk,
        reasons="Behovet är tillgodosett.",
        decided_on=today(),
    )
    decision = Decision.objects.get(kind=wf.DecisionKind.CLOSE_PROGRAMME)
    client.force_login(cast.principal)
    text = _text(client, decision, "Beslut att avsluta ett åtgärdsprogram")
    assert "Behovet är tillgodosett." in text
    assert _appeal_instructions(cast) in text


def test_a_decision_on_a_special_teaching_group_can_be_appealed(client, cast, decided):
    support_forms.programme_support_form_decide(
        actor=cast.principal,
        programme_id=decided.programme.pk,
        kind=wf.DecisionKind.SPECIAL_GROUP,
        reasons="Eleven behöver en mindre grupp.",
        decided_on=today(),
    )
    decision = Decision.objects.get(kind=wf.DecisionKind.SPECIAL_GROUP)
    client.force_login(cast.principal)
    text = _text(client, decision, "Beslut om placering i särskild undervisningsgrupp")
    assert "Eleven behöver en mindre grupp." in text
    assert "3 kap. 11 § skollagen" in text
    assert _appeal_instructions(cast) in text


@pytest.mark.parametrize(
    ("kind", "title", "law"),
    [
        (
            wf.DecisionKind.INDIVIDUAL_TUITION,
            "Beslut om enskild undervisning",
            "3 kap. 11 § skollagen",
        ),
        (
            wf.DecisionKind.ADJUSTED_STUDY_PLAN,
            "Beslut om anpassad studiegång",
            "3 kap. 12 § skollagen",
        ),
    ],
)
def test_a_decision_on_individual_tuition_or_an_adjusted_study_plan_can_be_appealed(
    client, cast, decided, kind, title, law
):
    support_forms.programme_support_form_decide(
        actor=cast.principal,
        programme_id=decided.programme.pk,
        kind=kind,
        reasons="Eleven behöver undervisning i annan form.",
        decided_on=today(),
    )
    decision = Decision.objects.get(kind=kind)
    client.force_login(cast.principal)
    text = _text(client, decision, title)
    assert "Eleven behöver undervisning i annan form." in text
    assert law in text
    assert _appeal_instructions(cast) in text
    assert "Beslutet kan inte överklagas." not in text


def test_a_decision_not_to_place_in_a_special_group_says_it_cannot_be_appealed(
    client, cast, decided
):
    support_forms.programme_support_form_decide(
        actor=cast.principal,
        programme_id=decided.programme.pk,
        kind=wf.DecisionKind.NO_SPECIAL_GROUP,
        reasons="Stödet ges bäst i klassen.",
        decided_on=today(),
    )
    decision = Decision.objects.get(kind=wf.DecisionKind.NO_SPECIAL_GROUP)
    client.force_login(cast.principal)
    text = _text(client, decision, "Beslut att inte placera eleven i särskild undervisningsgrupp")
    assert "Stödet ges bäst i klassen." in text
    assert "Beslutet kan inte överklagas." in text
    assert "28 kap. 16 § skollagen" in text
    assert _appeal_instructions(cast) not in text
    assert "Sista dag att överklaga" not in text


def test_a_dismissal_of_a_late_appeal_names_the_appeal_and_how_to_appeal(
    client, cast, decided, time_machine
):
    time_machine.move_to(dt.datetime.combine(today() + dt.timedelta(days=30), dt.time(12)))
    appeal = appeals.appeal_register(
        actor=cast.principal,
        decision_id=decided.decision.pk,
        appellant_id=cast.guardian.person.pk,
        received_on=today(),
    )
    appeals.appeal_dismiss_late(
        actor=cast.principal,
        appeal_id=appeal.pk,
        reasons="Överklagandet kom in för sent.",
        decided_on=today(),
    )
    decision = Decision.objects.get(kind=wf.DecisionKind.APPEAL_DISMISSED)
    client.force_login(cast.principal)
    text = _text(client, decision, "Beslut att avvisa ett för sent inkommet överklagande")
    assert "Överklagandet kom in för sent." in text
    assert f"Från Gunnel Andersson, inkom {today():%Y-%m-%d}" in text
    assert "45 § förvaltningslagen" in text
    # the dismissal can itself be appealed (45 § FL): it tells how, not that it cannot
    assert _appeal_instructions(cast) in text
    assert "Beslutet kan inte överklagas." not in text


def test_an_english_decision_marks_its_swedish_appeal_instructions_as_swedish(
    client, cast, decided, monkeypatch
):
    # given a reader who chose English; the appeal instructions are kept in Swedish
    rendered: list[str] = []
    to_pdf = render.html_to_pdf
    monkeypatch.setattr(render, "html_to_pdf", lambda html: rendered.append(html) or to_pdf(html))
    instructions = decided.decision.appeal_instructions.split(".")[0]
    client.cookies["elevstod_language"] = "en"

    # when the decision is printed, and read on the staff and the family pages
    client.force_login(cast.mentor)
    pdf = client.get(reverse("documents:decision_pdf", args=[decided.decision.pk])).content
    staff_page = page(client, reverse("support:decision_detail", args=[decided.decision.pk]))
    client.force_login(cast.guardian)
    family_page = page(client, reverse("family:decision", args=[decided.decision.pk]))

    # then the document is English, and its Swedish passage carries its own language (PDF/UA)
    assert_tagged_pdf_ua(pdf, lang="en-GB", title="Decision")
    for html in (rendered[0], staff_page, family_page):
        assert f'<p lang="sv">{instructions}' in html
