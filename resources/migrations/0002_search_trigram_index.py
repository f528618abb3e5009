"""A trigram index for directory search on PostgreSQL, as for platforms
(common.trigram): search_text is NFKC-normalised and kana-folded, so ひらがな and
カタカナ find each other, and pg_trgm lets `LIKE '%word%'` use an index."""

from django.db import migrations

from common.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [
        trigram_index("resources_resource", "search_text", "resources_resource_search_trgm")
    ]
