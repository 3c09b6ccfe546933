from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "clusterportal.events"
    label = "events"
    verbose_name = _("Veranstaltungen")
    # The data version "events" (lib/versioning.py): what the calendar shows. It keys the
    # calendar pages kept in the response cache (views.calendar_page).
    watched_tables = {
        "events": [
            "events_event",
            "events_event_technology_fields",
            "regions_region",
            "taxonomy_technologyfield",
            "registry_clusterinitiative",
        ]
    }
