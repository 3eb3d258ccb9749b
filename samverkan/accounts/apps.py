from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    label = "accounts"
    verbose_name = _("Konton")

    def ready(self) -> None:
        from samverkan.core.setup import register_setup_step

        register_setup_step(
            "Demo users",
            "samverkan.accounts.demo.demo_users_load",
            demo=True,
            position=100,
        )
        from samverkan.accounts import last_visit, throttling  # noqa: F401 (sign-in counters)

        last_visit.connect()
