"""What pupils and guardians see of extra adaptations (DOMAIN.md §3, seed 001)."""

from __future__ import annotations

from django.urls import reverse

from elevstod.core.timeutil import today
from elevstod.organisation.access import pupil_grant
from elevstod.support.selectors.family import family_support
from elevstod.support.services import adaptations as services
from elevstod.support.services import programmes
from tests.builders import (
    adaptation_input,
    decided_programme,
    new_adaptation,
    started_investigation,
)


def test_guardian_sees_only_that_support_exists_when_nothing_is_marked_visible(school):
    new_adaptation(school, visible_to_family=False)
    seen = family_support(grant=pupil_grant(school.guardian, school.pupil))
    assert seen.has_support is True
    assert seen.adaptations == []


def test_guardian_sees_adaptations_marked_show_to_pupil_and_guardian(school):
    shown = new_adaptation(school, title="Bildstöd", visible_to_family=True)
    new_adaptation(school, title="Hemlig", visible_to_family=False)
    seen = family_support(grant=pupil_grant(school.guardian, school.pupil))
    assert [a.pk for a in seen.adaptations] == [shown.pk]


def test_guardian_sees_nothing_of_another_child(school):
    services.adaptation_create(
        actor=school.teacher,
        pupil=school.classmate,
        data=adaptation_input(school.teacher.person, visible_to_family=True),
    )
    seen = family_support(grant=pupil_grant(school.guardian, school.classmate))
    assert seen.has_support is False
    assert seen.adaptations == []


def test_no_support_means_no_support_shown(school):
    seen = family_support(grant=pupil_grant(school.guardian, school.pupil))
    assert seen.has_support is False


def test_staff_grant_does_not_open_the_family_view(school):
    new_adaptation(school, visible_to_family=True)
    seen = family_support(grant=pupil_grant(school.teacher, school.pupil))
    assert seen.adaptations == []


def test_guardian_is_told_support_exists_for_a_decided_programme_without_adaptations(school):
    decided_programme(school)
    seen = family_support(grant=pupil_grant(school.guardian, school.pupil))
    assert seen.has_support is True
    assert seen.adaptations == []  # nothing of the programme's content


def test_guardian_is_told_support_exists_while_an_investigation_is_in_progress(school):
    started_investigation(school)
    seen = family_support(grant=pupil_grant(school.guardian, school.pupil))
    assert seen.has_support is True


def test_a_closed_programme_is_no_longer_support_the_family_is_told_of(school):
    programme = decided_programme(school)
    programmes.programme_close(
        actor=school.principal, programme_id=programme.pk, reasons="Klart.", decided_on=today()
    )
    seen = family_support(grant=pupil_grant(school.guardian, school.pupil))
    assert seen.has_support is False


def test_the_family_page_says_support_exists_for_a_programme(client, school):
    decided_programme(school)
    client.force_login(school.guardian)
    page = client.get(reverse("organisation:family_pupil", args=[school.pupil.pk]))
    body = page.content.decode()
    assert "Skolan ger eleven stöd." in body
    assert "Inget stöd är registrerat." not in body
    assert "Lästräning" not in body  # the programme's measure is not shown
