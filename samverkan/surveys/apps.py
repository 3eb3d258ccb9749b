from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "samverkan.surveys"
    label = "surveys"
    verbose_name = _("Enkäter")

    def ready(self) -> None:
        from samverkan.surveys import hub, tasks  # noqa: F401  (registers e-mail tasks, hub)
