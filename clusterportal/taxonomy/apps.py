from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "clusterportal.taxonomy"
    label = "taxonomy"
    verbose_name = "Technologiefelder und Klassifikationen"
