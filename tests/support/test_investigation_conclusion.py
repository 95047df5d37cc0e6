"""Concluding an investigation (3 kap. 7-9 §§): pupil health consulted or the reason why
not, and the decision not to draw up a programme, appealable and with its reasons."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.support import workflow as wf
from elevstod.support.models import Decision, Investigation
from elevstod.support.services import investigations
from tests.builders import completed_investigation, started_investigation


def test_not_consulting_pupil_health_needs_a_reason(school):
    inv = started_investigation(school)
    with pytest.raises(DomainError):
        investigations.investigation_update(
            actor=school.principal,
            investigation_id=inv.pk,
            expected_version=inv.version,
            data=investigations.InvestigationInput(
                mapping_individual="x", assessment="y", health_consulted=False
            ),
        )


def test_decision_not_to_draw_up_a_programme_is_appealable_with_instructions(school):
    inv = completed_investigation(school)
    investigations.investigation_conclude_without_programme(
        actor=school.principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        reasons="Behoven kan mötas med extra anpassningar.",
        decided_on=today(),
    )
    decision = Decision.objects.get(kind=wf.DecisionKind.NO_PROGRAMME)
    assert decision.appealable
    assert "Skolväsendets överklagandenämnd" in decision.appeal_instructions
    assert "tre veckor" in decision.appeal_instructions
    assert decision.decided_by == school.principal.person
    assert decision.delegation is None


def test_a_decision_without_reasons_is_refused(school):
    inv = completed_investigation(school)
    with pytest.raises(DomainError):
        investigations.investigation_conclude_without_programme(
            actor=school.principal,
            investigation_id=inv.pk,
            expected_version=inv.version,
            reasons="  ",
            decided_on=today(),
        )
    assert not Decision.objects.exists()
    inv.refresh_from_db()
    assert inv.state == wf.InvestigationState.IN_PROGRESS


def _conclude_without_programme(school) -> Investigation:
    inv = completed_investigation(school)
    investigations.investigation_conclude_without_programme(
        actor=school.principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        reasons="Inget behov av särskilt stöd.",
        decided_on=today(),
    )
    return Investigation.objects.get(pk=inv.pk)


def test_the_principal_invites_no_one_to_a_concluded_investigation(school):
    inv = _conclude_without_programme(school)
    with pytest.raises(DomainError) as refused:
        investigations.investigation_invite(
            actor=school.principal, investigation_id=inv.pk, person_ids=[school.teacher.person.pk]
        )
    assert refused.value.code == "forbidden"
    assert not inv.contributors.exists()


def test_the_principal_invites_a_teacher_to_an_investigation_in_progress(school):
    inv = started_investigation(school)
    investigations.investigation_invite(
        actor=school.principal, investigation_id=inv.pk, person_ids=[school.teacher.person.pk]
    )
    assert list(inv.contributors.all()) == [school.teacher.person]


def test_the_invite_step_of_a_concluded_investigation_lets_no_one_in(client, school):
    inv = _conclude_without_programme(school)
    client.force_login(school.principal)
    url = reverse("support:investigation_invite", args=[inv.pk])
    client.post(url, {"contributors": [school.teacher.person.pk]})
    assert not inv.contributors.exists()
    client.force_login(school.teacher)
    assert client.get(reverse("support:investigation_detail", args=[inv.pk])).status_code == 404
