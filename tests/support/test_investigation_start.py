"""Starting an investigation (3 kap. 7 §): it always names an investigator and a planned
decision date; what the principal leaves out is filled in by the service's defaults, and the
page says which."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.audit.models import AuditEvent
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.organisation import services as org
from elevstod.support import workflow as wf
from elevstod.support.models import Investigation
from elevstod.support.services import investigations, programmes
from tests.builders import decided_programme, started_investigation


def test_an_investigation_started_without_investigator_or_date_takes_the_defaults(school):
    inv = investigations.investigation_start(
        actor=school.principal, pupil=school.pupil, investigator_ids=[], planned_decision_date=None
    )

    assert list(inv.investigators.all()) == [school.principal.person]
    assert inv.planned_decision_date == today() + dt.timedelta(weeks=4)
    assert len(inv.defaults_taken) == 2
    event = AuditEvent.objects.get(code="support.investigation.started")
    assert event.data["default_investigator"] is True
    assert event.data["default_decision_date"] is True


def test_an_investigation_with_its_own_investigator_and_date_takes_no_default(school):
    planned = today() + dt.timedelta(days=10)
    inv = investigations.investigation_start(
        actor=school.principal,
        pupil=school.pupil,
        investigator_ids=[school.health.person.pk],
        planned_decision_date=planned,
    )

    assert list(inv.investigators.all()) == [school.health.person]
    assert inv.planned_decision_date == planned
    assert inv.defaults_taken == ()
    event = AuditEvent.objects.get(code="support.investigation.started")
    assert event.data["default_investigator"] is False
    assert event.data["default_decision_date"] is False


def test_the_principal_is_told_which_default_the_investigation_took(client, school):
    # given the principal on the start form, leaving the investigators and the date out
    client.force_login(school.principal)
    url = reverse("support:investigation_new", args=[school.pupil.pk])
    form = client.get(url).content.decode()
    assert "Om du inte anger någon utreder du själv." in form
    assert "Lämnas fältet tomt: fyra veckor från i dag." in form

    # when they start it
    page = client.post(url, {"planned_decision_date": ""}, follow=True).content.decode()

    # then the investigation page names the principal and says both defaults were taken
    planned = (today() + dt.timedelta(weeks=4)).isoformat()
    assert "Utredningen startades." in page
    assert f"Utredare: {school.principal.person.full_name}." in page
    assert "Ingen utredare angavs, så du som rektor utreder." in page
    assert f"planeras beslutet fyra veckor från i dag: {planned}." in page
    assert "Utredare: –" not in page


def test_the_principal_who_names_an_investigator_is_told_only_of_the_date_default(client, school):
    client.force_login(school.principal)
    url = reverse("support:investigation_new", args=[school.pupil.pk])

    page = client.post(url, {"investigators": [school.health.person.pk]}, follow=True)

    text = page.content.decode()
    assert f"Utredare: {school.health.person.full_name}." in text
    assert "Ingen utredare angavs" not in text
    assert "planeras beslutet fyra veckor från i dag" in text
    assert Investigation.objects.get().investigators.get() == school.health.person


def test_starting_an_investigation_handles_the_referral(school):
    referral = investigations.referral_submit(
        actor=school.teacher, pupil=school.pupil, tried="x", why="y"
    )
    inv = started_investigation(school, referral=referral)
    referral.refresh_from_db()
    assert referral.state == wf.ReferralState.HANDLED
    assert referral.investigation == inv


def test_only_the_principal_starts_an_investigation(school):
    with pytest.raises(DomainError):
        investigations.investigation_start(
            actor=school.teacher,
            pupil=school.pupil,
            investigator_ids=[],
            planned_decision_date=None,
        )
    assert not Investigation.objects.exists()


def test_a_second_investigation_cannot_start_while_one_is_in_progress(school):
    started_investigation(school)
    with pytest.raises(DomainError):
        started_investigation(school)
    assert Investigation.objects.filter(pupil=school.pupil).count() == 1


def test_moving_school_new_unit_reuses_the_existing_investigation(school):
    programme = decided_programme(school)
    # the pupil leaves: the old unit closes the programme
    programmes.programme_close(
        actor=school.principal,
        programme_id=programme.pk,
        reasons="Eleven byter skola.",
        decided_on=today(),
    )
    old_placement = school.pupil.placements.get()
    org.placement_end(actor=None, placement=old_placement, end_date=today())
    new_unit = org.unit_create(
        actor=None,
        organiser=school.unit.organiser,
        name="Lönnskolan",
        school_unit_code="10000003",
        support_module_enabled=True,
    )
    org.placement_start(
        actor=None, pupil=school.pupil, unit=new_unit, school_year=5, start_date=today()
    )
    from .conftest import _staff

    new_principal = _staff("Nils Nyrektor", new_unit, "PRINCIPAL", today())
    new_inv = investigations.investigation_start(
        actor=new_principal,
        pupil=school.pupil,
        investigator_ids=[],
        planned_decision_date=None,
        based_on=programme.investigation,
    )
    assert new_inv.unit == new_unit
    assert new_inv.based_on == programme.investigation
    assert new_inv.assessment == programme.investigation.assessment
    # the old principal no longer reaches the pupil
    with pytest.raises(DomainError):
        investigations.investigation_start(
            actor=school.principal,
            pupil=school.pupil,
            investigator_ids=[],
            planned_decision_date=None,
        )
