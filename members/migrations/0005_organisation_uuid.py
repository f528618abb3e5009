"""Organisations get a public identifier for open data (HSDS). Each existing row gets
its own UUID: a default on AddField would give every row the same one."""

import uuid

from django.db import migrations, models


def give_each_its_own(apps, schema_editor):
    Organisation = apps.get_model("members", "Organisation")
    for organisation in Organisation.objects.filter(uuid__isnull=True).only("pk"):
        organisation.uuid = uuid.uuid4()
        organisation.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("members", "0004_calendar_token")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_its_own, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
