"""Skolfederation login end to end, against a real pysaml2 identity provider in the test process
with keys made for the test."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django.urls import reverse

import pytest
from saml2 import BINDING_HTTP_REDIRECT

from elevstod.accounts.models import IdentityProvider
from elevstod.accounts.saml import LOA_2FA
from elevstod.accounts.services import user_link_eppn
from elevstod.accounts.stepup import step_up_url
from elevstod.audit.models import AuditEvent
from elevstod.organisation import services as org

from .saml_idp import IDP_ENTITY, InProcessIdP

pytestmark = pytest.mark.real_step_up

LOA_BAS = "http://id.skolfederation.se/loa/bas"


@pytest.fixture
def federation(client, school, tmp_path, settings):
    settings.ELEVSTOD_SAML_BASE_URL = "http://testserver"
    sp_metadata = client.get(reverse("accounts:saml_metadata")).content.decode()
    idp = InProcessIdP(tmp_path, sp_metadata)
    provider = IdentityProvider.objects.create(
        organiser=school.unit.organiser,
        name="Ekby inloggning",
        entity_id=IDP_ENTITY,
        metadata_xml=idp.metadata,
        asserts_2fa=True,
    )
    user_link_eppn(actor=None, user=school.principal, eppn="Rut.Rektor@ekby.example")
    return idp, provider


def _attributes(eppn="rut.rektor@ekby.example", assurance=(LOA_BAS, LOA_2FA)):
    return {"eduPersonPrincipalName": [eppn], "eduPersonAssurance": list(assurance)}


def _post_to_acs(client, saml_response):
    """What the browser does with the provider's answer: the cross-site POST to the assertion
    consumer service (which sees no session), then the same-site GET it redirects to."""
    checked = client.post(reverse("accounts:saml_acs"), {"SAMLResponse": saml_response})
    if checked.status_code != 302:
        return checked
    assert checked["Location"].startswith(reverse("accounts:saml_complete"))
    return client.get(checked["Location"])


def _login(client, provider, idp, attributes, *, next_url="/", tamper=None, sign=True, age=0):
    start = client.get(reverse("accounts:saml_login"), {"idp": provider.pk, "next": next_url})
    assert start.status_code == 302
    saml_response = idp.answer(start["Location"], attributes, sign=sign, authn_age=age)
    if tamper:
        xml = base64.b64decode(saml_response).decode()
        saml_response = base64.b64encode(tamper(xml).encode()).decode()
    return _post_to_acs(client, saml_response)


def test_the_metadata_names_the_assertion_consumer_service(client, db, settings):
    settings.ELEVSTOD_SAML_BASE_URL = "https://elevstod.example"
    body = client.get(reverse("accounts:saml_metadata")).content.decode()
    assert 'entityID="https://elevstod.example/konto/saml/metadata/"' in body
    assert "https://elevstod.example/konto/saml/acs/" in body


def test_a_2fa_assertion_logs_in_without_step_up(client, school, federation):
    idp, provider = federation
    path = reverse("support:unit_overview", args=[school.unit.pk])

    answer = _login(client, provider, idp, _attributes(), next_url=path)

    assert answer.status_code == 302
    assert answer["Location"] == path
    assert client.get(path).status_code == 200
    event = AuditEvent.objects.get(code="accounts.session.logged_in")
    assert event.data["method"] == "saml"
    assert event.data["two_factor"] is True


def test_a_base_level_assertion_logs_in_but_needs_the_step_up(client, school, federation):
    idp, provider = federation
    path = reverse("support:unit_overview", args=[school.unit.pk])

    answer = _login(client, provider, idp, _attributes(assurance=[LOA_BAS]), next_url=path)

    assert answer["Location"] == path
    assert client.get(reverse("home:start")).status_code == 200
    assert client.get(path)["Location"] == step_up_url(path)


def test_2fa_is_not_taken_from_a_provider_not_trusted_to_assert_it(client, school, federation):
    idp, provider = federation
    IdentityProvider.objects.filter(pk=provider.pk).update(asserts_2fa=False)
    path = reverse("support:unit_overview", args=[school.unit.pk])
    _login(client, provider, idp, _attributes(), next_url=path)
    assert client.get(path)["Location"] == step_up_url(path)


def test_a_tampered_assertion_is_refused(client, school, federation):
    idp, provider = federation
    tamper = lambda xml: xml.replace("rut.rektor@ekby.example", "tove.larare@ekby.example")  # noqa: E731
    user_link_eppn(actor=None, user=school.teacher, eppn="tove.larare@ekby.example")

    answer = _login(client, provider, idp, _attributes(), tamper=tamper)

    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(code="accounts.session.login_failed").count() == 1


def test_an_unsigned_assertion_is_refused(client, school, federation):
    idp, provider = federation
    answer = _login(client, provider, idp, _attributes(), sign=False)
    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session


def test_an_unknown_user_is_refused_and_no_account_is_made(client, school, federation):
    idp, provider = federation
    answer = _login(client, provider, idp, _attributes(eppn="okand@ekby.example"))
    assert answer.status_code == 403
    assert "not linked to an account" in answer.content.decode() or re.search(
        "inte kopplad", answer.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_a_user_of_another_organiser_is_refused(client, school, federation):
    idp, provider = federation
    other = org.organiser_create(actor=None, name="Annan huvudman", kind="MUNICIPALITY")
    IdentityProvider.objects.filter(pk=provider.pk).update(organiser=other)

    answer = _login(client, provider, idp, _attributes())

    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_response_nobody_asked_for_is_refused(client, school, federation):
    idp, provider = federation
    start = client.get(reverse("accounts:saml_login"), {"idp": provider.pk})
    saml_response = idp.answer(start["Location"], _attributes())
    _post_to_acs(client, saml_response)
    client.post(reverse("accounts:logout"))

    replay = _post_to_acs(client, saml_response)

    assert replay.status_code == 403
    assert "_auth_user_id" not in client.session


# --- the step-up at the identity provider ------------------------------------------------------


def _step_up_at_provider(client, idp, path, attributes, age=0):
    """From the step-up page, the provider's button; the provider answers with ``attributes``.
    Returns (the AuthnRequest the provider got, the app's answer to the provider's response)."""
    page = client.get(step_up_url(path)).content.decode()
    link = re.search(r'href="(/konto/saml/logga-in/\?[^"]+step_up=1[^"]*)"', page)
    assert link, "the step-up page offers no school login"
    start = client.get(link.group(1).replace("&amp;", "&"))
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    request = idp.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
    saml_response = idp.answer(start["Location"], attributes, authn_age=age)
    return request.message, _post_to_acs(client, saml_response)


def test_a_base_level_login_steps_up_at_the_identity_provider(client, school, federation):
    # given a principal who logged in at the base level
    idp, provider = federation
    path = reverse("support:unit_overview", args=[school.unit.pk])
    _login(client, provider, idp, _attributes(assurance=[LOA_BAS]))

    # when the provider confirms a two-factor login again
    request, answer = _step_up_at_provider(client, idp, path, _attributes())

    # then the app asked for a fresh login, and the support page opens
    assert request.force_authn == "true"
    assert answer["Location"] == path
    assert client.get(path).status_code == 200
    assert AuditEvent.objects.get(code="accounts.step_up.verified").actor_id == school.principal.pk


def test_a_step_up_at_the_provider_without_2fa_keeps_the_support_part_closed(
    client, school, federation
):
    idp, provider = federation
    path = reverse("support:unit_overview", args=[school.unit.pk])
    _login(client, provider, idp, _attributes(assurance=[LOA_BAS]))

    _request, answer = _step_up_at_provider(client, idp, path, _attributes(assurance=[LOA_BAS]))

    assert answer["Location"] == step_up_url(path)
    assert client.get(path)["Location"] == step_up_url(path)
    assert AuditEvent.objects.filter(code="accounts.step_up.failed").exists()
    assert client.session["_auth_user_id"] == str(school.principal.pk)


def test_a_step_up_answer_for_another_person_is_refused(client, school, federation):
    # given the teacher logged in with a password, and linked to the same provider
    idp, _provider = federation
    user_link_eppn(actor=None, user=school.teacher, eppn="tove.larare@ekby.example")
    client.force_login(school.teacher)
    path = reverse("support:library", args=[school.unit.pk])

    # when the provider answers with the principal's two-factor login
    _request, answer = _step_up_at_provider(client, idp, path, _attributes())

    # then the teacher is neither verified nor turned into the principal
    assert answer.status_code == 403
    assert client.session["_auth_user_id"] == str(school.teacher.pk)
    assert client.get(path)["Location"] == step_up_url(path)


def test_a_provider_not_trusted_with_2fa_is_not_offered_for_the_step_up(client, school, federation):
    _idp, provider = federation
    IdentityProvider.objects.filter(pk=provider.pk).update(asserts_2fa=False)
    client.force_login(school.principal)
    path = reverse("support:unit_overview", args=[school.unit.pk])

    page = client.get(step_up_url(path)).content.decode()
    forced = client.get(reverse("accounts:saml_login"), {"idp": provider.pk, "step_up": 1})

    assert "step_up=1" not in page
    assert forced.status_code == 404


def test_a_user_whose_school_login_asserts_2fa_cannot_enrol_a_factor_with_a_password_alone(
    client, school, federation
):
    # given the principal, linked to a school login that confirms 2FA, in with a password only
    client.force_login(school.principal)
    path = reverse("support:unit_overview", args=[school.unit.pk])

    # when they try to set up an authenticator app, then they must step up first
    assert client.get(reverse("accounts:totp_enrol"))["Location"].startswith(
        reverse("accounts:step_up")
    )
    assert client.post(reverse("accounts:sms_enrol"), {"number": "0701234567"}).status_code == 302
    # and the step-up page offers the school login, not a first factor by password
    page = client.get(step_up_url(path)).content.decode()
    assert "step_up=1" in page
    assert reverse("accounts:security") + "?" not in page


def test_a_step_up_answer_from_an_old_login_at_the_provider_is_refused(client, school, federation):
    # given a provider that answers the step-up from a login eight hours old (no fresh login)
    idp, provider = federation
    path = reverse("support:unit_overview", args=[school.unit.pk])
    _login(client, provider, idp, _attributes(assurance=[LOA_BAS]))

    _request, answer = _step_up_at_provider(client, idp, path, _attributes(), age=8 * 3600)

    assert answer["Location"] == step_up_url(path)
    assert client.get(path)["Location"] == step_up_url(path)
    assert AuditEvent.objects.filter(code="accounts.step_up.failed").exists()


def test_a_2fa_login_from_hours_ago_logs_in_but_needs_the_step_up(client, school, federation):
    idp, provider = federation
    path = reverse("support:unit_overview", args=[school.unit.pk])

    answer = _login(client, provider, idp, _attributes(), next_url=path, age=3 * 3600)

    assert answer["Location"] == path
    assert client.get(path)["Location"] == step_up_url(path)


def test_the_assertion_consumer_service_needs_no_session_cookie(client, school, federation):
    # given a login started in the browser's session
    idp, provider = federation
    start = client.get(reverse("accounts:saml_login"), {"idp": provider.pk})
    saml_response = idp.answer(start["Location"], _attributes())

    # when the provider's cross-site POST arrives without the (SameSite=Lax) session cookie
    cookieless = Client()
    checked = cookieless.post(reverse("accounts:saml_acs"), {"SAMLResponse": saml_response})

    # then the answer is checked and handed to the same-site GET, which carries the session
    assert checked.status_code == 302
    done = client.get(checked["Location"])
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(school.principal.pk)
    # and the handoff works once only
    assert client.get(checked["Location"]).status_code == 403


def test_a_handed_off_answer_is_refused_in_another_browser(client, school, federation):
    idp, provider = federation
    start = client.get(reverse("accounts:saml_login"), {"idp": provider.pk})
    saml_response = idp.answer(start["Location"], _attributes())
    checked = client.post(reverse("accounts:saml_acs"), {"SAMLResponse": saml_response})

    other_browser = Client()
    stolen = other_browser.get(checked["Location"])

    assert stolen.status_code == 403
    assert "_auth_user_id" not in other_browser.session
