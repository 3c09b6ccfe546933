from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site's own pages: home page, publisher (Impressum), accessibility statement with
    its feedback form, Leichte Sprache, sitemap, robots.txt and the error pages."""

    name = "clusterportal.portal"
    label = "portal"
    verbose_name = _("Portal und Pflichtseiten")
