"""What a resource offers becomes bits of one column (Resource.offers_mask) instead of
rows of ResourceOffer, so the directory filters and counts offers without a join; and
a covering index lets the directory's filters, facets and order read the index alone.
Existing rows keep what they offered."""

from django.db import migrations, models

# The order of resources.models.Offer: each offer's bit is its position.
OFFERS = ["space", "goods", "people", "skills", "money", "information"]


def rows_to_bits(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    ResourceOffer = apps.get_model("resources", "ResourceOffer")
    masks: dict[int, int] = {}
    for resource_id, offer in ResourceOffer.objects.values_list("resource_id", "offer"):
        if offer in OFFERS:
            masks[resource_id] = masks.get(resource_id, 0) | (1 << OFFERS.index(offer))
    for resource_id, mask in masks.items():
        Resource.objects.filter(pk=resource_id).update(offers_mask=mask)


def bits_to_rows(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    ResourceOffer = apps.get_model("resources", "ResourceOffer")
    ResourceOffer.objects.bulk_create(
        ResourceOffer(resource_id=pk, offer=offer)
        for pk, mask in Resource.objects.exclude(offers_mask=0).values_list("pk", "offers_mask")
        for index, offer in enumerate(OFFERS)
        if mask & (1 << index)
    )


class Migration(migrations.Migration):
    dependencies = [("resources", "0004_imports")]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="offers_mask",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(rows_to_bits, bits_to_rows),
        migrations.DeleteModel(name="ResourceOffer"),
        migrations.RemoveIndex(model_name="resource", name="resources_r_status_25ae3f_idx"),
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(
                fields=[
                    "status",
                    "kind",
                    "municipality",
                    "area",
                    "formality",
                    "confirmed_at",
                    "offers_mask",
                    "name",
                    "id",
                ],
                name="resource_directory_cover",
            ),
        ),
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(
                fields=[
                    "status",
                    "offers_mask",
                    "kind",
                    "municipality",
                    "area",
                    "formality",
                    "confirmed_at",
                    "name",
                    "id",
                ],
                name="resource_directory_offers",
            ),
        ),
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(
                fields=["latitude", "longitude", "status", "kind", "name", "municipality", "area", "id"],
                name="resource_map_point",
            ),
        ),
    ]
