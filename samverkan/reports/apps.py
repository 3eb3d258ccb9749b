from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "samverkan.reports"
    label = "reports"
    verbose_name = _("Rapporter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from samverkan.core.navigation import register_menu_entry

        register_menu_entry("reports:list", _("Rapporter"), position=100)
        from samverkan.core.setup import register_setup_step

        register_setup_step(
            "Demo report templates",
            "samverkan.reports.demo.reports_demo_load",
            demo=True,
            position=220,
        )
        from samverkan.reports import hub, summary_section, tasks  # noqa: F401 (registers jobs, hub, the summary)
