"""SQLite: the FTS5 search table gains a ``tags`` column with each project's facet values as
tokens (``search.project_tags``), so filtered searches intersect inside FTS5. FTS5 tables cannot
add columns: the table is rebuilt from the old one (its text columns are already stemmed) and
the projects' facet values."""

from django.db import migrations

TAGS = (
    "'s' || p.status || ' g' || p.good_example || ' o' || p.owner_id"
    " || COALESCE(' c' || p.county_id, '')"
    " || COALESCE((SELECT ' ' || group_concat('t' || x.theme_id, ' ')"
    " FROM projects_project_themes x WHERE x.project_id = p.id), '')"
    " || COALESCE((SELECT ' ' || group_concat('p' || x.targetgroup_id, ' ')"
    " FROM projects_project_target_groups x WHERE x.project_id = p.id), '')"
    " || COALESCE((SELECT ' ' || group_concat('m' || x.municipality_id, ' ')"
    " FROM projects_project_municipalities x WHERE x.project_id = p.id), '')"
)


def add_tags(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    schema_editor.execute("ALTER TABLE projects_search RENAME TO projects_search_old")
    schema_editor.execute(
        "CREATE VIRTUAL TABLE projects_search USING fts5("
        "title, summary, rest, tags, tokenize = 'unicode61 remove_diacritics 0')"
    )
    schema_editor.execute(
        "INSERT INTO projects_search (rowid, title, summary, rest, tags) "
        f"SELECT s.rowid, s.title, s.summary, s.rest, {TAGS} "
        "FROM projects_search_old s JOIN projects_project p ON p.id = s.rowid"
    )
    schema_editor.execute("DROP TABLE projects_search_old")


def drop_tags(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    schema_editor.execute("ALTER TABLE projects_search RENAME TO projects_search_new")
    schema_editor.execute(
        "CREATE VIRTUAL TABLE projects_search USING fts5("
        "title, summary, rest, tokenize = 'unicode61 remove_diacritics 0')"
    )
    schema_editor.execute(
        "INSERT INTO projects_search (rowid, title, summary, rest) "
        "SELECT rowid, title, summary, rest FROM projects_search_new"
    )
    schema_editor.execute("DROP TABLE projects_search_new")


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_facet_masks")]

    operations = [migrations.RunPython(add_tags, drop_tags)]
