"""The support app's access rules, each a named reason of the one ``Reason`` enum."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.access import Reason, pupil_grant
from elevstod.support import access
from elevstod.support.services import investigations
from elevstod.support.steps import pupil_steps


@pytest.fixture
def referral(school):
    return investigations.referral_submit(
        actor=school.teacher, pupil=school.pupil, tried="Extra tid.", why="Räcker inte."
    )


def test_the_reporter_sees_their_referral_as_its_reporter(school, referral):
    grant = pupil_grant(school.teacher, school.pupil)
    assert access.referral_reasons(school.teacher, grant, referral) == {Reason.REPORTER}


def test_another_teacher_of_the_pupil_does_not_see_the_referral(school, referral):
    grant = pupil_grant(school.mentor, school.pupil)
    assert access.referral_reasons(school.mentor, grant, referral) == frozenset()


def test_the_principal_sees_every_referral_as_principal(school, referral):
    grant = pupil_grant(school.principal, school.pupil)
    assert access.referral_reasons(school.principal, grant, referral) == {Reason.PRINCIPAL}


def test_a_named_investigator_sees_the_investigation_and_the_mentor_does_not(school):
    inv = investigations.investigation_start(
        actor=school.principal,
        pupil=school.pupil,
        investigator_ids=[school.teacher.person.pk],
        planned_decision_date=today() + dt.timedelta(days=14),
    )
    assert access.investigation_reasons(school.teacher, inv) == {Reason.INVESTIGATOR}
    assert access.investigation_reasons(school.mentor, inv) == frozenset()
    assert access.investigation_reasons(school.health, inv) == {Reason.PUPIL_HEALTH}


def test_only_the_principal_may_start_an_investigation_and_every_support_staff_may_report(school):
    assert pupil_steps(school.principal, pupil_grant(school.principal, school.pupil)) == {
        "referral.submit",
        "investigation.start",
    }
    assert pupil_steps(school.health, pupil_grant(school.health, school.pupil)) == {
        "referral.submit"
    }
    assert pupil_steps(school.admin, pupil_grant(school.admin, school.pupil)) == frozenset()


def test_only_the_principal_edits_the_delegation_order(school):
    assert access.may_edit_delegation_order(school.principal, school.unit)
    assert not access.may_edit_delegation_order(school.teacher, school.unit)


def test_an_administrator_does_not_work_with_the_pupils_support(school):
    with pytest.raises(DomainError) as refused:
        access.require_support_staff(school.admin, school.pupil)
    assert refused.value.code == "forbidden"
    assert access.require_support_staff(school.teacher, school.pupil).pupil == school.pupil


# --- the access log names the basis of each read --------------------------------------------


def _logged(purpose):
    entry = AccessLogEntry.objects.filter(purpose=purpose).latest("pk")
    return entry.granted, set(filter(None, entry.reasons.split(",")))


def test_the_reporters_read_of_a_referral_is_logged_as_the_reporters(client, school, referral):
    client.force_login(school.teacher)
    assert client.get(reverse("support:referral_detail", args=[referral.pk])).status_code == 200
    assert _logged("support.referral.page") == (True, {Reason.REPORTER})


def test_a_refused_read_of_a_referral_is_logged_as_refused(client, school, referral):
    client.force_login(school.mentor)  # teaches the pupil, but did not report
    assert client.get(reverse("support:referral_detail", args=[referral.pk])).status_code == 404
    assert _logged("support.referral.page") == (False, set())


def test_an_investigators_read_is_logged_as_the_investigators_and_a_teachers_as_refused(
    client, school
):
    inv = investigations.investigation_start(
        actor=school.principal,
        pupil=school.pupil,
        investigator_ids=[school.teacher.person.pk],
        planned_decision_date=None,
    )
    url = reverse("support:investigation_detail", args=[inv.pk])
    client.force_login(school.teacher)
    assert client.get(url).status_code == 200
    assert _logged("support.investigation.page") == (True, {Reason.INVESTIGATOR})
    client.force_login(school.mentor)
    assert client.get(url).status_code == 404
    assert _logged("support.investigation.page") == (False, set())
    client.force_login(school.principal)
    assert client.get(url).status_code == 200
    assert _logged("support.investigation.page") == (True, {Reason.PRINCIPAL})
