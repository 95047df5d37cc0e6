"""The group page: it lists only the pupils the user may see."""

from __future__ import annotations

from tests.builders import group_url, page

NO_PUPIL_IN_GROUP = "Du har inte behörighet till någon elev i den här gruppen."


def test_group_page_hides_the_pupils_the_user_may_not_see(as_user, cast):
    body = page(as_user("teacher"), group_url(cast.maths_5a))
    assert cast.pupil.full_name in body
    assert cast.protected_pupil.full_name not in body
    body = page(as_user("principal"), group_url(cast.maths_5a))
    assert cast.pupil.full_name in body
    assert cast.protected_pupil.full_name in body


def test_group_page_shows_no_pupil_to_a_colleague_who_does_not_teach_it(as_user, cast):
    body = page(as_user("colleague"), group_url(cast.maths_5a))
    assert NO_PUPIL_IN_GROUP in body
    assert cast.pupil.full_name not in body


def test_group_page_does_not_list_pupils_who_left_the_group(as_user, cast):
    body = page(as_user("principal"), group_url(cast.class_5a))
    assert cast.pupil.full_name in body
    assert cast.former_pupil.full_name not in body


def test_group_of_another_unit_is_not_found(as_user, cast):
    assert as_user("teacher").get(group_url(cast.maths_a2)).status_code == 404
