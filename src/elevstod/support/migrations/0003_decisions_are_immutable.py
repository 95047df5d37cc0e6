"""A decision, once taken, is never edited: a change is a new decision. The database refuses
UPDATE and DELETE of decisions and of the records of notifying the parties."""

from django.db import migrations

from elevstod.core.db import create_append_only_triggers, drop_append_only_triggers

TABLES = ["support_decision", "support_partynotification"]


class Migration(migrations.Migration):
    dependencies = [("support", "0002_special_support")]
    operations = [
        migrations.RunPython(
            lambda apps, editor: create_append_only_triggers(editor, TABLES),
            lambda apps, editor: drop_append_only_triggers(editor, TABLES),
        )
    ]
