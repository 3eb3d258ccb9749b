from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "samverkan.projects"
    label = "projects"
    verbose_name = _("Projekt")

    def ready(self) -> None:
        from samverkan.core.navigation import register_menu_entry

        register_menu_entry("projects:list", _("Projekt"), position=50)
        from samverkan.core.setup import register_setup_step

        register_setup_step(
            "Demo projects from the reports",
            "samverkan.projects.demo.demo_projects_load",
            demo=True,
            position=180,
        )
        register_setup_step(
            "Demo mapping rounds 1999 (Integrationsverket 2000)",
            "samverkan.projects.demo_mapping.mapping_rounds_load_demo",
            demo=True,
            position=190,
        )
        from django.db.models.signals import post_migrate

        from samverkan.projects import (
            exchange,  # noqa: F401  (registers importers/exporters)
            hub,  # noqa: F401  (registers the hub section)
            report_section,  # noqa: F401  (registers the report section)
            tasks,  # noqa: F401  (registers the duplicate-report job)
        )

        post_migrate.connect(_repair_search_index, sender=self)


def _repair_search_index(**kwargs: object) -> None:
    from samverkan.projects import search

    search.search_index_repair()
