"""The staff's pupil page: who sees it, what it shows and hides, and that every read is logged."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.core.timeutil import today
from elevstod.organisation.models import Guardianship, Person
from tests.builders import page, pupil_url
from tests.factories import GuardianshipFactory


def test_pupil_page_is_shown_to_the_pupils_teacher(as_user, cast):
    body = page(as_user("teacher"), pupil_url(cast.pupil))
    assert cast.pupil.full_name in body
    assert "Ma 5A" in body


def test_the_pupil_page_shows_the_support_before_the_list_of_groups(as_user, cast):
    body = page(as_user("teacher"), pupil_url(cast.pupil))
    order = [
        body.index(f'aria-labelledby="{section}"')
        for section in ("pupil-support", "pupil-special", "pupil-groups")
    ]
    assert order == sorted(order)


def test_refused_and_missing_pupils_get_the_same_404(as_user, cast, fixed_csrf_mask):
    client = as_user("teacher")
    refused_url = pupil_url(cast.other_pupil)
    missing_url = reverse("organisation:pupil_detail", args=[cast.other_pupil.pk + 10_000])
    refused = client.get(refused_url)
    missing = client.get(missing_url)
    assert refused.status_code == missing.status_code == 404
    # the only difference is the address the user typed (the language form returns to it)
    assert refused.content.decode().replace(refused_url, "URL") == missing.content.decode().replace(
        missing_url, "URL"
    )
    assert cast.other_pupil.family_name not in refused.content.decode()


@pytest.mark.parametrize(
    ("user", "reason"),
    [
        ("teacher", "TEACHER"),
        ("mentor", "MENTOR"),
        ("principal", "PRINCIPAL"),
        ("health", "PUPIL_HEALTH"),
        ("admin", "ADMINISTRATOR"),
    ],
)
def test_each_pupil_page_read_is_logged_with_its_reason(as_user, cast, user, reason):
    client = as_user(user)
    page(client, pupil_url(cast.pupil))
    page(client, pupil_url(cast.pupil))
    entries = list(AccessLogEntry.objects.filter(purpose="organisation.pupil.page"))
    assert len(entries) == 2
    for entry in entries:
        assert entry.actor_id == cast.user(user).pk
        assert entry.pupil_id == cast.pupil.pk
        assert entry.reasons == reason
        assert entry.granted is True
        assert entry.path == pupil_url(cast.pupil)


def test_a_refused_pupil_page_read_is_logged_as_refused(as_user, cast):
    response = as_user("teacher").get(pupil_url(cast.protected_pupil))
    assert response.status_code == 404
    entry = AccessLogEntry.objects.get(purpose="organisation.pupil.page")
    assert (entry.actor_id, entry.pupil_id) == (cast.teacher.pk, cast.protected_pupil.pk)
    assert entry.granted is False
    assert entry.reasons == ""


@pytest.mark.parametrize("user", ["mentor", "principal", "health"])
def test_protected_pupils_guardian_contacts_are_never_shown(as_user, cast, user):
    client = as_user(user)
    # given the contacts of an ordinary pupil's guardian are shown
    body = page(client, pupil_url(cast.pupil))
    assert cast.guardian.person.mobile in body
    # then those of the protected pupil's guardian are not
    body = page(client, pupil_url(cast.protected_pupil))
    guardian = cast.protected_guardian
    assert guardian.full_name in body
    for detail in (guardian.mobile, guardian.email, guardian.address):
        assert detail not in body


def test_protected_pupils_guardian_contacts_are_hidden_on_a_siblings_page_too(as_user, cast):
    # given the protected pupil's guardian is also the guardian of an ordinary pupil
    GuardianshipFactory(guardian=cast.protected_guardian, pupil=cast.other_pupil)
    # when the principal opens the ordinary pupil's page
    body = page(as_user("principal"), pupil_url(cast.other_pupil))
    # then the other guardian's contacts are shown, and the protected family's are not
    assert cast.other_guardian.person.mobile in body
    guardian = cast.protected_guardian
    assert guardian.full_name in body
    for detail in (guardian.mobile, guardian.email, guardian.address):
        assert detail not in body


def test_contacts_stay_hidden_after_the_guardianship_of_the_protected_child_has_ended(
    as_user, cast
):
    # given the protected child's guardianship ended (the child turned 18 or moved)
    GuardianshipFactory(guardian=cast.protected_guardian, pupil=cast.other_pupil)
    Guardianship.objects.filter(guardian=cast.protected_guardian).exclude(
        pupil=cast.other_pupil
    ).update(end_date=today() - dt.timedelta(days=30))
    # then the household's contacts are still not shown on the sibling's page
    body = page(as_user("principal"), pupil_url(cast.other_pupil))
    guardian = cast.protected_guardian
    assert guardian.full_name in body
    for detail in (guardian.mobile, guardian.email, guardian.address):
        assert detail not in body


def test_a_guardian_with_a_security_marking_has_their_contacts_hidden(as_user, cast):
    guardian = cast.guardian.person
    assert guardian.mobile in page(as_user("principal"), pupil_url(cast.pupil))
    guardian.security_marking = Person.SecurityMarking.PROTECTED_REGISTRATION
    guardian.save()
    body = page(as_user("principal"), pupil_url(cast.pupil))
    assert guardian.full_name in body
    assert guardian.mobile not in body
    assert guardian.email not in body


def test_administrator_sees_the_pupil_page_without_support(as_user, cast):
    body = page(as_user("admin"), pupil_url(cast.pupil))
    assert cast.pupil.full_name in body
    assert reverse("support:adaptation_new", args=[cast.pupil.pk]) not in body
    body = page(as_user("principal"), pupil_url(cast.pupil))
    assert reverse("support:adaptation_new", args=[cast.pupil.pk]) in body
