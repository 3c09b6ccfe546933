from django.urls import path

from clusterportal.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="index"),
    path("fristen.ics", views.deadline_feed, name="feed"),
    path("programme/", views.programme_list, name="programmes"),
    path("programme/<slug:slug>/", views.programme_detail, name="programme"),
    path("programme/<slug:slug>/folgen/", views.follow_programme, name="follow"),
    path("<slug:slug>/", views.call_detail, name="detail"),
]
