from django.urls import path, re_path

from clusterportal.regions import views as region_views
from clusterportal.regions.models import Region
from clusterportal.registry import views

app_name = "registry"
urlpatterns = [
    path("cluster/", views.initiative_list, name="list"),
    # Before the profile route, which would otherwise take "aufnahmekriterien" for a slug.
    path("cluster/aufnahmekriterien/", views.admission_criteria, name="criteria"),
    # Before the profile route, so that no slug pattern can ever take "export.csv".
    re_path(r"^cluster/export\.(?P<fmt>csv|xlsx|json|geojson)$", views.export, name="export"),
    # Before the profile route, like the two above.
    path("cluster/labels/", views.label_dashboard, name="label_dashboard"),
    path("cluster/<slug:slug>/", views.detail, name="detail"),
    path("karte/", views.initiative_map, name="map"),
    path(
        "karte/kreise.geojson",
        region_views.outlines,
        {"kind": Region.Kind.KREIS},
        name="kreise_geojson",
    ),
    path(
        "karte/regionen.geojson",
        region_views.outlines,
        {"kind": Region.Kind.REGION, "lines": True},
        name="regionen_geojson",
    ),
]
