from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "clusterportal.content"
    label = "content"
    verbose_name = _("Inhalte")
    # The data version "content" (lib/versioning.py): what the news lists and an article
    # page show: the articles with their tags, the tagged initiatives, fields and Regionen,
    # the author's name, and the atlas edition whose figures stand beside an article (a
    # published edition's parts are frozen, so its row is enough). It keys the kept pages
    # (views.py, content_version()).
    watched_tables = {
        "content": [
            "content_article",
            "content_article_initiatives",
            "content_article_technology_fields",
            "content_article_regions",
            "registry_clusterinitiative",
            "taxonomy_technologyfield",
            "regions_region",
            "auth_user",
            "atlas_edition",
        ],
        # The publications (the site search keeps its documents per this version).
        "publications": ["content_publication"],
    }

    def ready(self) -> None:
        # Registers the content permissions with rules (content/rules.py).
        from clusterportal.content import rules  # noqa: F401
