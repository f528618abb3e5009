"""A trigram index for platform search on PostgreSQL.

search_text is already NFKC-normalised and kana-folded; pg_trgm makes the
`LIKE '%word%'` scans of 3+ character queries use an index (it needs a UTF-8 character
locale such as C.UTF-8 to see Japanese characters). SQLite keeps the plain scan.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS platforms_platform_search_trgm "
        "ON platforms_platform USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS platforms_platform_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("platforms", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
