from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "samverkan.plans"
    label = "plans"
    verbose_name = _("Strategier och handlingsplaner")

    def ready(self) -> None:
        from samverkan.plans import (
            exchange,  # noqa: F401  (registers importers/exporters)
            hub,  # noqa: F401  (registers the hub section and to-do items)
            tasks,  # noqa: F401  (registers the e-mail jobs)
        )
