"""Positions are fractional-index keys that mix upper and lower case; they must sort
byte-wise. SQLite's default (BINARY) does; PostgreSQL's depends on the database
locale, so the columns get the "C" collation there."""

from django.db import migrations


def byte_order(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("tasks_card", "tasks_column"):
        schema_editor.execute(
            f'ALTER TABLE {table} ALTER COLUMN position TYPE varchar(64) COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial")]

    operations = [migrations.RunPython(byte_order, migrations.RunPython.noop, elidable=False)]
