"""What pupils and guardians see of extra adaptations (DOMAIN.md §3, seed 001)."""

from __future__ import annotations

from elevstod.organisation.access import pupil_grant
from elevstod.support.selectors import family_support
from elevstod.support.services import adaptations as services

from .conftest import adaptation_input


def _create(school, **overrides):
    return services.adaptation_create(
        actor=school.teacher,
        pupil=school.pupil,
        data=adaptation_input(school.teacher.person, **overrides),
    )


def test_guardian_sees_only_that_support_exists_when_nothing_is_marked_visible(school):
    _create(school, visible_to_family=False)
    seen = family_support(grant=pupil_grant(school.guardian, school.pupil))
    assert seen.has_support is True
    assert seen.adaptations == []


def test_guardian_sees_adaptations_marked_show_to_pupil_and_guardian(school):
    shown = _create(school, title="Bildstöd", visible_to_family=True)
    _create(school, title="Hemlig", visible_to_family=False)
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
    _create(school, visible_to_family=True)
    seen = family_support(grant=pupil_grant(school.teacher, school.pupil))
    assert seen.adaptations == []
