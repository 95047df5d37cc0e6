"""A party confirms receipt of a decision after a fresh login at the organiser's e-ID login
(BankID or Freja eID through SAML), against a pysaml2 identity provider in the test process:
the person is matched on the personal identity number it asserts, among the guardians and
pupils of the organiser's units; whether they are a party stays the decision's rule."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

import pytest
from saml2 import BINDING_HTTP_REDIRECT

from elevstod.accounts.models import IdentityProvider, User
from elevstod.accounts.services import user_create, user_link_eppn
from elevstod.accounts.stepup import step_up_url
from elevstod.audit.models import AuditEvent
from elevstod.core.timeutil import today
from elevstod.organisation import services as org
from elevstod.organisation.models import Person
from elevstod.support.models import Decision, PartyNotification
from tests.builders import decided_programme, page
from tests.factories import civic_number_for

from .test_saml import IDP_ENTITY, InProcessIdP, _post_to_acs

pytestmark = pytest.mark.real_step_up

EID_ENTITY = "https://eid.ekby.example/idp"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"  # the Swedish e-ID's substantial level
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
CIVIC = "urn:oid:1.2.752.29.4.13"  # personalIdentityNumber
GUN = civic_number_for(dt.date(1985, 3, 4), 111)


@pytest.fixture
def eid(client, school, tmp_path, settings):
    settings.ELEVSTOD_SAML_BASE_URL = "http://testserver"
    sp_metadata = client.get(reverse("accounts:saml_metadata")).content.decode()
    idp = InProcessIdP(tmp_path, sp_metadata, entity_id=EID_ENTITY)
    provider = IdentityProvider.objects.create(
        organiser=school.unit.organiser,
        name="Ekby e-legitimation",
        entity_id=EID_ENTITY,
        metadata_xml=idp.metadata,
        asserts_2fa=True,
        mfa_authn_context=LOA3,
        citizen_eid=True,
    )
    _give_civic_number(school.guardian.person, GUN)
    return idp, provider


@pytest.fixture
def decision(school) -> Decision:
    return decided_programme(school).decisions.get()


def _give_civic_number(person: Person | None, number: str) -> None:
    assert person is not None
    Person.objects.filter(pk=person.pk).update(civic_number=number)


def _family_login(username: str, given: str, number: str) -> User:
    person = org.person_create(actor=None, given_name=given, family_name="Elev")
    _give_civic_number(person, number)
    return user_create(actor=None, username=username, person=person, password="x" * 12)


def _acknowledge_url(decision: Decision) -> str:
    return reverse("family:decision_acknowledge", args=[decision.pk])


def _step_up_with_eid(client, idp, next_url, civic_number, *, age=0, class_ref=LOA3):
    """From the step-up page, the e-ID button; the provider answers that ``civic_number``
    logged in ``age`` seconds ago. Returns (the AuthnRequest, the app's answer)."""
    body = page(client, step_up_url(next_url))
    link = re.search(r'href="(/konto/saml/logga-in/\?[^"]+step_up=1[^"]*)"', body)
    assert link, "the step-up page offers no e-ID login"
    start = client.get(link.group(1).replace("&amp;", "&"))
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    request = idp.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
    attributes = {CIVIC: [civic_number]} if civic_number else {"displayName": ["Gun Elev"]}
    answer = idp.answer(start["Location"], attributes, authn_age=age, class_ref=class_ref)
    return request.message, _post_to_acs(client, answer)


def _confirm(client, decision: Decision):
    form = page(client, _acknowledge_url(decision))
    token = form.split('name="token" value="')[1].split('"')[0]
    return client.post(_acknowledge_url(decision), {"token": token})


def test_a_guardian_confirms_receipt_after_a_fresh_e_id_login(client, school, eid, decision):
    # given the guardian with custody, logged in with a password only
    idp, _provider = eid
    client.force_login(school.guardian)
    asked = client.get(_acknowledge_url(decision))
    assert asked["Location"] == step_up_url(_acknowledge_url(decision))
    offered = page(client, asked["Location"])
    assert "E-legitimation: Ekby e-legitimation" in offered
    assert "Logga in igen med din egen e-legitimation" in offered

    # when they log in afresh at the organiser's e-ID with their own personal identity number
    request, answer = _step_up_with_eid(client, idp, _acknowledge_url(decision), GUN)

    # then the app asked for a fresh login, and the receipt is recorded as digital
    assert request.force_authn == "true"
    assert answer["Location"] == _acknowledge_url(decision)
    assert _confirm(client, decision).status_code == 302
    record = PartyNotification.objects.get(decision=decision)
    assert record.party_id == school.guardian.person_id
    assert record.method == PartyNotification.Method.DIGITAL
    assert record.notified_on == today()
    verified = AuditEvent.objects.get(code="accounts.step_up.verified")
    assert verified.actor_id == school.guardian.pk


def test_an_e_id_login_from_hours_ago_does_not_confirm_receipt(client, school, eid, decision):
    idp, _provider = eid
    client.force_login(school.guardian)

    _request, answer = _step_up_with_eid(client, idp, _acknowledge_url(decision), GUN, age=8 * 3600)

    assert answer["Location"] == step_up_url(_acknowledge_url(decision))
    assert client.get(_acknowledge_url(decision))["Location"].startswith(
        reverse("accounts:step_up")
    )
    assert AuditEvent.objects.filter(code="accounts.step_up.failed").exists()
    assert not PartyNotification.objects.filter(decision=decision).exists()


def test_an_e_id_login_below_the_organiser_s_level_does_not_confirm_receipt(
    client, school, eid, decision
):
    idp, _provider = eid
    client.force_login(school.guardian)

    _request, answer = _step_up_with_eid(
        client, idp, _acknowledge_url(decision), GUN, class_ref=LOA2
    )

    assert answer["Location"] == step_up_url(_acknowledge_url(decision))
    assert not PartyNotification.objects.filter(decision=decision).exists()


def test_an_e_id_answer_for_another_personal_identity_number_is_refused(
    client, school, eid, decision
):
    # given another guardian at the school, known by their own personal identity number
    idp, _provider = eid
    other = _family_login("olle", "Olle", civic_number_for(dt.date(1980, 1, 2), 222))
    org.guardianship_add(actor=None, guardian=other.person, pupil=school.classmate)
    client.force_login(school.guardian)

    # when the e-ID answers with the other guardian's number, or with a number nobody has
    for number in (other.person.civic_number, civic_number_for(dt.date(1979, 5, 6), 333)):
        _request, answer = _step_up_with_eid(client, idp, _acknowledge_url(decision), number)

        # then Gun is neither verified nor turned into anyone else
        assert answer.status_code == 403
        assert client.session["_auth_user_id"] == str(school.guardian.pk)
        assert client.get(_acknowledge_url(decision))["Location"].startswith(
            reverse("accounts:step_up")
        )
    assert not PartyNotification.objects.filter(decision=decision).exists()


def test_an_e_id_answer_without_a_personal_identity_number_is_refused(
    client, school, eid, decision
):
    idp, _provider = eid
    client.force_login(school.guardian)

    _request, answer = _step_up_with_eid(client, idp, _acknowledge_url(decision), "")

    assert answer.status_code == 403
    assert not PartyNotification.objects.filter(decision=decision).exists()


def test_a_guardian_without_custody_steps_up_with_e_id_but_confirms_nothing(
    client, school, eid, decision
):
    # given a guardian without custody, who is no party of the decision
    idp, _provider = eid
    number = civic_number_for(dt.date(1982, 7, 8), 444)
    far = _family_login("frans", "Frans", number)
    org.guardianship_add(actor=None, guardian=far.person, pupil=school.pupil, custody=False)
    client.force_login(far)

    # when they step up at the e-ID with their own number
    _request, answer = _step_up_with_eid(client, idp, "/", number)

    # then the step-up holds, but the decision is not theirs to confirm
    assert answer["Location"] == "/"
    assert client.get(_acknowledge_url(decision)).status_code == 404
    assert client.post(_acknowledge_url(decision), {"token": "t"}).status_code == 404
    assert not PartyNotification.objects.filter(decision=decision).exists()


def test_the_e_id_login_is_offered_only_to_the_organiser_s_families(client, school, eid):
    # given a person of no family at the organiser's units, and the principal (staff)
    _idp, provider = eid
    stranger = _family_login("sten", "Sten", civic_number_for(dt.date(1970, 9, 9), 555))
    user_link_eppn(actor=None, user=school.principal, eppn="rut.rektor@ekby.example")
    forced = {"idp": provider.pk, "step_up": 1, "next": "/"}

    for user in (stranger, school.principal):
        client.force_login(user)
        # then neither is offered the e-ID step-up, nor may start it
        assert f"idp={provider.pk}" not in page(client, step_up_url("/"))
        assert client.get(reverse("accounts:saml_login"), forced).status_code == 404


def test_the_school_login_is_not_offered_to_a_guardian(client, school, eid, tmp_path):
    # given the organiser's staff login (Skolfederation) next to its e-ID
    staff_login = IdentityProvider.objects.create(
        organiser=school.unit.organiser,
        name="Ekby skolinloggning",
        entity_id=IDP_ENTITY,
        metadata_xml=eid[1].metadata_xml.replace(EID_ENTITY, IDP_ENTITY),
        asserts_2fa=True,
    )
    client.force_login(school.guardian)
    forced = {"idp": staff_login.pk, "step_up": 1, "next": "/"}
    assert client.get(reverse("accounts:saml_login"), forced).status_code == 404


def test_a_guardian_logs_in_with_the_e_id_and_may_confirm_receipt(client, school, eid, decision):
    # given nobody logged in
    idp, provider = eid
    start = client.get(
        reverse("accounts:saml_login"), {"idp": provider.pk, "next": _acknowledge_url(decision)}
    )

    # when the e-ID answers with the guardian's number, at the organiser's level, just now
    answer = _post_to_acs(client, idp.answer(start["Location"], {CIVIC: [GUN]}, class_ref=LOA3))

    # then the guardian is logged in, the login counts as the fresh step-up
    assert answer["Location"] == _acknowledge_url(decision)
    assert client.session["_auth_user_id"] == str(school.guardian.pk)
    assert _confirm(client, decision).status_code == 302
    assert PartyNotification.objects.filter(decision=decision).count() == 1
