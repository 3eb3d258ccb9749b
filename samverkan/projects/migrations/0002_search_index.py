"""The search index: a ``swedish`` tsvector column with a GIN index on PostgreSQL, an FTS5
table on SQLite (see ``samverkan/projects/search.py``)."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE projects_project ADD COLUMN search_vector tsvector")
        schema_editor.execute(
            "CREATE INDEX project_search_vector ON projects_project USING gin (search_vector)"
        )
    else:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE projects_search USING fts5("
            "title, summary, rest, tokenize = 'unicode61 remove_diacritics 0')"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS project_search_vector")
        schema_editor.execute("ALTER TABLE projects_project DROP COLUMN IF EXISTS search_vector")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS projects_search")


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_projects")]

    operations = [migrations.RunPython(create_index, drop_index)]
