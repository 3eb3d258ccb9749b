from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("actors", "0003_case_insensitive_unique_names")]

    operations = [
        migrations.AlterField(
            model_name="organisation", name="name_key",
            field=models.CharField(
                editable=False,
                error_messages={"unique": "Det finns redan en organisation med det namnet."},
                help_text="The name case-folded, so that uniqueness ignores case in every database.",
                max_length=200, unique=True, default="",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="historicalorganisation", name="name_key",
            field=models.CharField(
                db_index=True, editable=False,
                error_messages={"unique": "Det finns redan en organisation med det namnet."},
                help_text="The name case-folded, so that uniqueness ignores case in every database.",
                max_length=200, default="",
            ),
            preserve_default=False,
        ),
    ]
