from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "samverkan.surveys"
    label = "surveys"
    verbose_name = _("Enkäter")

    def ready(self) -> None:
        from samverkan.core.navigation import register_menu_entry

        register_menu_entry("surveys:list", _("Enkäter"), position=60)
        from samverkan.core.setup import register_setup_step

        register_setup_step(
            "Survey 1999 to the county boards (Integrationsverket 2000, Bilaga 1-2)",
            "samverkan.surveys.demo.surveys_demo_load",
            demo=True,
            position=150,
        )
        # registers e-mail tasks, the hub section and the report section
        from samverkan.surveys import hub, report_section, tasks  # noqa: F401
