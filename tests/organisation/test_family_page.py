"""The family's pupil page: for the guardian and the pupil, and for no one else."""

from __future__ import annotations

import pytest

from tests.builders import family_url, page, pupil_url


def test_family_page_is_shown_to_the_guardian_and_the_pupil(as_user, cast):
    assert cast.pupil.full_name in page(as_user("guardian"), family_url(cast.pupil))
    assert cast.pupil.full_name in page(as_user("pupil_user"), family_url(cast.pupil))


@pytest.mark.parametrize("user", ["teacher", "principal", "other_guardian"])
def test_family_page_is_not_found_for_anyone_else(as_user, cast, user):
    assert as_user(user).get(family_url(cast.pupil)).status_code == 404


def test_guardian_gets_no_staff_pupil_page(as_user, cast):
    assert as_user("guardian").get(pupil_url(cast.pupil)).status_code == 404
