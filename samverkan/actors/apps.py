from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "samverkan.actors"
    label = "actors"
    verbose_name = _("Aktörer")

    def ready(self) -> None:
        from samverkan.core.navigation import register_menu_entry

        register_menu_entry("actors:organisations", _("Aktörer"), position=30)
        register_menu_entry("actors:networks", _("Nätverk"), position=40)
        from samverkan.core.setup import register_setup_step

        register_setup_step(
            "Reference organisations",
            "samverkan.actors.reference.organisations_load_reference",
            demo=False,
            position=20,
        )
        register_setup_step(
            "Themes and target groups",
            "samverkan.actors.reference.vocabularies_load_reference",
            demo=False,
            position=30,
        )
        register_setup_step(
            "Demo networks from the reports",
            "samverkan.actors.demo_networks.networks_load_demo",
            demo=True,
            position=110,
        )
        register_setup_step(
            "Demo mandates, interfaces and claim roles from the reports",
            "samverkan.actors.demo_mandates.mandates_load_demo",
            demo=True,
            position=120,
        )
        register_setup_step(
            "Demo agreements from the reports (RÖK, LÖK, the national agreement)",
            "samverkan.actors.demo_agreements.agreements_load_demo",
            demo=True,
            position=130,
        )
        from samverkan.actors import hub, report_section  # noqa: F401  (hub and report sections)
        from samverkan.actors.exchange import (  # noqa: F401  (registers importers/exporters)
            agreements,
            mandates,
            networks,
            organisations,
        )
