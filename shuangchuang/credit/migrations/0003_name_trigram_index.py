"""On PostgreSQL, a trigram index makes "name contains" searches of list entries use an index (pg_trgm)."""

from django.db import migrations, transaction


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # no right to create extensions: searches still work, without the index
            return
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS credit_entry_name_trgm ON credit_listentry USING gin (name gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS credit_entry_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_builtin_lists")]
    operations = [migrations.RunPython(create, drop)]
