"""/cluster/aufnahme/: the public application for a new entry (docs/admission.md)."""

from django.urls import path

from clusterportal.changes import admission_views

app_name = "admission"
urlpatterns = [
    path("", admission_views.apply, name="apply"),
    path("eingegangen/", admission_views.sent, name="sent"),
]
