"""The public postings as a per-process index, for the list, its facets, the API and the feeds.

Built once per "partnersearch" data version and day (a posting leaves the lists the day after
its expiry date, without a write), from three queries. A filter intersects sets of posting ids
(one set per parameter value) and tests the search words against each candidate's folded text,
so that a list of 20,000 postings with its facets takes milliseconds (bench/partnersearch_list.py).
Pages then read their rows from the database by id.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from clusterportal.lib import versioning
from clusterportal.partnersearch.models import Posting

# The parameters with a set per value (the filter's facets are a subset).
SETS = ("kind", "purpose", "field", "country", "region", "call")


@dataclass
class PostingIndex:
    order: list[int] = field(default_factory=list)  # newest publication first
    position: dict[int, int] = field(default_factory=dict)
    text: dict[int, str] = field(default_factory=dict)
    title: dict[int, str] = field(default_factory=dict)
    expires: dict[int, object] = field(default_factory=dict)
    sets: dict[str, dict[str, set[int]]] = field(default_factory=dict)

    def add(self, name: str, value: str | None, pk: int) -> None:
        if value:
            self.sets.setdefault(name, {}).setdefault(value, set()).add(pk)

    def ids_with(self, name: str, values: set[str]) -> set[int]:
        by_value = self.sets.get(name, {})
        found: set[int] = set()
        for value in values:
            found |= by_value.get(value, set())
        return found


_lock = threading.Lock()
_cache: dict[tuple, PostingIndex] = {}


def current() -> PostingIndex:
    version = versioning.current("partnersearch")
    key = (connection.alias, version.number, version.token, timezone.localdate())
    index = _cache.get(key)
    if index is None:
        with _lock:
            index = _cache.get(key) or build()
            _cache.clear()
            _cache[key] = index
    return index


def build() -> PostingIndex:
    index = PostingIndex()
    rows = (
        Posting.objects.public()
        .order_by("-published_at", "-pk")
        .values_list(
            "pk", "kind", "purpose", "countries_sought", "call__slug", "search_text", "title",
            "expires_on", "region__slug", "region__parent__slug",
        )
    )  # fmt: skip
    for pk, kind, purpose, countries, call, text, title, expires, region, parent in rows:
        index.position[pk] = len(index.order)
        index.order.append(pk)
        index.text[pk] = text
        index.title[pk] = title
        index.expires[pk] = expires
        index.add("kind", kind, pk)
        index.add("purpose", purpose, pk)
        index.add("call", call, pk)
        index.add("region", region, pk)
        index.add("region", parent, pk)
        for code in _codes(countries):
            index.add("country", code, pk)
    fields = Posting.technology_fields.through.objects.filter(
        posting_id__in=index.position
    ).values_list("posting_id", "technologyfield__slug", "technologyfield__parent__slug")
    for pk, slug, parent in fields:
        index.add("field", slug, pk)
        index.add("field", parent, pk)
    sought = Posting.regions_sought.through.objects.filter(
        posting_id__in=index.position
    ).values_list("posting_id", "region__slug", "region__parent__slug")
    for pk, slug, parent in sought:
        index.add("region", slug, pk)
        index.add("region", parent, pk)
    return index


def _codes(countries) -> list[str]:
    """A CountryField(multiple=True) as values_list gives it: "DK,NO,SE"."""
    if isinstance(countries, str):
        return [code for code in countries.split(",") if code]
    return [str(code) for code in countries or []]
