from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site's own pages: home page, publisher (Impressum), accessibility statement with
    its feedback form, Leichte Sprache, sitemap, robots.txt and the error pages."""

    name = "clusterportal.portal"
    label = "portal"
    verbose_name = _("Portal und Pflichtseiten")
    # The data version "home" (lib/versioning.py): the tables whose rows the home page shows
    # (the publisher, the figures, the Thema des Monats, the latest news, the next events).
    # It keys the kept home page (home_page.version()).
    watched_tables = {
        "home": [
            "portal_publisher",
            "registry_clusterinitiative",
            "regions_region",
            "atlas_edition",
            "content_article",
            "events_event",
        ]
    }
