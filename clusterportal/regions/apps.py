from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "clusterportal.regions"
    label = "regions"
    verbose_name = "Regionen"
