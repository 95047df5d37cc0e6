"""The lookups of a persons batch stay quick however many persons there are: what came with a
record the source never sent before is not looked for, and on PostgreSQL the civic numbers of
a batch are found through the b-tree, one index probe each, never through the person search's
trigram index, whose posting lists of digits grow with the table (at 20,000 persons one
lookup of a batch's 500 numbers took seconds)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from elevstod.core.bulk import rows_insert, rows_matching, tables_analyze
from elevstod.organisation.models import Guardianship, Person, Placement
from tests.factories import civic_number_for

from .test_bulk_import import _importer, _pupils

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
    longer = rows_matching(Person, "civic_number", [civics[5] + "0"])  # not cut to the column

    assert sorted(p.civic_number for p in found) == sorted([civics[3], civics[7]])
    assert longer == []
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


def _reads_of_source_records(ctx):
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT")
        and '"imports_sourcerecord"' in q["sql"].split("WHERE")[0]  # not its id sequence
    ]


def _three_new_pupils_then_changed(source):
    """The queries of a batch of three new pupils with their guardians, and of the same
    pupils sent again with a new family name."""
    importer = _importer(source)
    records = _pupils(3)
    with CaptureQueriesContext(connection) as first:
        importer.batch("persons", records)
    for record in records:
        record["familyName"] = "Ändrad"
    with CaptureQueriesContext(connection) as again:
        importer.batch("persons", records)
    return first, again


def test_records_never_sent_before_are_not_looked_up_for_what_came_with_them(source):
    first, again = _three_new_pupils_then_changed(source)

    assert len(_reads_of_source_records(first)) == 1  # the batch's own records only
    assert len(_reads_of_source_records(again)) > 1  # their placements and guardians too
    assert Placement.objects.count() == 3
    assert Guardianship.objects.count() == 3
    assert set(Person.objects.values_list("family_name", flat=True)) == {"Ändrad"}


def _reads_of_guardianships(ctx):
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and '"organisation_guardianship"' in q["sql"]
    ]


def test_the_guardians_of_pupils_created_by_the_batch_are_not_looked_up(source):
    # given a batch of new pupils with their guardians, then the same pupils changed
    first, again = _three_new_pupils_then_changed(source)

    # then the links of the new pupils are made without asking for any, the known ones looked up
    assert _reads_of_guardianships(first) == []
    assert len(_reads_of_guardianships(again)) == 1
    assert Guardianship.objects.count() == 3


def test_rows_inserted_without_their_ids_are_numbered_in_their_order():
    # given rows written with their ids drawn, then rows written without
    first = rows_insert(Person, ["given_name", "family_name"], [("Ada", "Först")])
    none = rows_insert(
        Person, ["given_name", "family_name"], [("Bo", "Sedan"), ("Cy", "Sist")], ids=False
    )

    # then the second call returns no ids, and the table numbered its rows after the first's
    assert none == []
    names = list(Person.objects.order_by("pk").values_list("pk", "given_name"))
    assert [name for _, name in names] == ["Ada", "Bo", "Cy"]
    assert names[0][0] == first[0]
