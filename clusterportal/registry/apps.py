from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(sender, using, **kwargs):
    from django.db import connections

    from clusterportal.registry import versioning
    from clusterportal.registry.search import ensure_sqlite_index

    ensure_sqlite_index(connections[using])
    versioning.ensure_triggers(connections[using])


class RegistryConfig(AppConfig):
    name = "clusterportal.registry"
    label = "registry"
    verbose_name = _("Clusterdatenbank")

    def ready(self):
        from clusterportal.registry import derived

        post_migrate.connect(_ensure_search_index, sender=self)
        derived.connect()
