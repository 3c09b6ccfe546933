from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(sender, using, **kwargs):
    from django.db import connections

    from clusterportal.registry.sqlite_index import ensure_sqlite_index

    ensure_sqlite_index(connections[using])


class RegistryConfig(AppConfig):
    name = "clusterportal.registry"
    label = "registry"
    verbose_name = _("Clusterdatenbank")
    # The data version "registry" (lib/versioning.py): the tables whose rows a list of
    # initiatives or a profile shows (directly, as facet values, or as the contact
    # organisation and the member list), and the typo vocabulary and synonyms of the search,
    # which the registry index keeps too. It keys the index and the cached lists (registry/filters.py).
    watched_tables = {
        "registry": [
            "registry_clusterinitiative",
            "registry_clusterinitiative_technology_fields",
            "registry_clusterinitiative_regions_covered",
            "registry_label",
            "registry_internationalpartnership",
            "registry_sourcereference",
            "registry_membership",
            "registry_organisation",
            "registry_searchword",
            "registry_searchsynonym",
            "regions_region",
            "taxonomy_technologyfield",
        ]
    }

    def ready(self):
        from clusterportal.registry import derived

        post_migrate.connect(_ensure_search_index, sender=self)
        derived.connect()
