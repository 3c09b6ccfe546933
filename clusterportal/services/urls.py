from django.urls import path

from clusterportal.services import views

app_name = "services"
# The steps on a request, by their German address (views.ACTIONS).
STEP_PATHS = {
    "assign": "zuweisen",
    "schedule": "terminieren",
    "close": "abschliessen",
    "ask_feedback": "rueckmeldung-erbitten",
    "feedback": "rueckmeldung",
}
urlpatterns = [
    path("", views.service_list, name="index"),
    path("anfragen/", views.request_list, name="requests"),
    path("anfragen/neu/", views.new_request, name="new"),
    path("anfragen/<int:pk>/", views.request_detail, name="request"),
    *(
        path(f"anfragen/<int:pk>/{word}/", views.act, {"action": action}, name=action)
        for action, word in STEP_PATHS.items()
    ),
    path("<slug:slug>/", views.service_detail, name="detail"),
]
