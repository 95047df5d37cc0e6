"""A party of a decision (a guardian, or the pupil from 16) gets the decision's PDF from the
family view, after their own second factor; anyone else gets the 404 of a missing page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.core.timeutil import today
from elevstod.organisation.models import Person
from elevstod.support.models import PartyNotification
from elevstod.support.services.decisions import decision_notify_party
from tests.factories import GuardianshipFactory, PersonFactory, UserFactory, civic_number_for

from .pdf import assert_tagged_pdf_ua, pdf_text

pytestmark = pytest.mark.django_db


def _url(decision) -> str:
    return reverse("family_documents:decision_pdf", args=[decision.pk])


def test_the_guardian_gets_the_decision_with_reasons_how_to_appeal_and_the_last_day(
    client, cast, decided
):
    client.force_login(cast.guardian)
    response = client.get(_url(decided.decision))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert_tagged_pdf_ua(response.content, lang="sv-SE", title="Beslut om åtgärdsprogram")
    text = pdf_text(response.content)
    assert "Utredningen visar behov." in text
    assert "Hur man överklagar" in text
    assert "Lästräning" in text  # the programme decided
    entry = AccessLogEntry.objects.get(purpose="documents.decision.party_pdf")
    assert entry.granted


def test_a_pupil_from_16_gets_their_own_copy_of_the_decision(client, cast, decided):
    born = today() - dt.timedelta(days=365 * 17)
    Person.objects.filter(pk=cast.pupil.pk).update(civic_number=civic_number_for(born, 321))
    client.force_login(cast.pupil_user)
    response = client.get(_url(decided.decision))
    assert response.status_code == 200
    assert_tagged_pdf_ua(response.content, lang="sv-SE", title="Beslut om åtgärdsprogram")
    assert "Hur man överklagar" in pdf_text(response.content)


def _without_custody(cast):
    """A guardian of the pupil without custody: no party of the school's decisions."""
    user = UserFactory(username="frans", person=PersonFactory(given_name="Frans"))
    GuardianshipFactory(guardian=user.person, pupil=cast.pupil, custody=False)
    return user


@pytest.mark.parametrize("user", ["other_guardian", "pupil_user", "nobody", "without_custody"])
def test_who_is_not_a_party_gets_the_404_of_a_missing_page(
    client, cast, decided, user, fixed_csrf_mask
):
    # the pupil is eleven: not a party before 16
    client.force_login(_without_custody(cast) if user == "without_custody" else cast.user(user))
    document, page = _url(decided.decision), reverse("family:decision", args=[decided.decision.pk])
    response = client.get(document)
    refused_page = client.get(page)
    assert response.status_code == refused_page.status_code == 404
    # the family page's own 404, but for the address it was asked for
    assert response.content.decode().replace(document, page) == refused_page.content.decode()
    assert cast.pupil.civic_number not in response.content.decode()
    assert not AccessLogEntry.objects.get(purpose="documents.decision.party_pdf").granted


@pytest.mark.real_step_up
def test_the_party_confirms_it_is_them_before_the_pdf(client, cast, decided):
    client.force_login(cast.guardian)
    response = client.get(_url(decided.decision))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:step_up"))


def test_each_guardian_s_copy_shows_only_their_own_notification_and_the_staff_copy_all(
    client, cast, decided
):
    mother = UserFactory(
        username="maj", person=PersonFactory(given_name="Majken", family_name="Lind")
    )
    GuardianshipFactory(guardian=mother.person, pupil=cast.pupil)
    decision_notify_party(
        actor=cast.principal,
        decision=decided.decision,
        party=mother.person,
        notified_on=decided.decision.decided_on,
        method=PartyNotification.Method.LETTER,
    )
    client.force_login(cast.guardian)
    theirs = pdf_text(client.get(_url(decided.decision)).content)
    assert "Din underrättelse om beslutet" in theirs
    assert "Gunnel Andersson" in theirs
    assert "Majken Lind" not in theirs
    client.force_login(mother)
    hers = pdf_text(client.get(_url(decided.decision)).content)
    assert "Majken Lind" in hers
    assert "Gunnel Andersson" not in hers
    client.force_login(cast.principal)
    staff = client.get(reverse("documents:decision_pdf", args=[decided.decision.pk]))
    everyone = pdf_text(staff.content)
    assert "Gunnel Andersson" in everyone
    assert "Majken Lind" in everyone
