"""Special support through HTTP: the whole chain as the principal and the teacher use it, and
the refusals next to each permission."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.core.timeutil import today
from elevstod.support import workflow as wf
from elevstod.support.models import (
    ActionProgramme,
    Appeal,
    Decision,
    DelegationGrant,
    Effect,
    Investigation,
    NextStep,
    Referral,
)
from elevstod.support.services import adaptations
from tests.builders import new_adaptation, page

D = today().isoformat()


def _post(client, url, data, status=302):
    response = client.post(url, data)
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_the_whole_chain_in_the_browser_forms(client, school):
    # the teacher reports to the principal
    client.force_login(school.teacher)
    _post(
        client,
        reverse("support:referral_new", args=[school.pupil.pk]),
        {"tried": "Förlängd skrivtid", "why": "Ingen effekt."},
    )
    referral = Referral.objects.get()
    # the principal sees how long it has waited and starts an investigation from it
    client.force_login(school.principal)
    page = client.get(reverse("support:referral_detail", args=[referral.pk]))
    assert "Väntar på rektor: 0 dagar." in page.content.decode()
    _post(
        client,
        reverse("support:investigation_new", args=[school.pupil.pk]) + f"?anmalan={referral.pk}",
        {
            "investigators": [school.health.person.pk],
            "planned_decision_date": D,
            "anmalan": referral.pk,
        },
    )
    inv = Investigation.objects.get()
    # pupil health writes the investigation
    client.force_login(school.health)
    _post(
        client,
        reverse("support:investigation_save", args=[inv.pk]),
        {
            "version": inv.version,
            "mapping_individual": "Läser långsamt.",
            "assessment": "Behöver särskilt stöd.",
            "health_consulted": "yes",
        },
    )
    inv.refresh_from_db()
    # the principal concludes: a programme shall be drawn up
    client.force_login(school.principal)
    response = _post(
        client,
        reverse("support:investigation_conclude_with_programme", args=[inv.pk]),
        {"version": inv.version},
    )
    programme = ActionProgramme.objects.get()
    assert response["Location"] == reverse("support:programme_detail", args=[programme.pk])
    # the teacher drafts the programme with a measure and submits it
    client.force_login(school.teacher)
    _post(
        client,
        reverse("support:programme_edit", args=[programme.pk]),
        {
            "version": programme.version,
            "needs": "Läsförståelse.",
            "follow_up_plan": "Varannan vecka",
            "follow_up_responsible": school.teacher.person.pk,
            "evaluation_date": (today() + dt.timedelta(days=60)).isoformat(),
            "evaluation_responsible": school.principal.person.pk,
            "pupil_participated": "on",
            "measures-TOTAL_FORMS": "1",
            "measures-INITIAL_FORMS": "0",
            "measures-0-what": "Lästräning",
            "measures-0-how": "Enskilt",
            "measures-0-how_much": "3 x 20 min",
            "measures-0-responsible": school.teacher.person.pk,
            "measures-0-support_form": "ORDINARY",
        },
    )
    programme.refresh_from_db()
    _post(
        client,
        reverse("support:programme_submit", args=[programme.pk]),
        {"version": programme.version},
    )
    programme.refresh_from_db()
    assert programme.state == wf.ProgrammeState.SUBMITTED
    # the principal decides
    client.force_login(school.principal)
    _post(
        client,
        reverse("support:programme_decide", args=[programme.pk]),
        {
            "version": programme.version,
            "reasons": "Utredningen visar behov.",
            "decided_on": D,
        },
    )
    decision = Decision.objects.get()
    page = client.get(reverse("support:decision_detail", args=[decision.pk])).content.decode()
    assert "Skolväsendets överklagandenämnd" in page
    assert "Hur man överklagar" in page
    # the pupil's only guardian is chosen already in the notification form
    assert f'<option value="{school.guardian.person.pk}" selected>' in page
    # the guardian is notified, and appeals in time
    _post(
        client,
        reverse("support:decision_notify", args=[decision.pk]),
        {
            "party": school.guardian.person.pk,
            "notified_on": D,
            "method": "IN_PERSON",
        },
    )
    page = client.get(reverse("support:decision_detail", args=[decision.pk])).content.decode()
    last_day = wf.appeal_last_day(today()).isoformat()
    assert f"sista dag att överklaga {last_day}" in page
    notify_url = reverse("support:decision_notify", args=[decision.pk])
    assert notify_url not in page  # everyone is notified: nobody left to record
    _post(
        client,
        reverse("support:decision_appeal", args=[decision.pk]),
        {"appellant": school.guardian.person.pk, "received_on": D},
    )
    appeal = Appeal.objects.get()
    assert appeal.in_time
    _post(
        client,
        reverse("support:appeal_forward", args=[appeal.pk]),
        {"forwarded_on": D},
    )
    # follow-up, evaluation and a new programme
    client.force_login(school.teacher)
    _post(
        client,
        reverse("support:programme_follow_up", args=[programme.pk]),
        {"fu-date": D, "fu-text": "Bättre läsflyt."},
    )
    client.force_login(school.principal)
    _post(
        client,
        reverse("support:programme_evaluate", args=[programme.pk]),
        {"ev-date": D, "ev-text": "Delvis nått.", "ev-need_remains": "on"},
    )
    _post(client, reverse("support:programme_renew", args=[programme.pk]), {})
    renewed = ActionProgramme.objects.exclude(pk=programme.pk).get()
    assert renewed.state == wf.ProgrammeState.DRAFT
    assert renewed.previous == programme


def test_a_teacher_cannot_see_the_investigation_but_pupil_health_can(client, school):
    from elevstod.support.services import investigations

    inv = investigations.investigation_start(
        actor=school.principal, pupil=school.pupil, investigator_ids=[], planned_decision_date=None
    )
    url = reverse("support:investigation_detail", args=[inv.pk])
    client.force_login(school.teacher)
    assert client.get(url).status_code == 404
    assert AccessLogEntry.objects.filter(purpose="support.investigation.page").exists()
    client.force_login(school.health)
    assert client.get(url).status_code == 200


def test_an_invited_teacher_can_contribute_to_the_investigation(client, school):
    from elevstod.support.services import investigations

    inv = investigations.investigation_start(
        actor=school.principal, pupil=school.pupil, investigator_ids=[], planned_decision_date=None
    )
    client.force_login(school.principal)
    _post(
        client,
        reverse("support:investigation_invite", args=[inv.pk]),
        {"contributors": [school.teacher.person.pk]},
        status=200,  # the page comes back, with any typed investigation text kept
    )
    client.force_login(school.teacher)
    assert client.get(reverse("support:investigation_detail", args=[inv.pk])).status_code == 200


def test_the_pupil_page_lists_an_investigation_to_an_invited_teacher_only(client, school):
    from elevstod.support.services import investigations

    inv = investigations.investigation_start(
        actor=school.principal, pupil=school.pupil, investigator_ids=[], planned_decision_date=None
    )
    link = reverse("support:investigation_detail", args=[inv.pk])
    pupil_page = reverse("organisation:pupil_detail", args=[school.pupil.pk])
    client.force_login(school.teacher)
    assert link not in page(client, pupil_page)
    investigations.investigation_invite(
        actor=school.principal, investigation_id=inv.pk, person_ids=[school.teacher.person.pk]
    )
    assert link in page(client, pupil_page)
    client.force_login(school.mentor)  # works with the pupil's support, not invited
    assert link not in page(client, pupil_page)


def test_a_decision_without_reasons_keeps_the_form_and_says_why(client, school):
    from elevstod.support.services import investigations

    inv = investigations.investigation_start(
        actor=school.principal, pupil=school.pupil, investigator_ids=[], planned_decision_date=None
    )
    client.force_login(school.principal)
    response = client.post(
        reverse("support:investigation_conclude_without_programme", args=[inv.pk]),
        {"version": inv.version, "reasons": "", "decided_on": D},
    )
    assert response.status_code == 200
    assert not Decision.objects.exists()


def test_only_the_principal_edits_the_delegation_order(client, school):
    page = reverse("support:delegation_order", args=[school.unit.pk])
    url = reverse("support:delegation_add", args=[school.unit.pk])
    data = {
        "delegate": school.teacher.person.pk,
        "kind": "PROGRAMME",
        "valid_from": D,
    }
    client.force_login(school.teacher)
    assert client.get(page).status_code == 200
    assert client.post(url, data).status_code == 404
    assert not DelegationGrant.objects.exists()
    client.force_login(school.principal)
    assert _post(client, url, data)["Location"] == page
    assert DelegationGrant.objects.get().delegate == school.teacher.person


def test_only_the_principal_revokes_a_delegation_in_force_at_the_unit(client, school):
    from elevstod.support.services import delegation

    grant = delegation.delegation_grant(
        actor=school.principal,
        unit=school.unit,
        delegate=school.teacher.person,
        kind=wf.DecisionKind.PROGRAMME,
        valid_from=today(),
        valid_until=None,
    )
    url = reverse("support:delegation_revoke", args=[school.unit.pk])
    client.force_login(school.teacher)
    assert client.post(url, {"grant": grant.pk}).status_code == 404
    client.force_login(school.principal)
    assert client.post(url, {"grant": grant.pk + 1}).status_code == 404  # no such delegation
    assert DelegationGrant.objects.get().revoked_at is None
    _post(client, url, {"grant": grant.pk})
    revoked_at = DelegationGrant.objects.get().revoked_at
    assert revoked_at is not None
    # a second click finds it revoked already: back to the page, told so, nothing changed
    again = client.post(url, {"grant": grant.pk}, follow=True)
    assert "Delegationen är redan återkallad." in again.content.decode()
    assert DelegationGrant.objects.get().revoked_at == revoked_at


def test_a_step_of_a_page_takes_only_a_post_and_the_page_only_a_get(client, school):
    client.force_login(school.principal)
    step = reverse("support:delegation_add", args=[school.unit.pk])
    assert client.get(step).status_code == 405
    page = reverse("support:delegation_order", args=[school.unit.pk])
    data = {"action": "grant", "delegate": school.teacher.person.pk, "valid_from": D}
    assert client.post(page, data).status_code == 405  # no dispatch on an "action" field
    assert not DelegationGrant.objects.exists()


def test_the_units_special_support_overview_lists_waiting_referrals(client, school):
    from elevstod.support.services import investigations

    investigations.referral_submit(actor=school.teacher, pupil=school.pupil, tried="x", why="y")
    client.force_login(school.principal)
    page = client.get(reverse("support:unit_special_support", args=[school.unit.pk]))
    assert school.pupil.full_name in page.content.decode()


@pytest.mark.parametrize("who", ["colleague", "admin", "guardian", "plain_principal"])
def test_the_referral_form_is_refused_to_those_outside_the_pupils_support(client, school, who):
    client.force_login(getattr(school, who))
    url = reverse("support:referral_new", args=[school.pupil.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"tried": "x", "why": "y"}).status_code == 404
    assert not Referral.objects.exists()


def test_a_refused_step_shows_the_page_again_with_what_was_typed_and_nothing_is_decided(
    client, school
):
    from tests.builders import draft_programme

    programme = draft_programme(school)
    client.force_login(school.principal)
    response = client.post(
        reverse("support:programme_decide", args=[programme.pk]),
        {"version": programme.version, "reasons": "", "decided_on": "2026-13-45"},
    )
    assert response.status_code == 200
    form = response.context["forms"]["decide"]
    assert form.errors["reasons"]
    assert form.errors["decided_on"]
    assert form["decided_on"].value() == "2026-13-45"
    assert response.context["p"] == programme  # the programme page, with the bound form
    assert not Decision.objects.exists()


def test_a_step_the_service_refuses_goes_back_to_the_page_with_why(client, school):
    from tests.builders import decided_programme

    programme = decided_programme(school)
    client.force_login(school.principal)
    response = client.post(
        reverse("support:programme_submit", args=[programme.pk]),
        {"version": programme.version},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "support:programme_detail", args=[programme.pk]
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    programme.refresh_from_db()
    assert programme.state == wf.ProgrammeState.DECIDED


def test_a_report_needs_words_only_for_what_the_ticked_adaptations_do_not_say(client, school):
    adaptation = new_adaptation(school, title="Förlängd skrivtid")
    client.force_login(school.teacher)
    url = reverse("support:referral_new", args=[school.pupil.pk])
    refused = _post(client, url, {"tried": "", "why": "Ingen effekt."}, status=200)
    assert "Skriv vad som har prövats, eller kryssa i anpassningarna" in refused.content.decode()
    assert "Ingen effekt." in refused.content.decode()  # what was typed is kept
    assert not Referral.objects.exists()
    _post(client, url, {"tried": "", "why": "Ingen effekt.", "adaptations": [adaptation.pk]})
    referral = Referral.objects.get()
    client.force_login(school.principal)
    page = client.get(reverse("support:referral_detail", args=[referral.pk])).content.decode()
    assert page.count("Förlängd skrivtid") == 1


def test_an_evaluation_that_reports_lists_each_adaptation_tried_once(client, school):
    adaptation = new_adaptation(school, title="Förlängd skrivtid")
    adaptations.adaptation_evaluate(
        actor=school.teacher,
        adaptation_id=adaptation.pk,
        date=today(),
        outcome="Anpassningarna räcker inte.",
        effect=Effect.NO_EFFECT,
        next_step=NextStep.REPORT,
        next_follow_up=today() + dt.timedelta(days=14),
    )
    client.force_login(school.principal)
    referral = Referral.objects.get()
    page = client.get(reverse("support:referral_detail", args=[referral.pk])).content.decode()
    assert page.count("Förlängd skrivtid") == 1
    assert "Anpassningarna räcker inte." in page
