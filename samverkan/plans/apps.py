from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "samverkan.plans"
    label = "plans"
    verbose_name = _("Strategier och handlingsplaner")

    def ready(self) -> None:
        from samverkan.core.navigation import register_menu_entry

        register_menu_entry("plans:list", _("Strategier"), position=70)
        from samverkan.core.setup import register_setup_step

        register_setup_step(
            "Demo strategies and plans (KSL 2016)",
            "samverkan.plans.demo.demo_plans_load",
            demo=True,
            position=140,
        )
        register_setup_step(
            "Demo regional development strategies and growth agreements (RUS, tillväxtavtal)",
            "samverkan.plans.demo_development.development_strategies_load_demo",
            demo=True,
            position=200,
        )
        from samverkan.plans import (
            exchange,  # noqa: F401  (registers importers/exporters)
            hub,  # noqa: F401  (registers the hub section and to-do items)
            report_section,  # noqa: F401  (registers the report section)
            tasks,  # noqa: F401  (registers the e-mail jobs)
        )
