from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samverkan.core"
    label = "core"
    verbose_name = _("Kärna")

    def ready(self) -> None:
        from samverkan.core.navigation import register_menu_entry

        register_menu_entry("core:home", _("Översikt"), position=10)
        from samverkan.core import import_runs  # noqa: F401  (registers the import job)
