from django.db import migrations


def load(apps, schema_editor):
    from shuangchuang.core.reference import load_departments

    load_departments(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
