from django.urls import path, re_path

from clusterportal.atlas import views

app_name = "atlas"
TABLE = r"(?P<table>[a-z]+)\.csv"
EDITION = r"^(?P<edition>[-a-zA-Z0-9_]+)/"
urlpatterns = [
    path("", views.index, name="index"),
    path("methode/", views.method, name="method"),
    path("<slug:edition>/", views.edition, name="edition"),
    path("<slug:edition>/region/<slug:type>/<str:code>/", views.region, name="region"),
    re_path(
        EDITION + r"region/(?P<type>[-\w]+)/(?P<code>[^/]+)/" + TABLE + "$",
        views.region,
        name="region_csv",
    ),
    path("<slug:edition>/cluster/<str:cluster>/", views.cluster, name="cluster"),
    re_path(
        EDITION + r"cluster/(?P<cluster>[^/]+)/" + TABLE + "$", views.cluster, name="cluster_csv"
    ),
    path("<slug:edition>/vergleich/", views.compare, name="compare"),
    re_path(EDITION + r"vergleich/" + TABLE + "$", views.compare, name="compare_csv"),
    path("<slug:edition>/umrisse/<slug:type>.geojson", views.outlines, name="outlines"),
]
