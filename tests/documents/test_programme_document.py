"""The action programme as decided, as an accessible PDF (PDF/UA-1) in the reader's language:
everything 3 kap. 9 § skollagen asks of it, the decision with its reasons and how to appeal,
and the last day to appeal for each notified party."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.core.timeutil import today
from elevstod.organisation.civic import civic_number_display
from elevstod.support import workflow as wf
from elevstod.support.services import programmes
from elevstod.support.texts import appeal_instructions_for
from tests.builders import draft_programme

from .pdf import assert_tagged_pdf_ua, pdf_text

pytestmark = pytest.mark.django_db


def _get(client, programme):
    return client.get(reverse("documents:programme_pdf", args=[programme.pk]))


def test_the_decided_programme_is_a_tagged_pdf_ua_document_in_swedish(client, cast, decided):
    client.force_login(cast.teacher)
    response = _get(client, decided.programme)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    found = assert_tagged_pdf_ua(response.content, lang="sv-SE", title="Åtgärdsprogram")
    # headings, paragraphs and tables with header cells are tagged as such
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD"} <= found["tags"]


def test_the_programme_document_says_what_the_law_asks_of_a_programme(client, cast, decided):
    client.force_login(cast.teacher)
    text = pdf_text(_get(client, decided.programme).content)
    for expected in (
        cast.pupil.full_name,
        civic_number_display(cast.pupil.civic_number),  # as on the pupil page
        "Ekskolan",
        "5A",  # the class
        "Stöd i läsförståelse.",  # the needs
        "Lästräning",  # the measure, how, how much, the form of support and who is responsible
        "Enskilt med speciallärare",
        "3 x 20 min/vecka",
        "inom elevens ordinarie grupp",
        cast.teacher.person.full_name,
        "Varannan vecka.",  # when it is followed up, and evaluated, and by whom
        cast.principal.person.full_name,
        "Eleven deltog.",
        "Eleven vill ha stöd i mindre grupp.",  # the views of pupil and guardians
        "Utredningen visar behov.",  # the reasons of the decision
        "3 kap. 9 § skollagen",
    ):
        assert expected in text, expected


def test_the_programme_document_tells_how_to_appeal_and_each_notified_partys_last_day(
    client, cast, decided
):
    client.force_login(cast.principal)
    text = pdf_text(_get(client, decided.programme).content)
    instructions = appeal_instructions_for(cast.unit_a1)
    assert " ".join(instructions.split()) in text
    last_day = wf.appeal_last_day(decided.decision.decided_on)
    assert f"{cast.guardian.person.full_name} {decided.decision.decided_on:%Y-%m-%d}" in text
    assert last_day.strftime("%Y-%m-%d") in text


def test_the_programme_document_shows_what_was_decided_not_a_later_draft(client, cast, decided):
    # given a renewal copy, changed after the decision of the programme it renews
    programmes.programme_evaluate(
        actor=cast.principal,
        programme_id=decided.programme.pk,
        date=today(),
        text="Stödet har hjälpt.",
        need_remains=True,
    )
    copy = programmes.programme_renew(actor=cast.principal, programme_id=decided.programme.pk)
    programmes.programme_update(
        actor=cast.principal,
        programme_id=copy.pk,
        expected_version=copy.version,
        data=programmes.ProgrammeInput(needs="Nya behov i det nya programmet."),
    )
    client.force_login(cast.principal)
    # then the decided programme's document still says what was decided
    text = pdf_text(_get(client, decided.programme).content)
    assert "Stöd i läsförståelse." in text
    assert "Nya behov" not in text


def test_an_undecided_programme_prints_as_a_draft(client, cast):
    programme = draft_programme(cast)
    client.force_login(cast.teacher)
    text = pdf_text(_get(client, programme).content)
    assert "Inte beslutat." in text
    assert "Överklagandet" not in text


def test_the_document_is_in_english_when_the_user_chose_english(client, cast, decided):
    client.force_login(cast.teacher)
    client.cookies["elevstod_language"] = "en"
    response = _get(client, decided.programme)
    assert_tagged_pdf_ua(response.content, lang="en-GB", title="Action programme")
    text = pdf_text(response.content)
    assert "The pupil's needs of special support" in text
    assert "Stöd i läsförståelse." in text  # what was written stays as written
