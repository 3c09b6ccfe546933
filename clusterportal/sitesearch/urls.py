from django.urls import path

from clusterportal.sitesearch import views

app_name = "sitesearch"
urlpatterns = [
    path("suche/", views.site_search, name="search"),
]
