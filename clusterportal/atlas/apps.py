from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "clusterportal.atlas"
    label = "atlas"
    verbose_name = _("Clusteratlas")
    # The data version "atlas" (lib/versioning.py): the editions. A published edition's
    # regions, clusters and results are frozen, so its row is enough (the site search
    # keeps its atlas documents per this version).
    watched_tables = {"atlas": ["atlas_edition"]}
