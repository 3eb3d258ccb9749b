from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "samverkan.reports"
    label = "reports"
    verbose_name = _("Rapporter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from samverkan.reports import hub, sections, tasks  # noqa: F401 (registers sections, jobs, hub)
