"""A form sent twice (a double click on a slow phone) writes once: the service claims the form's
token in its own transaction and answers the second call with what the first one wrote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models

import pytest

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.support import workflow as wf
from elevstod.support.models import (
    ActionProgramme,
    AdaptationEvaluation,
    AdaptationFollowUp,
    AdaptationTemplate,
    Appeal,
    Decision,
    DelegationGrant,
    ExtraAdaptation,
    Investigation,
    Measure,
    PartyNotification,
    ProgrammeEvaluation,
    ProgrammeFollowUp,
    Referral,
    Submission,
)
from elevstod.support.services import (
    adaptations,
    appeals,
    delegation,
    investigations,
    library,
    programmes,
    support_forms,
)
from elevstod.support.services.decisions import decision_notify_party
from tests.builders import (
    adaptation_input,
    completed_investigation,
    decided_programme,
    draft_programme,
    new_adaptation,
    programme_content,
)

Call = Callable[[str], Any]


def _create_adaptation(school: Any) -> Call:
    data = adaptation_input(school.teacher.person)
    return lambda token: adaptations.adaptation_create(
        actor=school.teacher, pupil=school.pupil, data=data, token=token
    )


def _follow_up(school: Any) -> Call:
    a = new_adaptation(school)
    return lambda token: adaptations.adaptation_follow_up(
        actor=school.teacher,
        adaptation_id=a.pk,
        date=today(),
        observation="Kommer igång snabbare.",
        effect="PARTLY",
        next_follow_up=a.next_follow_up,
        token=token,
    )


def _evaluate(school: Any) -> Call:
    a = new_adaptation(school)
    return lambda token: adaptations.adaptation_evaluate(
        actor=school.teacher,
        adaptation_id=a.pk,
        date=today(),
        outcome="Fungerar.",
        effect="WORKS",
        next_step="CONTINUE",
        next_follow_up=today() + dt.timedelta(weeks=4),
        token=token,
    )


def _referral(school: Any) -> Call:
    return lambda token: investigations.referral_submit(
        actor=school.teacher, pupil=school.pupil, tried="Skrivtid.", why="Räcker inte.", token=token
    )


def _investigation(school: Any) -> Call:
    return lambda token: investigations.investigation_start(
        actor=school.principal,
        pupil=school.pupil,
        investigator_ids=[],
        planned_decision_date=None,
        token=token,
    )


def _no_programme(school: Any) -> Call:
    inv = completed_investigation(school)
    return lambda token: investigations.investigation_conclude_without_programme(
        actor=school.principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        reasons="Stödet inom ramen för extra anpassningar räcker.",
        decided_on=today(),
        token=token,
    )


def _measures(school: Any) -> Call:
    inv = completed_investigation(school)
    p = investigations.investigation_conclude_with_programme(
        actor=school.principal, investigation_id=inv.pk, expected_version=inv.version
    )
    return lambda token: programmes.programme_update(
        actor=school.teacher,
        programme_id=p.pk,
        expected_version=p.version,
        data=programme_content(school),
        token=token,
    )


def _decide(school: Any) -> Call:
    p = draft_programme(school)
    return lambda token: programmes.programme_decide(
        actor=school.principal,
        programme_id=p.pk,
        expected_version=p.version,
        reasons="Utredningen visar behov.",
        decided_on=today(),
        token=token,
    )


def _programme_follow_up(school: Any) -> Call:
    p = decided_programme(school)
    return lambda token: programmes.programme_follow_up(
        actor=school.teacher, programme_id=p.pk, date=today(), text="Går framåt.", token=token
    )


def _programme_evaluation(school: Any) -> Call:
    p = decided_programme(school)
    return lambda token: programmes.programme_evaluate(
        actor=school.principal,
        programme_id=p.pk,
        date=today(),
        text="Målen nådda.",
        need_remains=False,
        token=token,
    )


def _close(school: Any) -> Call:
    p = decided_programme(school)
    return lambda token: programmes.programme_close(
        actor=school.principal,
        programme_id=p.pk,
        reasons="Behovet finns inte längre.",
        decided_on=today(),
        token=token,
    )


def _support_form_decision(school: Any) -> Call:
    p = decided_programme(school)
    return lambda token: support_forms.programme_support_form_decide(
        actor=school.principal,
        programme_id=p.pk,
        kind=wf.DecisionKind.SPECIAL_GROUP,
        reasons="Eleven behöver undervisas i en mindre grupp under en period.",
        decided_on=today(),
        token=token,
    )


def _decision(school: Any) -> Decision:
    return Decision.objects.get(programme=decided_programme(school))


def _notification(school: Any) -> Call:
    decision = _decision(school)
    return lambda token: decision_notify_party(
        actor=school.principal,
        decision=decision,
        party=school.guardian.person,
        notified_on=today(),
        method="LETTER",
        token=token,
    )


def _appeal(school: Any) -> Call:
    decision = _decision(school)
    return lambda token: appeals.appeal_register(
        actor=school.principal,
        decision_id=decision.pk,
        appellant_id=school.guardian.person.pk,
        received_on=today(),
        token=token,
    )


def _delegation(school: Any) -> Call:
    return lambda token: delegation.delegation_grant(
        actor=school.principal,
        unit=school.unit,
        delegate=school.teacher.person,
        kind=wf.DecisionKind.PROGRAMME,
        valid_from=today(),
        token=token,
    )


def _library_entry(school: Any) -> Call:
    return lambda token: library.template_create(
        actor=school.principal,
        unit=school.unit,
        title="Bildstöd",
        description="",
        subject=None,
        token=token,
    )


CREATES: dict[str, tuple[Callable[[Any], Call], type[models.Model]]] = {
    "adaptation": (_create_adaptation, ExtraAdaptation),
    "adaptation follow-up": (_follow_up, AdaptationFollowUp),
    "adaptation evaluation": (_evaluate, AdaptationEvaluation),
    "referral": (_referral, Referral),
    "investigation": (_investigation, Investigation),
    "decision not to draw up a programme": (_no_programme, Decision),
    "programme measures": (_measures, Measure),
    "programme decision": (_decide, Decision),
    "programme follow-up": (_programme_follow_up, ProgrammeFollowUp),
    "programme evaluation": (_programme_evaluation, ProgrammeEvaluation),
    "closing decision": (_close, Decision),
    "decision on a form of support": (_support_form_decision, Decision),
    "party notification": (_notification, PartyNotification),
    "appeal": (_appeal, Appeal),
    "delegation": (_delegation, DelegationGrant),
    "library entry": (_library_entry, AdaptationTemplate),
}


@pytest.mark.parametrize("what", list(CREATES))
def test_the_same_form_sent_twice_writes_once(school, what):
    setup, model = CREATES[what]
    create = setup(school)
    before = model._default_manager.count()
    first = create("form-1")
    second = create("form-1")
    assert second.pk == first.pk
    assert model._default_manager.count() == before + 1
    assert Submission.objects.get(token="form-1").result_id == first.pk


@pytest.mark.parametrize("what", ["adaptation", "referral", "programme follow-up"])
def test_two_different_forms_write_twice(school, what):
    setup, model = CREATES[what]
    create = setup(school)
    before = model._default_manager.count()
    assert create("form-1").pk != create("form-2").pk
    assert model._default_manager.count() == before + 2


def test_a_form_without_a_token_is_not_guarded_the_demo_and_importers_write_as_before(school):
    create = _create_adaptation(school)
    create("")
    create("")
    assert ExtraAdaptation.objects.count() == 2
    assert not Submission.objects.exists()


def test_the_token_is_per_user_another_user_with_the_same_token_writes_their_own(school):
    data = adaptation_input(school.teacher.person)
    mine = adaptations.adaptation_create(
        actor=school.teacher, pupil=school.pupil, data=data, token="same"
    )
    theirs = adaptations.adaptation_create(
        actor=school.mentor, pupil=school.pupil, data=data, token="same"
    )
    assert mine.pk != theirs.pk


def test_a_refused_first_post_claims_nothing_so_the_corrected_form_saves(school):
    data = adaptation_input(school.teacher.person, need="")
    with pytest.raises(DomainError):
        adaptations.adaptation_create(
            actor=school.teacher, pupil=school.pupil, data=data, token="form-1"
        )
    assert not Submission.objects.exists()
    _create_adaptation(school)("form-1")
    assert ExtraAdaptation.objects.count() == 1


def test_a_token_used_for_another_kind_of_record_is_refused(school):
    _referral(school)("form-1")
    with pytest.raises(DomainError):
        _create_adaptation(school)("form-1")
    assert not ExtraAdaptation.objects.exists()


def test_the_second_post_of_an_edited_programme_is_not_a_stale_edit(school):
    update = _measures(school)
    first = update("form-1")
    assert update("form-1").version == first.version
    assert ActionProgramme.objects.get(pk=first.pk).measures.count() == 1
