"""sitemap.xml (Django's sitemaps framework): the public pages in both languages.

Only what anyone may see: published initiatives, atlas editions, events, news and Thema des
Monats articles and publications, funding calls and programmes, the Regionen's contact pages
and the fixed pages. Each entry lists its German and English address
(i18n, alternates), so a search engine offers the right language.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clusterportal.atlas.models import Edition
from clusterportal.calls.models import Call, Programme
from clusterportal.content.models import Article, Publication
from clusterportal.events.models import Event
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class FixedPages(_Bilingual):
    priority = 0.8
    names = [
        "portal:home",
        "registry:list",
        "registry:map",
        "registry:criteria",
        "content:news_list",
        "content:thema_list",
        "content:publication_list",
        "content:clusterpolitik",
        "content:clusteragentur",
        "atlas:index",
        "events:calendar",
        "calls:index",
        "calls:programmes",
        "contacts:index",
        "admission:apply",
        "portal:imprint",
        "portal:accessibility",
        "portal:easy_language",
        "privacy",
    ]

    def items(self) -> list[str]:
        return self.names

    def location(self, item: str) -> str:
        return reverse(item)


class Initiatives(_Bilingual):
    changefreq = "monthly"

    def items(self):
        return ClusterInitiative.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class AtlasEditions(_Bilingual):
    def items(self):
        return Edition.objects.published().only("slug").order_by("slug")


class Events(_Bilingual):
    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class Articles(_Bilingual):
    """News and Thema des Monats articles that are public (the fixed pages are above)."""

    def items(self):
        kinds = [Article.Kind.NEWS, Article.Kind.THEMA]
        return (
            Article.objects.published()
            .filter(kind__in=kinds)
            .only("slug", "kind", "modified")
            .order_by("kind", "slug")
        )

    def lastmod(self, item):
        return item.modified


class Publications(_Bilingual):
    """Studies and reports of our own (the atlas editions are in AtlasEditions)."""

    def items(self):
        return Publication.objects.only("slug").order_by("slug")


class RegionContacts(_Bilingual):
    def items(self):
        return Region.objects.filter(kind=Region.Kind.REGION).only("slug").order_by("slug")

    def location(self, item) -> str:
        return reverse("contacts:region", args=[item.slug])


class Calls(_Bilingual):
    """Funding calls and programmes, the archive included (calls/)."""

    def items(self):
        calls = list(Call.objects.only("slug", "updated_at").order_by("slug"))
        return calls + list(Programme.objects.only("slug", "updated_at").order_by("slug"))

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": FixedPages,
    "initiatives": Initiatives,
    "atlas": AtlasEditions,
    "events": Events,
    "calls": Calls,
    "articles": Articles,
    "publications": Publications,
    "contacts": RegionContacts,
}
