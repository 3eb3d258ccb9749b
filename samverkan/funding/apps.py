from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "samverkan.funding"
    label = "funding"
    verbose_name = _("Finansiering")

    def ready(self) -> None:
        from samverkan.core.navigation import register_menu_entry

        register_menu_entry("funding:list", _("Finansiering"), position=90)
        from samverkan.core.setup import register_setup_step

        register_setup_step(
            "Demo funding call: Skåne county board 1999 (Integrationsverket 2000)",
            "samverkan.funding.demo.funding_demo_load",
            demo=True,
            position=210,
        )
        from samverkan.funding import (  # noqa: F401
            exchange,  # registers the calls exporter
            hub,  # registers the hub section and to-do items
            importing,  # registers the calls importer
            report_section,  # registers the report section
            tasks,  # registers the decision-letter job
        )
