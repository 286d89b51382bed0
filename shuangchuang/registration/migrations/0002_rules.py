"""The registration rules (periods, time limits, custodian conditions) and the standard business-scope terms."""

from django.db import migrations


def load(apps, schema_editor):
    from shuangchuang.registration.reference import load_rules

    load_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("registration", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
