"""Register extract (GDPR art. 15): complete, and only that pupil."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse

import pytest

from elevstod.audit.extract import register_extract
from elevstod.audit.models import AccessLogEntry
from elevstod.organisation.models import Duty, Guardianship
from tests.factories import DutyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_extract_holds_the_pupils_rows_and_no_one_elses(client, cast):
    client.force_login(cast.teacher)
    client.get(reverse("organisation:pupil_detail", args=[cast.pupil.pk]))
    client.get(reverse("organisation:pupil_detail", args=[cast.other_pupil.pk]))
    data = register_extract(cast.pupil)
    assert data["pupil"]["id"] == cast.pupil.pk
    assert data["placements"]
    assert all(row["pupil"] == cast.pupil.pk for row in data["placements"])
    assert all(row["pupil_id"] == cast.pupil.pk for row in data["access_log"])
    assert data["access_log"]
    dumped = json.dumps(data, default=str)
    assert cast.other_pupil.civic_number not in dumped
    assert [g["id"] for g in data["guardians"]] == [cast.guardian.person_id]


def test_extract_says_when_a_guardianship_ended(cast):
    Guardianship.objects.filter(pupil=cast.pupil).update(end_date=dt.date(2026, 6, 30))
    (row,) = register_extract(cast.pupil)["guardians"]
    assert row["end_date"] == dt.date(2026, 6, 30)
    assert row["custody"] is True


def test_principal_downloads_the_extract_as_json_and_it_is_logged(client, cast):
    client.force_login(cast.principal)
    url = reverse("audit:register_extract", args=[cast.pupil.pk])
    response = client.get(url, {"format": "json"})
    assert response.status_code == 200
    assert response.json()["pupil"]["civic_number"] == cast.pupil.civic_number
    entry = AccessLogEntry.objects.filter(purpose="audit.register_extract").latest("id")
    assert entry.granted
    assert entry.pupil_id == cast.pupil.pk


def test_data_protection_officer_may_produce_an_extract(client, cast):
    dpo = UserFactory()
    DutyFactory(
        person=dpo.person,
        organiser=cast.organiser_a,
        unit=None,
        role=Duty.Role.DATA_PROTECTION_OFFICER,
    )
    client.force_login(dpo)
    page = client.get(reverse("audit:register_extract", args=[cast.pupil.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("who", ["teacher", "mentor", "admin", "guardian", "foreign_principal"])
def test_others_may_not_produce_an_extract(client, cast, who):
    client.force_login(getattr(cast, who))
    url = reverse("audit:register_extract", args=[cast.pupil.pk])
    assert client.get(url).status_code == 404
    assert not AccessLogEntry.objects.filter(
        purpose="audit.register_extract", granted=True
    ).exists()
