"""The pupil's support history for a hand-over to a new school (3 kap. 12 j § skollagen):
extra adaptations, investigations, action programmes with their measures and decisions, at
every unit, as far as the reader may see them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.core.timeutil import today
from elevstod.organisation import services as org
from elevstod.organisation.models import Placement, SchoolUnit
from elevstod.support.services import programmes
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


def test_the_history_at_the_new_unit_holds_the_support_given_at_the_former(client, cast, decided):
    # given support at Ekskolan: an extra adaptation and a programme, decided and closed
    new_adaptation(cast, title="Bildstöd i matematik")
    programmes.programme_close(
        actor=cast.principal,
        programme_id=decided.programme.pk,
        reasons="Eleven byter skola.",
        decided_on=today(),
    )
    # when the pupil moves to Aspskolan, which also runs the support module, and gets support there
    SchoolUnit.objects.filter(pk=cast.unit_a2.pk).update(support_module_enabled=True)
    placement = Placement.objects.get(pupil=cast.pupil, unit=cast.unit_a1)
    org.placement_end(actor=None, placement=placement, end_date=today() - dt.timedelta(days=1))
    org.placement_start(
        actor=None, pupil=cast.pupil, unit=cast.unit_a2, school_year=5, start_date=today()
    )
    new_adaptation(cast, actor=cast.other_unit_principal, title="Anteckningsstöd")

    # then the new principal's history lists both units' support, each under its unit
    client.force_login(cast.other_unit_principal)
    response = client.get(reverse("documents:history_pdf", args=[cast.pupil.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    day = f"{today():%Y-%m-%d}"
    for expected in (
        "Bildstöd i matematik",
        "Skolenhet Ekskolan",  # the adaptation's unit
        "Anteckningsstöd",
        "Skolenhet Aspskolan",
        f"Ekskolan, {day}",  # the programme, closed
        "Lästräning",
        f"Beslut om åtgärdsprogram, {day} (Ekskolan)",
        "Eleven byter skola.",  # the reasons of the decision to close
    ):
        assert expected in text, expected
