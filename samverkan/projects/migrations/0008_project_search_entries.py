"""Search, facets and listings read a narrow ``ProjectSearchEntry`` per project instead of the
wide project row (see the model). The entries are filled from the projects; on PostgreSQL the
search vectors move with their GIN indexes; on SQLite the covering index over the project
table's facet columns (0006) is no longer needed, the entry table is that narrow itself."""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = (
    "project_id, owner_id, visibility, county_id, status, good_example, theme_mask, group_mask, "
    "start_date, end_date, updated_at"
)
FROM_PROJECT = (
    "id, owner_id, visibility, county_id, status, good_example, theme_mask, group_mask, "
    "start_date, end_date, updated_at"
)


def fill_entries(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor != "postgresql":
        execute(
            f"INSERT INTO projects_searchentry ({COLUMNS}) SELECT {FROM_PROJECT} FROM projects_project"
        )
        execute("DROP INDEX IF EXISTS project_facets_cover")
        return
    execute("ALTER TABLE projects_searchentry ADD COLUMN search_vector tsvector")
    execute("ALTER TABLE projects_searchentry ADD COLUMN title_vector tsvector")
    execute(
        f"INSERT INTO projects_searchentry ({COLUMNS}, search_vector, title_vector) "
        f"SELECT {FROM_PROJECT}, search_vector, title_vector FROM projects_project ORDER BY id"
    )
    execute("DROP INDEX IF EXISTS project_search_vector")
    execute("DROP INDEX IF EXISTS project_title_vector")
    execute("ALTER TABLE projects_project DROP COLUMN IF EXISTS search_vector")
    execute("ALTER TABLE projects_project DROP COLUMN IF EXISTS title_vector")
    execute(
        "CREATE INDEX searchentry_search_vector ON projects_searchentry USING gin (search_vector)"
    )
    execute(
        "CREATE INDEX searchentry_title_vector ON projects_searchentry USING gin (title_vector)"
    )


def restore_project_columns(apps, schema_editor):
    """Back to 0007: the masks (re-added by the reversed RemoveField) and, on PostgreSQL, the
    vectors return to the project rows."""
    execute = schema_editor.execute
    masks = (
        "UPDATE projects_project SET theme_mask = e.theme_mask, group_mask = e.group_mask "
        "FROM projects_searchentry e WHERE e.project_id = projects_project.id"
    )
    if schema_editor.connection.vendor != "postgresql":
        execute(
            "UPDATE projects_project SET theme_mask = (SELECT theme_mask FROM projects_searchentry "
            "WHERE project_id = projects_project.id), group_mask = (SELECT group_mask FROM "
            "projects_searchentry WHERE project_id = projects_project.id)"
        )
        execute(
            "CREATE INDEX project_facets_cover ON projects_project "
            "(id, county_id, status, good_example, theme_mask, group_mask)"
        )
        return
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events before CREATE INDEX
    execute(masks)
    execute("ALTER TABLE projects_project ADD COLUMN search_vector tsvector")
    execute("ALTER TABLE projects_project ADD COLUMN title_vector tsvector")
    execute(
        "UPDATE projects_project SET search_vector = e.search_vector, title_vector = e.title_vector "
        "FROM projects_searchentry e WHERE e.project_id = projects_project.id"
    )
    execute("CREATE INDEX project_search_vector ON projects_project USING gin (search_vector)")
    execute("CREATE INDEX project_title_vector ON projects_project USING gin (title_vector)")


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0005_networks_memberships_responsibilities"),
        ("geo", "0001_counties_and_municipalities"),
        ("projects", "0007_duplicate_reports"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectSearchEntry",
            fields=[
                (
                    "project",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="projects.project",
                    ),
                ),
                (
                    "visibility",
                    models.CharField(
                        choices=[
                            ("private", "Endast egen organisation"),
                            ("internal", "Inloggade användare"),
                            ("public", "Alla (publicerad öppet)"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "Planerat"),
                            ("ongoing", "Pågående"),
                            ("finished", "Avslutat"),
                        ],
                        max_length=10,
                    ),
                ),
                ("good_example", models.BooleanField(default=False)),
                ("theme_mask", models.BigIntegerField(default=0)),
                ("group_mask", models.BigIntegerField(default=0)),
                ("start_date", models.DateField(blank=True, null=True)),
                ("end_date", models.DateField(blank=True, null=True)),
                ("updated_at", models.DateTimeField()),
                (
                    "county",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="geo.county",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="actors.organisation",
                    ),
                ),
            ],
            options={
                "db_table": "projects_searchentry",
                "indexes": [models.Index(fields=["updated_at"], name="searchentry_updated")],
            },
        ),
        migrations.RunPython(fill_entries, restore_project_columns),
        migrations.RemoveField(
            model_name="project",
            name="group_mask",
        ),
        migrations.RemoveField(
            model_name="project",
            name="theme_mask",
        ),
    ]
