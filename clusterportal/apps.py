from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClusterportalConfig(AppConfig):
    """The project itself: what belongs to no one app (management commands, the admin's titles)."""

    name = "clusterportal"
    label = "clusterportal"
    verbose_name = "Clusterportal"

    def ready(self):
        from clusterportal.lib import versioning

        # The data versions each app declares (`watched_tables`), made after every migrate.
        post_migrate.connect(versioning.ensure_declared, dispatch_uid="clusterportal.versioning")
