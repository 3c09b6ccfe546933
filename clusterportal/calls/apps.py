from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "clusterportal.calls"
    label = "calls"
    verbose_name = _("Förderprogramme und Aufrufe")
    # The data version "calls" (lib/versioning.py): what the lists and pages of programmes
    # and calls show. It keys the API's ETags (calls/api.py); the status also follows the
    # clock, which the ETags add.
    watched_tables = {
        "calls": [
            "calls_programme",
            "calls_call",
            "calls_deadline",
            "calls_call_technology_fields",
            "taxonomy_technologyfield",
        ]
    }

    def ready(self) -> None:
        # Registers the permissions of the calls with rules (calls/rules.py), keeps a
        # call's closing time in step with its deadlines (calls/derived.py), and adds the
        # applications a person began and their reviews to the download of their own data.
        from clusterportal.accounts.privacy import SECTIONS
        from clusterportal.calls import derived, personal_data, rules  # noqa: F401

        for section in (("call_applications_begun", personal_data.applications_begun),
                        ("call_reviews", personal_data.reviews)):  # fmt: skip
            if section not in SECTIONS:
                SECTIONS.append(section)
