from django.urls import path

from clusterportal.matchmaking import views

app_name = "matchmaking"
urlpatterns = [
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/profil/", views.profile, name="profile"),
    path("<slug:slug>/teilnehmende/", views.participants, name="participants"),
    path("<slug:slug>/anfrage/<str:key>/", views.request_meeting, name="request"),
    path("<slug:slug>/antwort/<uuid:key>/", views.answer, name="answer"),
    path("<slug:slug>/gespraeche/", views.agenda, name="agenda"),
    path("<slug:slug>/gespraeche/<str:token>.ics", views.agenda_feed, name="feed"),
    path("<slug:slug>/organisation/", views.organise, name="organise"),
]
