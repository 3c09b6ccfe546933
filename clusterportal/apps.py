from django.contrib.admin import apps as admin_apps


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (clusterportal/admin.py)."""

    # Named in INSTALLED_APPS instead of django.contrib.admin; not the config of the
    # "clusterportal" app itself.
    default = False
    default_site = "clusterportal.admin.PortalAdminSite"
