from django.urls import path

from clusterportal.changes import views

# Mounted under cluster/ before the registry's routes, which would take
# "antraege" for an initiative's slug.
app_name = "changes"
urlpatterns = [
    path("antraege/", views.request_list, name="list"),
    path("antraege/<int:pk>/", views.detail, name="detail"),
    path("antraege/<int:pk>/entscheiden/", views.decide, name="decide"),
    path("antraege/<int:pk>/zurueckziehen/", views.withdraw, name="withdraw"),
    path("<slug:slug>/bearbeiten/", views.edit, name="edit"),
    path("<slug:slug>/mitglieder.csv", views.member_file, name="member_file"),
    path("<slug:slug>/verlauf/", views.initiative_history, name="history"),
]
