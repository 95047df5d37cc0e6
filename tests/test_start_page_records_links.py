"""The start page offers the log integrity check and disposal to the data protection officer
only; the principal, who may search the log too, gets the log search alone."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.organisation.models import Duty
from tests.factories import DutyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _start_page(client, user):
    client.force_login(user)
    return client.get(reverse("home:start")).content.decode()


def test_the_data_protection_officer_is_offered_disposal_and_the_integrity_check(client, cast):
    officer = UserFactory()
    DutyFactory(
        person=officer.person,
        organiser=cast.organiser_a,
        unit=None,
        role=Duty.Role.DATA_PROTECTION_OFFICER,
    )
    page = _start_page(client, officer)
    assert reverse("audit:disposal") in page
    assert reverse("audit:chain") in page


def test_the_principal_is_offered_the_log_search_only(client, cast):
    page = _start_page(client, cast.principal)
    assert reverse("audit:log") in page
    assert reverse("audit:disposal") not in page
    assert reverse("audit:chain") not in page
