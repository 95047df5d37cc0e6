"""Decisions on forms of support taken beside the programme: special teaching group and
individual tuition (3 kap. 11 §), adjusted study plan (3 kap. 12 §), both appealable and only
the principal's; and the decision not to place in a special teaching group, which cannot be
appealed (28 kap. 16 §)."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.models import Notification
from elevstod.support import workflow as wf
from elevstod.support.errors import FieldError
from elevstod.support.models import Decision
from elevstod.support.services import appeals, delegation, programmes
from elevstod.support.services.support_forms import programme_support_form_decide
from tests.builders import decided_programme

K = wf.DecisionKind
APPEALABLE = [K.SPECIAL_GROUP, K.INDIVIDUAL_TUITION, K.ADJUSTED_STUDY_PLAN]


def _decide(school, programme, kind, actor=None):
    return programme_support_form_decide(
        actor=actor or school.principal,
        programme_id=programme.pk,
        kind=kind,
        reasons="Eleven behöver undervisas i mindre grupp under en period.",
        decided_on=today(),
    )


@pytest.mark.parametrize("kind", [*APPEALABLE, K.NO_SPECIAL_GROUP])
def test_delegated_teacher_cannot_decide_on_special_group_individual_tuition_or_study_plan(
    school, kind
):
    delegation.delegation_grant(
        actor=school.principal,
        unit=school.unit,
        delegate=school.teacher.person,
        kind=K.PROGRAMME,
        valid_from=today(),
    )
    programme = decided_programme(school)
    with pytest.raises(DomainError) as refused:
        _decide(school, programme, kind, actor=school.teacher)
    assert refused.value.code == "non_delegable"
    assert not Decision.objects.filter(kind=kind).exists()
    decision = _decide(school, programme, kind)
    assert decision.decided_by == school.principal.person
    assert decision.delegation is None
    assert decision.law == wf.DECISIONS[kind].law


@pytest.mark.parametrize("kind", [*APPEALABLE, K.NO_SPECIAL_GROUP])
def test_decisions_on_a_form_of_support_cannot_be_delegated_in_the_delegation_order(school, kind):
    with pytest.raises(FieldError):
        delegation.delegation_grant(
            actor=school.principal,
            unit=school.unit,
            delegate=school.teacher.person,
            kind=kind,
            valid_from=today(),
        )


@pytest.mark.parametrize("kind", APPEALABLE)
def test_a_decision_on_special_group_individual_tuition_or_study_plan_is_appealable(school, kind):
    decision = _decide(school, decided_programme(school), kind)
    assert decision.appealable
    assert decision.appeal_instructions
    appeal = appeals.appeal_register(
        actor=school.principal,
        decision_id=decision.pk,
        appellant_id=school.guardian.person.pk,
        received_on=today(),
    )
    assert appeal.in_time


def test_the_decision_not_to_place_in_a_special_group_cannot_be_appealed(school):
    decision = _decide(school, decided_programme(school), K.NO_SPECIAL_GROUP)
    assert not decision.appealable
    assert decision.appeal_instructions == ""
    assert decision.reasons
    with pytest.raises(DomainError):
        appeals.appeal_register(
            actor=school.principal,
            decision_id=decision.pk,
            appellant_id=school.guardian.person.pk,
            received_on=today(),
        )
    assert not decision.appeals.exists()


def test_a_decision_on_a_form_of_support_notifies_the_responsible_persons(school):
    _decide(school, decided_programme(school), K.SPECIAL_GROUP)
    assert Notification.objects.filter(
        recipient=school.teacher, code="support.programme.support_form_decided"
    ).exists()


def test_a_decision_on_a_form_of_support_needs_a_programme_in_force(school):
    programme = decided_programme(school)
    assert _decide(school, programme, K.SPECIAL_GROUP)
    programmes.programme_close(
        actor=school.principal, programme_id=programme.pk, reasons="Klart.", decided_on=today()
    )
    with pytest.raises(DomainError):
        _decide(school, programme, K.SPECIAL_GROUP)


def test_an_unknown_kind_is_refused_with_a_message(school):
    with pytest.raises(FieldError):
        _decide(school, decided_programme(school), K.PROGRAMME)


# --- through the pages -------------------------------------------------------------------------


def _post(client, programme, kind):
    return client.post(
        reverse("support:programme_support_form_decision", args=[programme.pk]),
        {"kind": kind, "reasons": "Behöver mindre grupp.", "decided_on": today().isoformat()},
    )


def test_the_principal_records_a_decision_not_to_place_and_the_page_says_it_cannot_be_appealed(
    client, school
):
    programme = decided_programme(school)
    client.force_login(school.principal)
    form = client.get(reverse("support:programme_support_form_decision", args=[programme.pk]))
    assert "kan inte överklagas" in form.content.decode()
    response = _post(client, programme, K.NO_SPECIAL_GROUP)
    decision = Decision.objects.get(kind=K.NO_SPECIAL_GROUP)
    assert response["Location"] == reverse("support:decision_detail", args=[decision.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Beslutet kan inte överklagas." in page
    assert "Hur man överklagar" not in page
    assert "Registrera ett överklagande" not in page


def test_the_principal_records_a_placement_decision_with_appeal_instructions(client, school):
    programme = decided_programme(school)
    client.force_login(school.principal)
    response = _post(client, programme, K.SPECIAL_GROUP)
    page = client.get(response["Location"]).content.decode()
    assert "Beslut om placering i särskild undervisningsgrupp" in page
    assert "Hur man överklagar" in page


def test_a_teacher_is_not_offered_the_decision_on_a_form_of_support(client, school):
    programme = decided_programme(school)
    client.force_login(school.teacher)
    url = reverse("support:programme_support_form_decision", args=[programme.pk])
    assert (
        url
        not in client.get(reverse("support:programme_detail", args=[programme.pk])).content.decode()
    )
    _post(client, programme, K.SPECIAL_GROUP)
    assert not Decision.objects.filter(kind=K.SPECIAL_GROUP).exists()


def test_the_parties_are_told_of_the_decision_not_to_place_too_without_an_appeal_period(
    client, school
):
    # every decision that settles the matter is notified to the parties (33 § förvaltningslagen)
    programme = decided_programme(school)
    client.force_login(school.principal)
    page = client.get(_post(client, programme, K.NO_SPECIAL_GROUP)["Location"]).content.decode()
    assert "Underrättelse av parterna" in page
    assert school.guardian.person.full_name in page
    assert "överklagandetiden har inte börjat" not in page
    assert "sista dag att överklaga" not in page


def test_reasons_longer_than_a_free_text_are_refused_with_the_text_kept(client, school):
    programme = decided_programme(school)
    client.force_login(school.principal)
    too_long = "x" * 10_001
    page = client.post(
        reverse("support:programme_support_form_decision", args=[programme.pk]),
        {"kind": K.SPECIAL_GROUP, "reasons": too_long, "decided_on": today().isoformat()},
    )
    assert page.status_code == 200
    assert "Skriv högst 10000 tecken" in page.content.decode()
    assert too_long in page.content.decode()
    assert not Decision.objects.filter(kind=K.SPECIAL_GROUP).exists()
