from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "samverkan.projects"
    label = "projects"
    verbose_name = _("Projekt")

    def ready(self) -> None:
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
