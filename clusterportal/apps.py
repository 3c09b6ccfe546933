from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class ClusterportalConfig(AppConfig):
    """The project itself: what belongs to no one app (management commands, the admin's titles)."""

    name = "clusterportal"
    default = True  # this module also holds the admin's config (PortalAdminConfig, below)
    label = "clusterportal"
    verbose_name = "Clusterportal"

    def ready(self):
        from clusterportal.lib import versioning

        # The data versions each app declares (`watched_tables`), made after every migrate.
        post_migrate.connect(versioning.ensure_declared, dispatch_uid="clusterportal.versioning")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (clusterportal/admin.py)."""

    # Named in INSTALLED_APPS instead of django.contrib.admin; not the config of the
    # "clusterportal" app itself.
    default = False
    default_site = "clusterportal.admin.PortalAdminSite"
