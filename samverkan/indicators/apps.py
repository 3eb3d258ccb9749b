from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "samverkan.indicators"
    label = "indicators"
    verbose_name = _("Indikatorer")

    def ready(self) -> None:
        from samverkan.core.navigation import register_menu_entry

        register_menu_entry("indicators:list", _("Indikatorer"), position=80)
        from samverkan.core.setup import register_setup_step

        register_setup_step(
            "Indicator catalogue",
            "samverkan.indicators.reference.indicators_load_reference",
            demo=False,
            position=40,
        )
        register_setup_step(
            "Indicator demo observations",
            "samverkan.indicators.reference.indicators_load_demo",
            demo=True,
            position=160,
        )
        register_setup_step(
            "Illustrative indicator values (generated, marked as such on every view)",
            "samverkan.indicators.illustrative.indicators_load_illustrative",
            demo=True,
            position=170,
        )
        # registers the hub section, the fetch job and the report section
        from samverkan.indicators import fetching, hub, report_section  # noqa: F401
