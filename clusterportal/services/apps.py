from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "clusterportal.services"
    label = "services"
    verbose_name = _("Leistungen der ClusterAgentur")

    def ready(self) -> None:
        # Registers the permission that needs the app's own rows (services/rules.py), and
        # adds a person's requests and feedback to the download of their own data.
        from clusterportal.accounts.privacy import SECTIONS
        from clusterportal.services import rules  # noqa: F401
        from clusterportal.services.personal_data import service_requests

        if ("service_requests", service_requests) not in SECTIONS:
            SECTIONS.append(("service_requests", service_requests))
