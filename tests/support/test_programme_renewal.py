"""A new action programme (renewal): the running programme stays in force until the new one is
decided, and is replaced only in the transaction of that decision (DOMAIN.md, validity)."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.support import workflow as wf
from elevstod.support.models import ActionProgramme
from elevstod.support.services import programmes
from elevstod.support.services.transitions import StepRefused
from tests.builders import decided_programme, draft_programme

P = wf.ProgrammeState
IN_FORCE_UNTIL = "gäller tills det nya åtgärdsprogrammet är beslutat"


def _evaluated(school):
    programme = decided_programme(school)
    programmes.programme_evaluate(
        actor=school.principal,
        programme_id=programme.pk,
        date=today(),
        text="Behovet kvarstår.",
        need_remains=True,
    )
    return programme


def _renewed(school):
    programme = _evaluated(school)
    copy = programmes.programme_renew(actor=school.principal, programme_id=programme.pk)
    programme.refresh_from_db()
    return programme, copy


def _decide(school, copy, actor=None):
    return programmes.programme_decide(
        actor=actor or school.principal,
        programme_id=copy.pk,
        expected_version=copy.version,
        reasons="Behovet kvarstår enligt utvärderingen.",
        decided_on=today(),
    )


def test_a_renewed_programme_stays_in_force_while_the_copy_is_undecided(school):
    programme, copy = _renewed(school)
    assert programme.state == P.BEING_RENEWED
    assert programme.state in wf.IN_FORCE
    assert copy.state == P.DRAFT
    assert copy.state not in wf.IN_FORCE


def test_the_old_programme_is_replaced_by_the_decision_on_the_new_one(school):
    programme, copy = _renewed(school)
    _decide(school, copy)
    programme.refresh_from_db()
    copy.refresh_from_db()
    assert programme.state == P.REPLACED
    assert copy.state == P.DECIDED


def test_a_refused_decision_on_the_copy_leaves_the_old_programme_in_force(school):
    programme, copy = _renewed(school)
    with pytest.raises(DomainError):
        _decide(school, copy, actor=school.teacher)  # no delegation
    programme.refresh_from_db()
    assert programme.state == P.BEING_RENEWED


def test_discarding_the_copy_keeps_the_old_programme_in_force_and_it_can_be_renewed_again(
    school,
):
    programme, copy = _renewed(school)
    kept = programmes.programme_discard(
        actor=school.principal, programme_id=copy.pk, expected_version=copy.version
    )
    copy.refresh_from_db()
    assert kept == programme
    assert kept.state == P.EVALUATED
    assert copy.state == P.DISCARDED
    again = programmes.programme_renew(actor=school.principal, programme_id=programme.pk)
    assert again.previous == programme
    with pytest.raises(StepRefused):
        _decide(school, copy)


def test_a_teacher_without_delegation_cannot_discard_the_copy(school):
    _programme, copy = _renewed(school)
    with pytest.raises(DomainError):
        programmes.programme_discard(
            actor=school.teacher, programme_id=copy.pk, expected_version=copy.version
        )
    copy.refresh_from_db()
    assert copy.state == P.DRAFT


def test_the_first_programme_of_an_investigation_cannot_be_discarded(school):
    draft = draft_programme(school)
    with pytest.raises(DomainError) as refused:
        programmes.programme_discard(
            actor=school.principal, programme_id=draft.pk, expected_version=draft.version
        )
    assert refused.value.code == "not_a_renewal"


def test_a_programme_being_renewed_cannot_be_renewed_twice(school):
    programme, _copy = _renewed(school)
    with pytest.raises(StepRefused):
        programmes.programme_renew(actor=school.principal, programme_id=programme.pk)
    assert ActionProgramme.objects.filter(previous=programme).count() == 1


# --- through the pages -------------------------------------------------------------------------


def test_the_copy_is_made_only_after_the_principal_confirms(client, school):
    programme = _evaluated(school)
    client.force_login(school.principal)
    url = reverse("support:programme_renew", args=[programme.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Ja, utarbeta ett nytt åtgärdsprogram" in page.content.decode()
    assert not ActionProgramme.objects.filter(previous=programme).exists()
    response = client.post(url)
    copy = ActionProgramme.objects.get(previous=programme)
    assert response.status_code == 302
    assert response["Location"] == reverse("support:programme_detail", args=[copy.pk])


def test_a_teacher_is_not_offered_the_renewal_and_cannot_post_it(client, school):
    programme = _evaluated(school)
    client.force_login(school.teacher)
    detail = client.get(reverse("support:programme_detail", args=[programme.pk]))
    assert reverse("support:programme_renew", args=[programme.pk]) not in detail.content.decode()
    client.post(reverse("support:programme_renew", args=[programme.pk]))
    assert not ActionProgramme.objects.filter(previous=programme).exists()


def test_the_pages_show_the_old_programme_in_force_until_the_new_one_is_decided(client, school):
    programme, copy = _renewed(school)
    client.force_login(school.principal)
    pupil_page = client.get(reverse("organisation:pupil_detail", args=[school.pupil.pk]))
    assert IN_FORCE_UNTIL in pupil_page.content.decode()
    page = client.get(reverse("support:programme_detail", args=[programme.pk])).content.decode()
    assert IN_FORCE_UNTIL in page
    assert reverse("support:programme_detail", args=[copy.pk]) in page
    copy_page = client.get(reverse("support:programme_detail", args=[copy.pk])).content.decode()
    assert reverse("support:programme_discard", args=[copy.pk]) in copy_page
    _decide(school, copy)
    page = client.get(reverse("support:programme_detail", args=[programme.pk])).content.decode()
    assert IN_FORCE_UNTIL not in page
    assert "ersatt av ett nytt åtgärdsprogram" in page


def test_discarding_through_the_page_asks_first_then_returns_to_the_programme_in_force(
    client, school
):
    programme, copy = _renewed(school)
    client.force_login(school.principal)
    url = reverse("support:programme_discard", args=[copy.pk])
    assert client.get(url).status_code == 200
    copy.refresh_from_db()
    assert copy.state == P.DRAFT
    response = client.post(url, {"version": copy.version})
    assert response["Location"] == reverse("support:programme_detail", args=[programme.pk])
    programme.refresh_from_db()
    assert programme.state == P.EVALUATED


def test_the_copy_does_not_say_the_pupil_and_guardians_took_part_in_the_new_programme(school):
    # they are given the chance to take part in each programme anew (3 kap. 9 § skollagen)
    old, copy = _renewed(school)
    assert old.pupil_participated
    assert old.guardians_participated
    assert old.participation_views
    assert (copy.pupil_participated, copy.guardians_participated) == (False, False)
    assert copy.participation_views == ""
    assert copy.needs == old.needs  # the rest is the editable copy


def test_new_programme_is_an_editable_copy_on_the_same_investigation_needing_a_decision(school):
    programme = decided_programme(school)
    programmes.programme_evaluate(
        actor=school.principal,
        programme_id=programme.pk,
        date=today(),
        text="Behovet kvarstår.",
        need_remains=True,
    )
    renewed = programmes.programme_renew(actor=school.principal, programme_id=programme.pk)
    programme.refresh_from_db()
    assert programme.state == P.BEING_RENEWED
    assert renewed.state == P.DRAFT
    assert renewed.previous == programme
    assert renewed.investigation == programme.investigation
    assert renewed.needs == programme.needs
    assert [m.what for m in renewed.measures.all()] == ["Lästräning"]
    assert not renewed.decisions.exists()


def test_renewal_before_evaluation_is_refused(school):
    programme = decided_programme(school)
    with pytest.raises(StepRefused):
        programmes.programme_renew(actor=school.principal, programme_id=programme.pk)
