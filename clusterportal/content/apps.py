from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "clusterportal.content"
    label = "content"
    verbose_name = _("Inhalte")

    def ready(self) -> None:
        # Registers the content permissions with rules (content/rules.py).
        from clusterportal.content import rules  # noqa: F401
