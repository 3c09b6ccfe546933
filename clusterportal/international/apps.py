from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternationalConfig(AppConfig):
    name = "clusterportal.international"
    label = "international"
    verbose_name = _("Internationalisierung")
    # The data version "international" keys the API's ETags: the exports, the registry's
    # partnerships and initiatives, the calls' and the events' countries, the postings'
    # countries sought.
    watched_tables = {
        "international": [
            "international_exportvalue",
            "registry_internationalpartnership",
            "registry_clusterinitiative",
            "calls_call",
            "events_event",
            "partnersearch_posting",
        ]
    }
