"""A document is read exactly by those who may read its page: the view asks the page's own
access function, logs the read under the document's purpose, sends ``no-store``, and a refused
user gets the same 404 as for the page, with nothing of the pupil in it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.core.timeutil import today
from elevstod.organisation.models import Guardianship
from elevstod.support.models import Decision
from elevstod.support.services import investigations
from tests.builders import completed_investigation

from .pdf import assert_tagged_pdf_ua, pdf_text

pytestmark = pytest.mark.django_db


def _pages(decided) -> list[tuple[str, str]]:
    """(page, its document) for each kind of document of the decided programme's pupil."""
    programme, decision = decided.programme, decided.decision
    return [
        (
            reverse("support:programme_detail", args=[programme.pk]),
            reverse("documents:programme_pdf", args=[programme.pk]),
        ),
        (
            reverse("support:decision_detail", args=[decision.pk]),
            reverse("documents:decision_pdf", args=[decision.pk]),
        ),
        (
            reverse("support:investigation_detail", args=[programme.investigation_id]),
            reverse("documents:investigation_pdf", args=[programme.investigation_id]),
        ),
        (
            reverse("organisation:pupil_detail", args=[programme.pupil_id]),
            reverse("documents:history_pdf", args=[programme.pupil_id]),
        ),
    ]


@pytest.mark.parametrize("user", ["colleague", "other_unit_principal", "guardian", "analyst"])
def test_a_refused_user_gets_the_same_404_as_for_the_page(
    client, cast, decided, user, fixed_csrf_mask
):
    client.force_login(cast.user(user))
    for page, document in _pages(decided)[:3]:
        refused_page = client.get(page)
        refused_document = client.get(document)
        assert refused_page.status_code == refused_document.status_code == 404, document
        # the same page, but for the address it was asked for (the language form returns there)
        body = refused_document.content.decode().replace(document, page)
        assert body == refused_page.content.decode()
        assert cast.pupil.full_name not in refused_document.content.decode()
    # the support history is refused to those who do not see the pupil page's support section:
    # with the pupil page's own 404 where that is refused too, else that of a missing pupil
    page, document = _pages(decided)[3]
    history = client.get(document)
    assert history.status_code == 404
    if client.get(page).status_code != 404:
        page = reverse("organisation:pupil_detail", args=[999999])
    assert history.content.decode().replace(document, page) == client.get(page).content.decode()
    assert cast.pupil.full_name not in history.content.decode()


def test_a_teacher_reads_the_programme_and_decision_but_not_the_investigation(
    client, cast, decided
):
    # given the pupil's teacher, who works with the support but is not named in the investigation
    client.force_login(cast.teacher)
    pages = _pages(decided)
    for page, document in (pages[0], pages[1], pages[3]):
        assert client.get(page).status_code == 200, page
        assert client.get(document).status_code == 200, document
    page, document = pages[2]
    assert client.get(page).status_code == client.get(document).status_code == 404


def test_the_pupil_health_team_reads_the_investigation(client, cast, decided):
    client.force_login(cast.health)
    response = client.get(_pages(decided)[2][1])
    assert response.status_code == 200
    assert_tagged_pdf_ua(response.content, lang="sv-SE", title="Utredning")
    text = pdf_text(response.content)
    assert "Läser långsamt." in text  # the mapping
    assert "Behöver särskilt stöd i läsning." in text  # the pedagogical assessment
    assert cast.health.person.full_name in text  # who investigated


def test_an_investigation_concluded_without_programme_is_printed_with_its_decision(client, cast):
    inv = completed_investigation(cast)
    investigations.investigation_conclude_without_programme(
        actor=cast.principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        reasons="Extra anpassningar räcker.",
        decided_on=inv.created_at.date(),
    )
    client.force_login(cast.principal)
    text = pdf_text(client.get(reverse("documents:investigation_pdf", args=[inv.pk])).content)
    assert "Beslut att inte utarbeta ett åtgärdsprogram" in text


def test_the_read_of_a_document_is_logged_and_not_cached(client, cast, decided):
    client.force_login(cast.teacher)
    url = reverse("documents:programme_pdf", args=[decided.programme.pk])
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]
    entry = AccessLogEntry.objects.filter(purpose="documents.programme.pdf").get()
    assert entry.granted
    assert entry.pupil_id == cast.pupil.pk
    assert entry.path == url


def test_a_refused_read_of_a_document_is_logged_as_refused(client, cast, decided):
    client.force_login(cast.colleague)
    client.get(reverse("documents:decision_pdf", args=[decided.decision.pk]))
    entry = AccessLogEntry.objects.filter(purpose="documents.decision.pdf").get()
    assert not entry.granted
    assert entry.pupil_id == cast.pupil.pk


@pytest.mark.real_step_up
def test_a_document_needs_the_second_factor_like_its_page(client, cast, decided):
    client.force_login(cast.teacher)
    response = client.get(reverse("documents:programme_pdf", args=[decided.programme.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:step_up"))


def test_protected_identity_documents_carry_no_address_or_contact_details(
    client, cast, protected_decided
):
    client.force_login(cast.mentor)
    text = pdf_text(
        client.get(reverse("documents:decision_pdf", args=[protected_decided.decision.pk])).content
    )
    guardian = cast.protected_guardian
    assert guardian.full_name in text  # the party is named
    for detail in (guardian.address, guardian.mobile, guardian.email):
        assert detail not in text
    assert "Skyddad identitet." in text


def test_a_partys_address_is_printed_where_the_page_shows_contact_details(client, cast, decided):
    guardian = cast.guardian.person
    guardian.address = "Storgatan 1, 123 45 Ekby"
    guardian.save()
    client.force_login(cast.principal)
    text = pdf_text(
        client.get(reverse("documents:decision_pdf", args=[decided.decision.pk])).content
    )
    assert "Storgatan 1, 123 45 Ekby" in text


def test_a_former_guardians_address_is_not_printed_though_they_stay_a_party(
    client, cast, decided, time_machine
):
    guardian = cast.guardian.person
    guardian.address = "Storgatan 1, 123 45 Ekby"
    guardian.save()
    Guardianship.objects.filter(guardian=guardian, pupil=cast.pupil).update(end_date=today())
    time_machine.move_to(today() + dt.timedelta(days=2))
    client.force_login(cast.principal)
    text = pdf_text(
        client.get(reverse("documents:decision_pdf", args=[decided.decision.pk])).content
    )
    assert guardian.family_name in text  # still a party of the decision taken that day
    assert "Storgatan 1" not in text


def test_a_document_runs_a_bounded_number_of_queries(
    client, cast, decided, django_assert_max_num_queries
):
    client.force_login(cast.principal)
    for decision in Decision.objects.all():
        with django_assert_max_num_queries(30):
            client.get(reverse("documents:decision_pdf", args=[decision.pk]))
    with django_assert_max_num_queries(30):
        client.get(reverse("documents:programme_pdf", args=[decided.programme.pk]))
    with django_assert_max_num_queries(30):
        client.get(reverse("documents:history_pdf", args=[cast.pupil.pk]))
