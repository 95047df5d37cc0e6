"""The school unit page: its pupils for the principal and the administrator, not for teachers."""

from __future__ import annotations

import pytest

from tests.builders import page, unit_url

NOT_ENABLED = "Modulen Stödinsatser är inte aktiverad på den här skolenheten."


@pytest.mark.parametrize("user", ["principal", "admin"])
def test_unit_page_lists_the_pupils_to_principal_and_administrator(as_user, cast, user):
    body = page(as_user(user), unit_url(cast.unit_a1))
    assert 'id="unit-pupils"' in body
    assert cast.pupil.full_name in body
    assert cast.other_pupil.full_name in body
    assert cast.former_pupil.full_name not in body
    assert (cast.protected_pupil.full_name in body) == (user == "principal")


def test_unit_page_lists_no_pupils_to_a_teacher(as_user, cast):
    body = page(as_user("teacher"), unit_url(cast.unit_a1))
    assert "Ma 5A" in body
    assert 'id="unit-pupils"' not in body
    assert cast.pupil.full_name not in body
    assert cast.other_pupil.full_name not in body


def test_unit_without_the_support_module_says_so(as_user, cast):
    assert NOT_ENABLED in page(as_user("other_unit_principal"), unit_url(cast.unit_a2))
    assert NOT_ENABLED not in page(as_user("principal"), unit_url(cast.unit_a1))


def test_unit_of_another_organiser_is_not_found(as_user, cast):
    assert as_user("foreign_principal").get(unit_url(cast.unit_a1)).status_code == 404
