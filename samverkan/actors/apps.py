from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "samverkan.actors"
    label = "actors"
    verbose_name = _("Aktörer")

    def ready(self) -> None:
        from samverkan.actors import (  # noqa: F401  (registers importers/exporters, hub)
            agreement_exchange,
            exchange,
            hub,
            network_exchange,
        )
