"""Every state and decision kind has its own label: two enums may spell a value alike
(``InvestigationState.NO_PROGRAMME``, ``DecisionKind.NO_PROGRAMME``) and must not share text."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

import pytest

from elevstod.core.timeutil import today
from elevstod.support import workflow as wf
from elevstod.support.labels import DECISION_IN_A_SENTENCE, KINDS, LABELS, label
from elevstod.support.services import investigations
from tests.builders import completed_investigation

ENUMS = [
    wf.ReferralState,
    wf.InvestigationState,
    wf.ProgrammeState,
    wf.AppealState,
    wf.DecisionKind,
    wf.SupportForm,
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_of_every_state_and_kind_enum_has_its_own_label(enum):
    assert set(LABELS[enum]) == set(enum)
    with translation.override("sv"):
        texts = [label(enum, member) for member in enum]
    assert all(text not in {m.value for m in enum} for text in texts)
    assert len(set(texts)) == len(texts)


def test_every_decision_kind_can_be_named_inside_a_sentence():
    assert set(DECISION_IN_A_SENTENCE) == set(wf.DecisionKind)
    with translation.override("sv"):
        texts = [str(text) for text in DECISION_IN_A_SENTENCE.values()]
    assert all(text.startswith("beslutet ") for text in texts)
    assert len(set(texts)) == len(texts)


def test_templates_name_every_kind_of_label():
    assert set(KINDS.values()) == set(ENUMS)


def test_the_investigation_state_and_the_decision_of_the_same_name_read_differently():
    with translation.override("sv"):
        state = label("investigation", wf.InvestigationState.NO_PROGRAMME)
        decision = label("decision", wf.DecisionKind.NO_PROGRAMME)
    assert state == "avslutad: inget åtgärdsprogram"
    assert decision == "Beslut att inte utarbeta ett åtgärdsprogram"


def test_the_pupil_page_shows_the_investigation_and_the_decision_not_to_draw_up_a_programme(
    client, school
):
    inv = completed_investigation(school)
    investigations.investigation_conclude_without_programme(
        actor=school.principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        reasons="Behovet möts med extra anpassningar.",
        decided_on=today(),
    )
    client.force_login(school.principal)
    page = client.get(reverse("organisation:pupil_detail", args=[school.pupil.pk]))
    body = page.content.decode()
    assert "avslutad: inget åtgärdsprogram" in body
    assert "Beslut att inte utarbeta ett åtgärdsprogram</a>" in body
