from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnerSearchConfig(AppConfig):
    name = "clusterportal.partnersearch"
    label = "partnersearch"
    verbose_name = _("Partnersuche")
    # "partnersearch": what the list, its facets, feeds and API show (index.py). The postings
    # are also a source of the matching app's suggestions: its data version watches them too.
    watched_tables = {
        "partnersearch": [
            "partnersearch_posting",
            "partnersearch_posting_technology_fields",
            "partnersearch_posting_regions_sought",
        ],
        "matching": ["partnersearch_posting", "partnersearch_posting_technology_fields"],
    }

    def ready(self) -> None:
        # The permissions (rules.py), the search text (derived.py), the postings as a source
        # of suggestions (suggestions.py), and the person's postings, follows and messages in
        # the download of their own data.
        from clusterportal.accounts.privacy import SECTIONS
        from clusterportal.matching import sources
        from clusterportal.partnersearch import derived, personal_data, rules, suggestions  # noqa: F401

        derived.connect()
        sources.register(suggestions.KIND, suggestions.profiles)
        for section in (("partner_search_postings", personal_data.postings),
                        ("partner_search_follows", personal_data.follows),
                        ("partner_search_interests_sent", personal_data.interests_sent)):  # fmt: skip
            if section not in SECTIONS:
                SECTIONS.append(section)
