"""Database-level guards that no application code can bypass."""

from __future__ import annotations

from typing import Any


def create_append_only_triggers(schema_editor: Any, tables: list[str]) -> None:
    """Make the database refuse UPDATE and DELETE on ``tables`` (SQLite and PostgreSQL)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in tables:
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END;"
                )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION elevstod_refuse_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; "
            "END $$;",
            params=None,  # no client-side interpolation: the body's % are PL/pgSQL's
        )
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION elevstod_refuse_change();"
            )
    else:
        raise RuntimeError(f"no append-only triggers for database vendor {vendor}")


def drop_append_only_triggers(schema_editor: Any, tables: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")


# Every append-only table, with the migration that guards it. A migration that changes one of
# these tables on SQLite rebuilds it and drops its triggers: re-create them in that migration
# (see audit/0003). A test checks that every table here has its triggers.
APPEND_ONLY_TABLES = (
    "audit_auditevent",
    "audit_accesslogentry",
    "support_decision",
    "support_partynotification",
    "conversations_planversion",
)


def append_only_triggers_present(connection: Any, table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
            return int(cursor.fetchone()[0]) == 2
        cursor.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = %s AND NOT t.tgisinternal",
            [table],
        )
        return int(cursor.fetchone()[0]) == 1
