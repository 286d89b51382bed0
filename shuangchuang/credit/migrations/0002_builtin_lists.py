"""The built-in lists (经营异常名录, 严重违法企业名单, 失信被执行人名单, …) and their restrictions."""

from django.db import migrations


def load(apps, schema_editor):
    from shuangchuang.credit.reference import load_lists

    load_lists(apps)


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial"), ("core", "0002_departments")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
