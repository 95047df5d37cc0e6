"""A source record's source has no index of its own: ``source_record_unique`` and the index
by parent start with it, and every record an import writes updated it (issue #13)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='sourcerecord',
            name='source',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='records', to='imports.source'),
        ),
    ]
