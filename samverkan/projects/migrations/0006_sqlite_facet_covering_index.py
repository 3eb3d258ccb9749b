"""SQLite: a covering index over (id and the facet columns), so that facet counts read a few
narrow index pages per match instead of the wide project row. PostgreSQL reads the rows it
found through the GIN index and has no use for it."""

from django.db import migrations

COLUMNS = "id, county_id, status, good_example, theme_mask, group_mask"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX project_facets_cover ON projects_project ({COLUMNS})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS project_facets_cover")


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_search_facet_tags")]

    operations = [migrations.RunPython(create_index, drop_index)]
