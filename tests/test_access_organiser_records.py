"""The data protection officer's organiser-wide scope, the one rule behind the log search, the
register extract and disposal (``access_organiser_records``): the officer reaches the records
of every pupil who is or was placed at one of the organiser's units, and nobody else does."""

from __future__ import annotations

import pytest

from elevstod.core.errors import AccessDenied
from elevstod.organisation.access import Reason
from elevstod.organisation.models import Duty
from elevstod.organisation.records_access import access_organiser_records
from tests.factories import DutyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _officer_of(organiser):
    user = UserFactory()
    DutyFactory(
        person=user.person, organiser=organiser, unit=None, role=Duty.Role.DATA_PROTECTION_OFFICER
    )
    return user


def test_the_officer_reaches_the_records_of_the_organisers_pupils_past_and_present(cast):
    officer = _officer_of(cast.organiser_a)
    records = access_organiser_records(actor=officer, organiser_pk=cast.organiser_a.pk)
    assert records.reason == Reason.DATA_PROTECTION_OFFICER
    assert records.organiser_ids == {cast.organiser_a.pk}
    covered = set(records.pupil_ids.values_list("pupil_id", flat=True))
    assert {cast.pupil.pk, cast.protected_pupil.pk, cast.former_pupil.pk} <= covered
    assert cast.foreign_pupil.pk not in covered
    for pupil in (cast.pupil, cast.former_pupil):
        assert access_organiser_records(actor=officer, pupil_pk=pupil.pk).reason == (
            Reason.DATA_PROTECTION_OFFICER
        )


def test_the_officer_of_another_organiser_is_refused(cast):
    officer = _officer_of(cast.organiser_b)
    assert access_organiser_records(actor=officer, pupil_pk=cast.foreign_pupil.pk)
    with pytest.raises(AccessDenied):
        access_organiser_records(actor=officer, organiser_pk=cast.organiser_a.pk)
    with pytest.raises(AccessDenied):
        access_organiser_records(actor=officer, pupil_pk=cast.pupil.pk)


@pytest.mark.parametrize("who", ["principal", "teacher", "analyst", "admin", "guardian"])
def test_staff_without_the_duty_are_refused_even_for_pupils_they_see(cast, who):
    with pytest.raises(AccessDenied):
        access_organiser_records(actor=cast.user(who))
    with pytest.raises(AccessDenied):
        access_organiser_records(actor=cast.user(who), pupil_pk=cast.pupil.pk)
    with pytest.raises(AccessDenied):
        access_organiser_records(actor=cast.user(who), organiser_pk=cast.organiser_a.pk)


def test_an_ended_duty_gives_nothing(cast):
    officer = UserFactory()
    DutyFactory(
        person=officer.person,
        organiser=cast.organiser_a,
        unit=None,
        role=Duty.Role.DATA_PROTECTION_OFFICER,
        ended=True,
    )
    with pytest.raises(AccessDenied):
        access_organiser_records(actor=officer)
