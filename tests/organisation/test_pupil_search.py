"""The pupil search: it finds the pupils the user may see, by name or personal identity
number, and no one else."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.urls import reverse

import pytest

from elevstod.core.timeutil import today
from elevstod.organisation.access import pupils_visible_from_ids, pupils_visible_to
from elevstod.organisation.civic import civic_number_display
from elevstod.organisation.selectors import pupils_matching
from tests.builders import page, pupil_url
from tests.conftest import USERS
from tests.factories import PlacementFactory

SEARCH = reverse("organisation:pupil_search")


def test_search_finds_a_visible_pupil_by_name(as_user, cast):
    body = page(as_user("teacher"), SEARCH, q="alva")
    assert cast.pupil.full_name in body
    assert pupil_url(cast.pupil) in body


@pytest.mark.parametrize("form", ["12 digits", "with hyphen", "10 digits with hyphen"])
def test_search_finds_a_visible_pupil_by_personal_identity_number(as_user, cast, form):
    digits = cast.pupil.civic_number
    term = {
        "12 digits": digits,
        "with hyphen": civic_number_display(digits),
        "10 digits with hyphen": civic_number_display(digits)[2:],
    }[form]
    body = page(as_user("teacher"), SEARCH, q=term)
    assert pupil_url(cast.pupil) in body


def test_search_does_not_find_a_protected_pupil_for_their_teacher(as_user, cast):
    protected = cast.protected_pupil
    for term in (protected.given_name, protected.civic_number):
        assert pupil_url(protected) in page(as_user("principal"), SEARCH, q=term)
        body = page(as_user("teacher"), SEARCH, q=term)
        assert pupil_url(protected) not in body
        assert protected.full_name not in body


def test_search_does_not_find_a_pupil_of_another_unit(as_user, cast):
    far = cast.far_pupil
    for term in (far.given_name, far.civic_number):
        assert pupil_url(far) in page(as_user("other_unit_principal"), SEARCH, q=term)
        body = page(as_user("principal"), SEARCH, q=term)
        assert pupil_url(far) not in body
        assert far.full_name not in body


def test_search_is_not_there_for_guardians(as_user, cast):
    assert as_user("guardian").get(SEARCH, {"q": "alva"}).status_code == 404


@pytest.mark.parametrize("user", USERS)
def test_search_starts_from_the_pupils_the_user_may_see(cast, user):
    actor = cast.user(user)

    found = set(pupils_visible_from_ids(actor).values_list("pk", flat=True))

    assert found == set(pupils_visible_to(actor).values_list("pk", flat=True))


def test_search_reads_the_ids_the_rules_reach_before_any_name(cast):
    sql = str(pupils_matching(pupils_visible_from_ids(cast.principal), "alva").query)

    narrowing = "= ANY(ARRAY(" if connection.vendor == "postgresql" else '"id" IN ('
    assert narrowing in sql
    assert sql.index(narrowing) < sql.index("LIKE")


def test_pupil_health_finds_the_protected_pupil_by_any_part_their_teacher_does_not(as_user, cast):
    protected = cast.protected_pupil
    for term in ("s", "SIRI", protected.family_name[:3].lower(), protected.civic_number[:8]):
        assert pupil_url(protected) in page(as_user("health"), SEARCH, q=term)
        assert pupil_url(protected) not in page(as_user("teacher"), SEARCH, q=term)


def test_search_shows_each_current_placement_of_a_pupil_newest_first(as_user, cast):
    # given: Alva also started at Aspskolan a week ago, and left a unit last month
    PlacementFactory(pupil=cast.pupil, unit=cast.unit_a2, school_year=6, start_date=days_ago(7))
    PlacementFactory(pupil=cast.pupil, unit=cast.unit_b1, ended=True)

    body = page(as_user("principal"), SEARCH, q="alva")

    shown = re.findall(r"<small>([^<]*, åk [^<]*)</small>", body)
    assert shown == ["Aspskolan, åk 6", "Ekskolan, åk 5"]


def days_ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)
