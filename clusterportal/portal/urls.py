from django.urls import path

from clusterportal.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("impressum/", views.imprint, name="imprint"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("barrierefreiheit/gesendet/", views.feedback_sent, name="feedback_sent"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
]
