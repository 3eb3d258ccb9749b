"""A title-only tsvector with its own GIN index on PostgreSQL, so that search can rank the
projects with every query word in the title first without ranking every match (SQLite uses
the FTS5 ``title`` column filter for the same)."""

from django.db import migrations

from samverkan.projects import text


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE projects_project ADD COLUMN title_vector tsvector")
    Project = apps.get_model("projects", "Project")
    rows = [(" ".join(text.words(title)), pk) for pk, title in Project.objects.values_list("pk", "title")]
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE projects_project SET title_vector = to_tsvector('swedish', %s) WHERE id = %s", rows
        )
    schema_editor.execute(
        "CREATE INDEX project_title_vector ON projects_project USING gin (title_vector)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS project_title_vector")
        schema_editor.execute("ALTER TABLE projects_project DROP COLUMN IF EXISTS title_vector")


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_search_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
