from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "clusterportal.registry"
    label = "registry"
    verbose_name = "Clusterdatenbank"
