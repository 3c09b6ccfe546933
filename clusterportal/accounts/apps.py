from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "clusterportal.accounts"
    label = "accounts"
    verbose_name = _("Personen und Rollen")

    def ready(self):
        # The permission rules register themselves with django-rules on import.
        from clusterportal.accounts import rules  # noqa: F401
