"""RSS and Atom feeds of the partner search, one per filter: the list's query string works on
the feed too (/partnersuche/rss/?field=medizintechnik&kind=request). A bad parameter is a
400 naming it, as on the list page. The newest FEED_ITEMS postings of the selection."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from clusterportal.lib.markup import plain_text
from clusterportal.partnersearch.filters import PostingFilter

FEED_ITEMS = 50


class PostingFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        filters = PostingFilter(request.GET)
        if not filters.is_valid():
            lines = [f"{name}: {' '.join(messages)}" for name, messages in filters.errors.items()]
            return HttpResponse(
                "\n".join(lines), status=400, content_type="text/plain; charset=utf-8"
            )
        request.posting_filter = filters
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request

    def title(self, request):
        return _("Clusterportal: Partnersuche")

    def description(self, request):
        return _("Neue Angebote und Gesuche für Kooperationen, Projekte und Förderaufrufe")

    def link(self, request):
        query = request.GET.urlencode()
        return reverse("partnersearch:index") + (f"?{query}" if query else "")

    def items(self, request):
        # Newest first whatever the list's sort: a feed reader wants what is new.
        filters = request.posting_filter
        bits = filters.matching_bits()
        newest = filters.index.ids(filters.index.everything if bits is None else bits)
        return filters.rows_of(newest[:FEED_ITEMS])

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.title}"

    def item_description(self, item):
        return plain_text(item.description)[:1000]

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.poster_name

    def item_categories(self, item):
        return [field.localized_name for field in item.technology_fields.all()]


class PostingAtom(PostingFeed):
    feed_type = Atom1Feed
    subtitle = PostingFeed.description
