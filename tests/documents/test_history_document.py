"""The pupil's support history for a hand-over to a new school (3 kap. 12 j § skollagen):
extra adaptations, investigations, action programmes with their measures and decisions, at
every unit, as far as the reader may see them."""

from __future__ import annotations

from django.urls import reverse

import pytest

from tests.builders import new_adaptation

from .pdf import assert_tagged_pdf_ua, pdf_text

pytestmark = pytest.mark.django_db


def test_the_support_history_holds_adaptations_programmes_and_decisions(client, cast, decided):
    new_adaptation(cast, title="Bildstöd i matematik")
    client.force_login(cast.principal)
    response = client.get(reverse("documents:history_pdf", args=[cast.pupil.pk]))
    assert_tagged_pdf_ua(response.content, lang="sv-SE", title="Stödhistorik")
    text = pdf_text(response.content)
    for expected in (
        "3 kap. 12 j § skollagen",
        "Bildstöd i matematik",
        "Lästräning",  # the programme's measure
        "Beslut om åtgärdsprogram",
        "Utredningen visar behov.",
    ):
        assert expected in text, expected


def test_the_history_leaves_out_investigations_the_reader_may_not_see(client, cast, decided):
    client.force_login(cast.teacher)
    text = pdf_text(client.get(reverse("documents:history_pdf", args=[cast.pupil.pk])).content)
    assert "Lästräning" in text
    assert "Inga utredningar som du får se." in text
