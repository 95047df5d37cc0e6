"""A fixed version of a development plan is a record: the database refuses UPDATE and DELETE
of plan versions. A change after fixing is a new version."""

from django.db import migrations

from elevstod.core.db import create_append_only_triggers, drop_append_only_triggers

TABLES = ["conversations_planversion"]


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_development_talks_and_plans")]
    operations = [
        migrations.RunPython(
            lambda apps, editor: create_append_only_triggers(editor, TABLES),
            lambda apps, editor: drop_append_only_triggers(editor, TABLES),
        )
    ]
