from django.urls import path
from django.views.generic import RedirectView

from clusterportal.registry import views

app_name = "registry"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registry:list"), name="home"),
    path("cluster/", views.initiative_list, name="list"),
    path("cluster/<slug:slug>/", views.detail, name="detail"),
    path("karte/", views.initiative_map, name="map"),
]
