"""A trigram index for platform search on PostgreSQL (common.trigram): search_text is
already NFKC-normalised and kana-folded, and pg_trgm lets the `LIKE '%word%'` scans of
3+ character queries use an index. SQLite keeps the plain scan."""

from django.db import migrations

from common.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("platforms", "0001_initial")]

    operations = [
        trigram_index("platforms_platform", "search_text", "platforms_platform_search_trgm")
    ]
