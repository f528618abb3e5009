"""A trigram index for directory search on PostgreSQL, as for platforms: search_text
is NFKC-normalised and kana-folded, so ひらがな and カタカナ find each other, and
pg_trgm lets `LIKE '%word%'` use an index. SQLite keeps the plain scan."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS resources_resource_search_trgm "
        "ON resources_resource USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS resources_resource_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
