"""Search with compound words: the vocabulary table (``SearchWord``), SQLite's FTS5 table
rebuilt with the ``title_parts`` and ``parts`` columns (FTS5 tables cannot add columns) and a
byte-order index for prefix ranges of the vocabulary on PostgreSQL. Every project is then
indexed again after the last migration (``search.search_index_repair``, on post_migrate)."""

from django.db import migrations, models


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX searchword_word_c ON projects_searchword (word COLLATE "C")'
        )
    else:
        schema_editor.execute("DROP TABLE IF EXISTS projects_search")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE projects_search USING fts5(title, summary, rest, tags, "
            "title_parts, parts, tokenize = 'unicode61 remove_diacritics 0')"
        )
    # The projects are indexed again after all migrations have run (``ProjectsConfig``'s
    # post_migrate handler): the indexing code reads the current model, which later
    # migrations may extend.


def unbuild(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS projects_search")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE projects_search USING fts5("
            "title, summary, rest, tags, tokenize = 'unicode61 remove_diacritics 0')"
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0011_project_county_recent_indexes")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=60, primary_key=True, serialize=False)),
                ("lexeme", models.CharField(db_index=True, max_length=60)),
            ],
            options={"db_table": "projects_searchword"},
        ),
        migrations.RunPython(rebuild, unbuild),
    ]
