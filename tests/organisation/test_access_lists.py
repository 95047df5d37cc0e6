"""The access rules over a list's rows (``organisation/access_lists.py``) answer what the rules
of ``access.py`` answer, for every user and pupil of the cast."""

from __future__ import annotations

import pytest

from elevstod.organisation.access import pupil_grant, pupils_with_support_access
from elevstod.organisation.access_lists import (
    pupil_columns,
    pupil_grants,
    row_grants,
    support_access_of,
)
from elevstod.organisation.models import Person, Placement
from tests.conftest import PUPILS, USERS


@pytest.mark.parametrize("user", USERS)
def test_the_row_form_of_support_access_finds_the_same_pupils(cast, user):
    actor = cast.user(user)
    every_pupil = Placement.objects.values("pupil_id")  # rows holding each pupil's id

    found = set(every_pupil.filter(support_access_of(actor)).values_list("pupil_id", flat=True))

    assert found == set(pupils_with_support_access(actor).values_list("pk", flat=True))


@pytest.mark.parametrize("user", USERS)
def test_the_grants_on_many_pupils_are_the_single_grants(cast, user):
    actor = cast.user(user)
    pupils = [cast.pupil_named(name) for name in PUPILS]

    grants = pupil_grants(actor, Person.objects.filter(pk__in=[p.pk for p in pupils]))

    for pupil in pupils:
        single = pupil_grant(actor, pupil)
        assert (grants[pupil.pk].reasons, grants[pupil.pk].rights) == (
            single.reasons,
            single.rights,
        )


@pytest.mark.parametrize("user", USERS)
def test_the_grants_read_with_a_lists_rows_are_the_single_grants(cast, user):
    actor = cast.user(user)
    rows = list(Placement.objects.values("pupil_id").annotate(**pupil_columns(actor)))

    grants = row_grants(actor, rows, ref="pupil_id")

    assert rows
    assert all(set(row) == {"pupil_id"} for row in rows)  # the columns taken out
    for pupil_id, grant in grants.items():
        single = pupil_grant(actor, Person.objects.get(pk=pupil_id))
        assert (grant.reasons, grant.rights) == (single.reasons, single.rights)
        assert grant.pupil.full_name == single.pupil.full_name
