"""Fewer indexes for every row an import writes (issue #13): the unique text columns keep one
index each (a ``UniqueConstraint`` instead of ``unique=True``, which also made a
``varchar_pattern_ops`` index for prefix searches that no query makes), and the foreign keys
that lead a composite index lose their own."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0008_person_name_search_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='groupmembership',
            name='external_id',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='groupmembership',
            name='group',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='organisation.group'),
        ),
        migrations.AlterField(
            model_name='guardianship',
            name='guardian',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='wards', to='organisation.person'),
        ),
        migrations.AlterField(
            model_name='person',
            name='civic_number',
            field=models.CharField(blank=True, max_length=12, null=True, verbose_name='personal identity number'),
        ),
        migrations.AlterField(
            model_name='person',
            name='external_id',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='placement',
            name='external_id',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='placement',
            name='unit',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='placements', to='organisation.schoolunit'),
        ),
        migrations.AddConstraint(
            model_name='groupmembership',
            constraint=models.UniqueConstraint(fields=('external_id',), name='membership_external_id_unique'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.UniqueConstraint(fields=('civic_number',), name='person_civic_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.UniqueConstraint(fields=('external_id',), name='person_external_id_unique'),
        ),
        migrations.AddConstraint(
            model_name='placement',
            constraint=models.UniqueConstraint(fields=('external_id',), name='placement_external_id_unique'),
        ),
    ]
