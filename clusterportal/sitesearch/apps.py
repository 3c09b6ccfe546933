from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteSearchConfig(AppConfig):
    """One search over everything the portal shows (docs/site-search.md). It has no
    tables of its own: it reads the other apps' records through their data versions."""

    name = "clusterportal.sitesearch"
    label = "sitesearch"
    verbose_name = _("Suche im Portal")
