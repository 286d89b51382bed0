"""Deregistration of individual businesses is not published (is_public); the departments told of each
deregistration and version C's periods for individual businesses come from data/rules.json."""

from django.db import migrations, models


def load(apps, schema_editor):
    from shuangchuang.registration.reference import load_rules

    load_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("registration", "0003_reservation_link")]
    operations = [
        migrations.AddField(
            model_name="deregistration",
            name="is_public",
            field=models.BooleanField(default=True, help_text="Individual businesses are not published: departments are asked.", verbose_name="published"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
