from django.urls import path

from clusterportal.international import views

app_name = "international"
urlpatterns = [
    path("", views.overview, name="index"),
    path("<str:code>/", views.country, name="country"),
]
