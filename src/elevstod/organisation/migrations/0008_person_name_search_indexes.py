"""Trigram indexes for the pupil search on PostgreSQL.

The search matches any part of a name or a personal identity number (``icontains``,
``contains``: ``UPPER(name) LIKE '%…%'``), which no b-tree index serves: at 100,000 pupils (and
their guardians and staff, 226,000 persons) PostgreSQL read the whole person table for every
search. Trigram (GIN) indexes on the same expressions let it find the matching names first.
``pg_trgm`` is a trusted extension (PostgreSQL 13 and later): the database's owner may create
it. Where it cannot be created the search keeps working, with the scan. SQLite, the embedded
default, has no such index and keeps its plain scan.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, migrations, transaction

INDEXES = {
    "organisation_person_given_name_trgm": "UPPER(given_name::text) gin_trgm_ops",
    "organisation_person_family_name_trgm": "UPPER(family_name::text) gin_trgm_ops",
    "organisation_person_civic_number_trgm": "(civic_number::text) gin_trgm_ops",
}


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return  # not installed on this server, or not allowed: the search scans
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON organisation_person USING gin ({expression})"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("organisation", "0007_guardianship_end_date")]

    operations = [migrations.RunPython(create, drop)]
