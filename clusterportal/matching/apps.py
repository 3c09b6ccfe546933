from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "clusterportal.matching"
    label = "matching"
    verbose_name = _("Partnervorschläge und Vernetzung")
    # The data version "matching" (lib/versioning.py) keys the per-process index
    # (index.py): the registry tables the initiative and organisation profiles read, the
    # places, the fields, and the atlas's relatedness. The partnersearch app adds its
    # postings' tables to this version itself.
    watched_tables = {
        "matching": [
            "registry_clusterinitiative",
            "registry_clusterinitiative_technology_fields",
            "registry_membership",
            "registry_organisation",
            "regions_region",
            "taxonomy_technologyfield",
            "atlas_edition",
            "atlas_cluster",
            "atlas_relatedness",
        ]
    }

    def ready(self):
        from clusterportal.matching import sources

        sources.register("initiative", sources.initiative_profiles)
        sources.register("organisation", sources.organisation_profiles)
