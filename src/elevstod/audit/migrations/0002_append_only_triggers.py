"""The database refuses UPDATE and DELETE of audit rows, whatever code asks (SQLite and PostgreSQL)."""

from django.db import migrations

from elevstod.core.db import create_append_only_triggers, drop_append_only_triggers

TABLES = ["audit_auditevent", "audit_accesslogentry"]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        migrations.RunPython(
            lambda apps, editor: create_append_only_triggers(editor, TABLES),
            lambda apps, editor: drop_append_only_triggers(editor, TABLES),
        )
    ]
