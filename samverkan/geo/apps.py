from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "samverkan.geo"
    label = "geo"
    verbose_name = _("Geografi")

    def ready(self) -> None:
        from samverkan.core.navigation import register_menu_entry

        register_menu_entry("geo:counties", _("Län och kommuner"), position=20)
        from samverkan.core.hub import register_front_areas
        from samverkan.core.setup import register_setup_step
        from samverkan.geo.selectors import county_list

        register_front_areas(county_list)

        register_setup_step(
            "Geography",
            "samverkan.geo.services.geography_load_reference",
            demo=False,
            position=10,
        )
