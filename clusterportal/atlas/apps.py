from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "clusterportal.atlas"
    label = "atlas"
    verbose_name = "Clusteratlas"
