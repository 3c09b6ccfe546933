from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "clusterportal.outbox"
    label = "outbox"
    verbose_name = _("E-Mail-Ausgang")

    def ready(self):
        # The start-up check of the delivery settings registers itself on import.
        from clusterportal.outbox import checks  # noqa: F401
