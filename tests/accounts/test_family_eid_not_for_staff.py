"""The organiser's e-ID login is for its families only: it never lets staff in, wherever they
work, neither as a login nor as the step-up to the staff pages; staff use their school login or
their own second factor. And what the e-ID user reads says e-ID, in Swedish and in English."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.urls import reverse

import pytest

from elevstod.accounts.models import User
from elevstod.accounts.saml import step_up_providers
from elevstod.accounts.services import user_create
from elevstod.accounts.stepup import step_up_url
from elevstod.core.timeutil import today
from elevstod.organisation import services as org
from elevstod.organisation.models import Duty
from elevstod.support.models import PartyNotification
from tests.builders import decided_programme, page
from tests.factories import civic_number_for

from . import test_party_eid_step_up as party
from .test_party_eid_step_up import (
    CIVIC,
    GUN,
    LOA2,
    LOA3,
    _acknowledge_url,
    _confirm,
    _give_civic_number,
    _step_up_with_eid,
)
from .test_saml import _post_to_acs

pytestmark = pytest.mark.real_step_up

eid = party.eid  # the organiser's e-ID (a fixture)
STINA = civic_number_for(dt.date(1978, 2, 3), 666)


@pytest.fixture
def staff_elsewhere(school) -> tuple[User, str]:
    """Stina: principal at organiser B's school, and guardian with custody of a pupil at
    organiser A (the school's organiser); and a page of B's support area."""
    start = today() - dt.timedelta(days=100)
    b = org.organiser_create(actor=None, name="Björkby friskolor", kind="INDEPENDENT")
    unit = org.unit_create(
        actor=None, organiser=b, name="Björkskolan", school_unit_code="20000009",
        support_module_enabled=True,
    )  # fmt: skip
    person = org.person_create(actor=None, given_name="Stina", family_name="Elev")
    _give_civic_number(person, STINA)
    principal = Duty.Role.PRINCIPAL
    org.duty_assign(actor=None, person=person, role=principal, unit=unit, start_date=start)
    org.guardianship_add(actor=None, guardian=person, pupil=school.classmate)
    user = user_create(actor=None, username="stina", person=person, password="x" * 12)
    return user, reverse("support:unit_overview", args=[unit.pk])


def _eid_login(client, idp, provider, number, next_url="/"):
    start = client.get(reverse("accounts:saml_login"), {"idp": provider.pk, "next": next_url})
    return _post_to_acs(client, idp.answer(start["Location"], {CIVIC: [number]}, class_ref=LOA3))


def test_the_e_id_does_not_log_in_a_guardian_who_is_staff_at_another_organiser(
    client, eid, staff_elsewhere
):
    # given Stina, principal at B and a parent at A, not logged in
    idp, provider = eid
    _stina, b_page = staff_elsewhere

    # when A's e-ID answers for her, on the way to B's support area
    answer = _eid_login(client, idp, provider, STINA, next_url=b_page)

    # then she is not logged in, and is told to use her school login or own second factor
    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session
    assert "bara för vårdnadshavare och elever" in answer.content.decode()
    assert client.get(b_page)["Location"].startswith(reverse("accounts:login"))


def test_the_e_id_counts_as_no_step_up_for_staff_pages(client, school, eid, staff_elsewhere):
    # given Stina logged in with her password, without a second factor in this session
    idp, provider = eid
    stina, b_page = staff_elsewhere
    client.force_login(stina)

    # then A's e-ID is not offered to her as a step-up, nor may she start one
    assert provider not in step_up_providers(stina)
    assert f"idp={provider.pk}" not in page(client, step_up_url(b_page))
    forced = {"idp": provider.pk, "step_up": 1, "next": b_page}
    assert client.get(reverse("accounts:saml_login"), forced).status_code == 404

    # and when she logs in again through A's e-ID, it is refused and B's pages stay closed
    answer = _eid_login(client, idp, provider, STINA, next_url=b_page)
    assert answer.status_code == 403
    assert client.get(b_page)["Location"] == step_up_url(b_page)


def test_the_guardian_without_duties_still_confirms_receipt_with_the_e_id(
    client, school, eid, staff_elsewhere
):
    idp, provider = eid
    decision = decided_programme(school).decisions.get()
    client.force_login(school.guardian)
    assert provider in step_up_providers(User.objects.get(pk=school.guardian.pk))

    _request, answer = _step_up_with_eid(client, idp, _acknowledge_url(decision), GUN)

    assert answer["Location"] == _acknowledge_url(decision)
    assert _confirm(client, decision).status_code == 302
    assert PartyNotification.objects.filter(decision=decision).count() == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "Inloggningen med e-legitimation är bara för vårdnadshavare och elever."),
        ("en", "The e-ID login is only for guardians and pupils."),
    ],
)
def test_staff_refused_at_the_e_id_are_told_why(client, eid, staff_elsewhere, language, expected):
    idp, provider = eid
    client.cookies["elevstod_language"] = language
    answer = _eid_login(client, idp, provider, STINA)
    assert expected in answer.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "Din inloggning med e-legitimation var inte tillräckligt ny"),
        ("en", "Your e-ID login was not recent enough or not at the level needed."),
    ],
)
def test_a_guardian_whose_e_id_answer_is_too_old_or_too_weak_is_told_of_the_e_id(
    client, school, eid, language, expected
):
    idp, _provider = eid
    client.cookies["elevstod_language"] = language
    client.force_login(school.guardian)
    for age, level in ((8 * 3600, LOA3), (0, LOA2)):
        _request, answer = _step_up_with_eid(client, idp, "/", GUN, age=age, class_ref=level)
        told = [str(m) for m in messages.get_messages(client.get(answer["Location"]).wsgi_request)]
        assert [expected in m for m in told] == [True], told
        assert not any("chool login" in m or "kolans inloggning" in m for m in told)


@pytest.mark.parametrize(
    ("language", "other_person", "unknown"),
    [
        (
            "sv",
            "Din e-legitimation svarade för en annan person",
            "Din e-legitimation hör inte till någon vårdnadshavare eller elev",
        ),
        (
            "en",
            "Your e-ID answered for another person",
            "Your e-ID is not linked to a guardian or pupil",
        ),
    ],
)
def test_the_e_id_refusals_speak_of_the_e_id(client, school, eid, language, other_person, unknown):
    idp, provider = eid
    client.cookies["elevstod_language"] = language
    nobody = civic_number_for(dt.date(1979, 5, 6), 333)

    # a guardian stepping up gets an answer for a number that is not theirs
    client.force_login(school.guardian)
    _request, answer = _step_up_with_eid(client, idp, "/", nobody)
    assert other_person in answer.content.decode()

    # a login through the e-ID for a number Elevstöd does not know
    client.logout()
    client.cookies["elevstod_language"] = language
    body = _eid_login(client, idp, provider, nobody).content.decode()
    assert unknown in body
    for school_words in ("chool login", "kolans inloggning", "administrator", "administratör"):
        assert school_words not in body


def test_the_login_chooser_names_the_e_id_beside_the_school_login(client, eid):
    _idp, provider = eid
    choose = reverse("accounts:saml_login")
    assert "<h1>Logga in med e-legitimation</h1>" in page(client, choose)

    provider.pk = None  # a school login of the same organiser beside it
    provider.entity_id, provider.name = "https://skola.example", "Skola"
    provider.citizen_eid = False
    provider.save()
    both = page(client, choose)
    assert "<h1>Logga in med skolans inloggning eller e-legitimation</h1>" in both
    assert "<h2>E-legitimation, för vårdnadshavare och elever</h2>" in both
    client.cookies["elevstod_language"] = "en"
    assert "<h1>Log in with your school login or e-ID</h1>" in page(client, choose)
