from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "clusterportal.events"
    label = "events"
    verbose_name = _("Veranstaltungen")
    # The data version "events" (lib/versioning.py): what the calendar and the event pages
    # show. It keys the pages kept in the response cache (views.calendar_page, views.detail).
    watched_tables = {
        "events": [
            "events_event",
            "events_event_technology_fields",
            # The event pages kept in the cache show the programme and the speakers too.
            "events_agendaitem",
            "events_speaker",
            "regions_region",
            "taxonomy_technologyfield",
            "registry_clusterinitiative",
        ]
    }
