"""The lookups of a persons batch stay quick however many persons there are: on PostgreSQL the
civic numbers of a batch are found through the b-tree, one index probe each, and never
through the person search's trigram index, whose posting lists of digits grow with the table
(at 20,000 persons one lookup of a batch's 500 numbers took seconds)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from elevstod.core.bulk import rows_insert, rows_matching, tables_analyze
from elevstod.organisation.models import Person
from tests.factories import civic_number_for

pytestmark = pytest.mark.django_db

PERSONS = 3000


def _persons(n):
    civics = [
        civic_number_for(dt.date(1970, 1, 1) + dt.timedelta(days=i // 900), i % 900)
        for i in range(n)
    ]
    rows_insert(
        Person,
        ["given_name", "family_name", "civic_number"],
        [(f"Elev{i}", "Bench", civic) for i, civic in enumerate(civics)],
    )
    tables_analyze(Person)
    return civics


def test_rows_matching_finds_the_rows_holding_the_values_and_no_others():
    civics = _persons(20)

    found = rows_matching(Person, "civic_number", [civics[3], civics[7], "191212121212"])

    assert sorted(p.civic_number for p in found) == sorted([civics[3], civics[7]])
    assert rows_matching(Person, "civic_number", []) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_a_batch_of_civic_numbers_is_looked_up_through_the_b_tree_not_the_trigram_index():
    civics = _persons(PERSONS)
    with CaptureQueriesContext(connection) as ctx:
        found = rows_matching(Person, "civic_number", civics[-500:])
    assert len(found) == 500

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + ctx.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "trgm" not in plan
    assert "Index Scan" in plan
