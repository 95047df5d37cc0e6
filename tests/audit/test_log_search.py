"""Who has seen this pupil: the log search of the principal and the data protection officer."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.organisation.models import Duty
from tests.factories import DutyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(cast):
    user = UserFactory()
    DutyFactory(
        person=user.person,
        organiser=cast.organiser_a,
        unit=None,
        role=Duty.Role.DATA_PROTECTION_OFFICER,
    )
    return user


def _read(client, user, pupil):
    client.force_login(user)
    client.get(reverse("organisation:pupil_detail", args=[pupil.pk]))


def test_principal_sees_who_read_a_pupil_of_the_unit_and_why(client, cast):
    _read(client, cast.teacher, cast.pupil)
    client.force_login(cast.principal)
    page = client.get(reverse("audit:log"), {"pupil": cast.pupil.family_name})
    body = page.content.decode()
    assert page.status_code == 200
    assert cast.teacher.username in body
    assert "TEACHER" in body


def test_principal_does_not_see_the_log_of_another_units_pupil(client, cast):
    _read(client, cast.other_unit_teacher, cast.far_pupil)
    client.force_login(cast.principal)
    body = client.get(reverse("audit:log")).content.decode()
    assert cast.other_unit_teacher.username not in body


def test_data_protection_officer_sees_the_whole_organiser(client, cast, dpo):
    _read(client, cast.other_unit_teacher, cast.far_pupil)
    _read(client, cast.teacher, cast.pupil)
    client.force_login(dpo)
    body = client.get(reverse("audit:log")).content.decode()
    assert cast.other_unit_teacher.username in body
    assert cast.teacher.username in body


def test_refused_reads_are_in_the_log_too(client, cast):
    _read(client, cast.colleague, cast.pupil)
    client.force_login(cast.principal)
    body = client.get(reverse("audit:log"), {"staff": cast.colleague.username}).content.decode()
    assert "nekad" in body or "refused" in body


@pytest.mark.parametrize("who", ["teacher", "mentor", "admin", "analyst", "guardian"])
def test_others_cannot_search_the_log(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("audit:log")).status_code == 404


def test_reading_the_log_is_itself_logged(client, cast):
    client.force_login(cast.principal)
    client.get(reverse("audit:log"), {"pupil": "x"})
    entry = AccessLogEntry.objects.get(purpose="audit.log.searched")
    assert entry.actor_id == cast.principal.pk
    assert "pupil=x" in entry.path


def test_the_log_exports_as_csv(client, cast):
    _read(client, cast.teacher, cast.pupil)
    client.force_login(cast.principal)
    response = client.get(reverse("audit:log"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == "time,kind,user,pupil_id,what,why,granted"
    assert "organisation.pupil.page" in text


def test_only_the_data_protection_officer_checks_the_chain(client, cast, dpo):
    client.force_login(cast.principal)
    assert client.get(reverse("audit:chain")).status_code == 404
    client.force_login(dpo)
    page = client.get(reverse("audit:chain"))
    assert page.status_code == 200
    assert "audit_auditevent" in page.content.decode()
