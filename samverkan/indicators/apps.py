from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "samverkan.indicators"
    label = "indicators"
    verbose_name = _("Indikatorer")

    def ready(self) -> None:
        # registers the hub section and the fetch job
        from samverkan.indicators import fetching, hub  # noqa: F401
