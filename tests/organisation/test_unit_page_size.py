"""The school unit page stays the same size however many groups the unit has: it pages them."""

from __future__ import annotations

from django.conf import settings

from elevstod.core.timeutil import today
from elevstod.organisation.models import Group
from tests.builders import unit_url


def _groups(unit, count: int, prefix: str) -> None:
    Group.objects.bulk_create(
        Group(
            unit=unit,
            name=f"{prefix} {i:04d}",
            kind=Group.Kind.TEACHING,
            start_date=today(),
            school_year=9,
        )
        for i in range(count)
    )


def test_unit_page_shows_one_page_of_groups_however_many_the_unit_has(as_user, cast):
    client = as_user("principal")
    size = settings.ELEVSTOD_PAGE_SIZE
    _groups(cast.unit_a1, size, "Grupp")
    first = client.get(unit_url(cast.unit_a1)).content.decode()
    _groups(cast.unit_a1, 3 * size, "Zgrupp")
    body = client.get(unit_url(cast.unit_a1)).content.decode()
    assert "Zgrupp" not in body  # past the first page
    assert body.count("/grupper/") == first.count("/grupper/")
    total = Group.objects.filter(unit=cast.unit_a1).count()
    assert f"({total})" in body
    assert "gruppsida=2" in body


def test_the_next_page_of_groups_keeps_the_pupil_list_where_it_was(as_user, cast):
    client = as_user("principal")
    _groups(cast.unit_a1, 2 * settings.ELEVSTOD_PAGE_SIZE, "Zgrupp")
    body = client.get(unit_url(cast.unit_a1), {"gruppsida": 3, "arskurs": 5}).content.decode()
    assert "Zgrupp" in body
    assert "arskurs=5" in body  # the links keep the pupil list's filter
    assert '<details open><summary><h2 id="unit-groups"' in body
