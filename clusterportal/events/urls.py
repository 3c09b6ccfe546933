from django.urls import path, re_path

from clusterportal.events import views

app_name = "events"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("kalender.ics", views.calendar_feed, name="feed"),
    path("abmelden/<str:token>/", views.withdraw, name="withdraw"),
    path("platz/<str:token>/", views.offer, name="offer"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/angemeldet/", views.registered, name="registered"),
    path("<slug:slug>/termin.ics", views.ical, name="ical"),
    path("<slug:slug>/teilnehmende/", views.participants, name="participants"),
    re_path(
        r"^(?P<slug>[-\w]+)/teilnehmende\.(?P<fmt>csv|xlsx)$",
        views.participants_export,
        name="participants_export",
    ),
    path("<slug:slug>/teilnehmende/<int:pk>/einchecken/", views.check_in, name="check_in"),
]
