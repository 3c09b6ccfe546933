from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "clusterportal.services"
    label = "services"
    verbose_name = _("Leistungen der ClusterAgentur")

    def ready(self) -> None:
        # Registers the permission that needs the app's own rows (services/rules.py).
        from clusterportal.services import rules  # noqa: F401
