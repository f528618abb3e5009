"""A pg_trgm index as a migration step: `LIKE '%word%'` on a normalised search column
uses it on PostgreSQL (with a UTF-8 character locale such as C.UTF-8, so that Japanese
characters count); SQLite keeps the plain scan. Used by the search columns' migrations."""

from django.db import migrations


def trigram_index(table: str, column: str, name: str) -> migrations.RunPython:
    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
