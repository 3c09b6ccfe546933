from django.urls import path

from clusterportal.calls import application_views as applying
from clusterportal.calls import procedure_views as procedure
from clusterportal.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="index"),
    path("fristen.ics", views.deadline_feed, name="feed"),
    path("programme/", views.programme_list, name="programmes"),
    path("programme/<slug:slug>/", views.programme_detail, name="programme"),
    path("programme/<slug:slug>/folgen/", views.follow_programme, name="follow"),
    # Applicants
    path("antraege/", applying.my_applications, name="my_applications"),
    path("antraege/<int:pk>/", applying.application_page, name="application"),
    path("antraege/<int:pk>/dateien/", applying.upload_file, name="upload_file"),
    path(
        "antraege/<int:pk>/dateien/<int:file_pk>/",
        applying.application_file,
        name="application_file",
    ),
    path(
        "antraege/<int:pk>/dateien/<int:file_pk>/entfernen/",
        applying.delete_file,
        name="delete_file",
    ),
    path("antraege/<int:pk>/zurueckziehen/", applying.withdraw_application, name="withdraw"),
    # The office of the call
    path("antraege/<int:pk>/rueckfrage/", procedure.ask_information, name="ask_information"),
    path("antraege/<int:pk>/entscheidung/", procedure.prepare_decision, name="prepare_decision"),
    # Jurors
    path("begutachtung/", procedure.my_assignments, name="assignments"),
    path("begutachtung/<int:pk>/", procedure.review_page, name="review"),
    path("begutachtung/<int:pk>/befangen/", procedure.declare_conflict, name="declare_conflict"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/antrag/", applying.start_application, name="apply"),
    path("<slug:slug>/verfahren/", procedure.procedure, name="procedure"),
    path("<slug:slug>/verfahren/zuweisen/", procedure.assign_jurors, name="assign_jurors"),
    path(
        "<slug:slug>/verfahren/entscheidungen-versenden/",
        procedure.send_decisions,
        name="send_decisions",
    ),
    path("<slug:slug>/rangliste/", procedure.ranking, name="ranking"),
    path("<slug:slug>/rangliste.xlsx", procedure.ranking_xlsx, name="ranking_xlsx"),
    path("<slug:slug>/statistik/", procedure.statistics_page, name="statistics"),
]
