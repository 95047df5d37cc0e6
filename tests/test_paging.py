"""A page and its count in one query answer as Django's paginator does, numbers out of range
and garbage included."""

from __future__ import annotations

from django.core.paginator import Paginator

import pytest

from elevstod.core.paging import counted_page, id_url
from elevstod.organisation.models import Subject

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "4", "0", "-1", "999", "x", 2.5])
def test_a_counted_page_is_the_page_the_paginator_gives(number):
    Subject.objects.bulk_create(Subject(code=f"S{n}", name=f"Ämne {n:02}") for n in range(7))
    rows = Subject.objects.order_by("name").values("pk", "name")

    page = counted_page(rows, number, 3)
    expected = Paginator(rows, 3).get_page(number)

    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count == 7
    assert [row["name"] for row in page] == [row["name"] for row in expected]


def test_an_empty_list_has_one_empty_page():
    page = counted_page(Subject.objects.order_by("name").values("pk"), "1", 3)
    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])


def test_a_row_link_is_the_reversed_url():
    assert id_url("support:adaptation_detail")(42) == "/anpassningar/42/"
