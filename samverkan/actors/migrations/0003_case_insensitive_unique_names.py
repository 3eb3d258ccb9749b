from django.db import migrations, models


def fill_name_keys(apps, schema_editor):
    Organisation = apps.get_model("actors", "Organisation")
    for organisation in Organisation.objects.all():
        organisation.name_key = " ".join(organisation.name.split()).casefold()
        organisation.save(update_fields=["name_key"])


class Migration(migrations.Migration):
    """Unique names regardless of case in every database (SQLite's LOWER() is ASCII-only)."""

    dependencies = [("actors", "0002_themes_and_target_groups")]

    operations = [
        migrations.RemoveConstraint(model_name="organisation", name="organisation_unique_name"),
        migrations.AddField(
            model_name="organisation", name="name_key",
            field=models.CharField(editable=False, max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalorganisation", name="name_key",
            field=models.CharField(editable=False, max_length=200, null=True),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
    ]
