from django.urls import path

from clusterportal.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.network, name="network"),
]
