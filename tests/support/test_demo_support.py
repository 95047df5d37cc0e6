"""The demo shows the support chain at every stage."""

from __future__ import annotations

import pytest

from elevstod.home.demo import demo_load
from elevstod.support import workflow as wf
from elevstod.support.demo import special_support_demo_load, support_demo_load
from elevstod.support.models import (
    ActionProgramme,
    AdaptationTemplate,
    Appeal,
    Decision,
    ExtraAdaptation,
    Investigation,
    Referral,
)


@pytest.fixture
def demo(db):
    demo_load(pupils=50)
    support_demo_load()
    special_support_demo_load()


def test_demo_has_pupils_at_every_stage_of_support_and_only_where_the_module_is(demo):
    assert ExtraAdaptation.objects.filter(status="ACTIVE").exists()
    assert ExtraAdaptation.objects.filter(status="ENDED").exists()
    assert not ExtraAdaptation.objects.filter(unit__support_module_enabled=False).exists()
    assert not ActionProgramme.objects.filter(unit__support_module_enabled=False).exists()
    states = set(ActionProgramme.objects.values_list("state", flat=True))
    assert {
        wf.ProgrammeState.DRAFT,
        wf.ProgrammeState.SUBMITTED,
        wf.ProgrammeState.DECIDED,
        wf.ProgrammeState.EVALUATED,
        wf.ProgrammeState.CLOSED,
    } <= states
    assert Referral.objects.filter(state=wf.ReferralState.OPEN).exists()
    assert Investigation.objects.filter(state=wf.InvestigationState.IN_PROGRESS).exists()
    kinds = set(Decision.objects.values_list("kind", flat=True))
    assert {
        wf.DecisionKind.PROGRAMME,
        wf.DecisionKind.NO_PROGRAMME,
        wf.DecisionKind.CLOSE_PROGRAMME,
    } <= kinds
    assert Appeal.objects.filter(in_time=True).exists()


def test_the_demo_library_entries_for_a_subject_name_that_subject(demo):
    maths = AdaptationTemplate.objects.get(title="Konkret material i matematik")
    assert maths.subject is not None
    assert maths.subject.code == "GRGRMAT01"
    assert AdaptationTemplate.objects.get(title="Bildstöd vid instruktioner").subject is None
