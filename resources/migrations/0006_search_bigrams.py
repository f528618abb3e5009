"""Two-character searches (「相談」「送迎」) get an index too: search_text in
two-character pieces (search_bigrams, each piece a word), with a pg_trgm index on
PostgreSQL, where `LIKE '% 相談 %'` can use it. Existing rows get their pieces."""

from django.db import migrations, models

from common.trigram import trigram_index


def _pieces(key: str) -> str:
    # As common.text.bigram_key, written out: a migration keeps its meaning.
    pieces = []
    for token in key.split():
        pieces.extend(token[i : i + 2] for i in range(len(token) - 1))
    return f" {' '.join(pieces)} " if pieces else ""


def fill(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    for pk, text in Resource.objects.values_list("pk", "search_text").iterator():
        Resource.objects.filter(pk=pk).update(search_bigrams=_pieces(text))


class Migration(migrations.Migration):
    dependencies = [("resources", "0005_offers_as_bits")]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="search_bigrams",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        trigram_index("resources_resource", "search_bigrams", "resources_resource_bigrams_trgm"),
    ]
