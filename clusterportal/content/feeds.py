"""RSS and Atom feeds (Django's syndication framework): news, Thema des Monats, per tag.
Published articles only."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from clusterportal.content.models import Article
from clusterportal.regions.models import Region
from clusterportal.registry.models import ClusterInitiative
from clusterportal.taxonomy.models import TechnologyField

ITEMS = 20
TAGS = {
    "initiative": (ClusterInitiative, "initiatives"),
    "feld": (TechnologyField, "technology_fields"),
    "region": (Region, "regions"),
}


class NewsFeed(Feed):
    kind = Article.Kind.NEWS

    def title(self):
        return _("Clusterportal: Nachrichten")

    def description(self):
        return _("Nachrichten aus der Clusterpolitik Baden-Württembergs")

    def link(self):
        return reverse("content:news_list")

    def items(self):
        return Article.objects.published().filter(kind=self.kind).newest_first()[:ITEMS]

    def item_title(self, item):
        return item.localized_title

    def item_description(self, item):
        return item.localized_teaser or item.body_html

    def item_pubdate(self, item):
        if item.published_on is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(item.published_on, datetime.time()))

    def item_author_name(self, item):
        return item.shown_author or None


class ThemaFeed(NewsFeed):
    kind = Article.Kind.THEMA

    def title(self):
        return _("Clusterportal: Thema des Monats")

    def link(self):
        return reverse("content:thema_list")


class TagFeed(NewsFeed):
    def get_object(self, request, tag, slug):
        if tag not in TAGS:
            from django.http import Http404

            raise Http404
        model, relation = TAGS[tag]
        return (get_object_or_404(model, slug=slug), relation, tag)

    def title(self, obj):
        return _("Clusterportal: Beiträge zu %(tag)s") % {"tag": obj[0]}

    def link(self, obj):
        param = {"initiative": "initiative", "feld": "field", "region": "region"}[obj[2]]
        return f"{reverse('content:news_list')}?{param}={obj[0].slug}"

    def items(self, obj):
        return (
            Article.objects.published()
            .exclude(kind=Article.Kind.PAGE)
            .filter(**{obj[1]: obj[0]})
            .newest_first()[:ITEMS]
        )


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self, *args):
        return self.description(*args) if args else self.description()


class NewsAtom(AtomMixin, NewsFeed):
    pass


class ThemaAtom(AtomMixin, ThemaFeed):
    pass


class TagAtom(AtomMixin, TagFeed):
    def description(self, obj=None):
        return self.title(obj)
