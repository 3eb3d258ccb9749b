from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "samverkan.indicators"
    label = "indicators"
    verbose_name = _("Indikatorer")

    def ready(self) -> None:
        from samverkan.indicators import hub  # noqa: F401  (registers the hub section)
