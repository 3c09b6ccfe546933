"""The public postings as a per-process index, for the list, its facets, the API and the feeds.

Built once per "partnersearch" data version and day (a posting leaves the lists the day after
its expiry date, without a write), from three queries. Each posting has a position (0 = the
newest publication); every parameter value and every distinct word of the texts has a bitmap
of the positions that carry it, kept as a Python int. A filter is then a few ANDs and ORs of
ints and a facet count a `bit_count()`, each a C loop over 20,000 bits (2.5 KB), and numpy
unpacks the matching positions for the page: the list of
20,000 postings with its facets takes a few milliseconds (bench/partnersearch_list.py). Pages
read their rows from the database by id.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.utils import timezone

from clusterportal.lib import versioning
from clusterportal.partnersearch.models import Posting
from clusterportal.registry.search import SHORT_WORD, WHOLE_WORD, term_in

# The parameters with a bitmap per value (the filter's facets are a subset).
SETS = ("kind", "purpose", "field", "country", "region", "call")
TERM_CACHE = 2000


@dataclass
class PostingIndex:
    order: list[int] = field(default_factory=list)  # posting ids, newest publication first
    order_array: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    expiry_rank: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    text: list[str] = field(default_factory=list)  # position -> folded search text
    bits: dict[str, dict[str, int]] = field(default_factory=dict)  # parameter -> value -> bitmap
    # Each distinct folded word of the texts -> bitmap of the postings that have it. A query
    # term is matched against these words (thousands), not against every text.
    words: dict[str, int] = field(default_factory=dict)
    _term_cache: dict[str, int] = field(default_factory=dict)

    @property
    def everything(self) -> int:
        return (1 << len(self.order)) - 1

    def with_values(self, name: str, values: set[str]) -> int:
        """The bitmap of the postings with any of `values` for parameter `name`."""
        by_value = self.bits.get(name, {})
        found = 0
        for value in values:
            found |= by_value.get(value, 0)
        return found

    def with_term(self, term: str) -> int:
        """The postings whose text has `term` by the registry's rule (search.term_in): a long
        word anywhere inside a word (compounds), a short one whole or at a word's start, a
        phrase as it stands."""
        found = self._term_cache.get(term)
        if found is None:
            found = 0
            if " " in term:
                for position, text in enumerate(self.text):
                    if term_in(term, text):
                        found |= 1 << position
            else:
                for word, bitmap in self.words.items():
                    if _word_has(word, term):
                        found |= bitmap
            if len(self._term_cache) > TERM_CACHE:
                self._term_cache.clear()
            self._term_cache[term] = found
        return found

    def positions(self, bitmap: int) -> np.ndarray:
        """The positions set in `bitmap`, ascending (= newest first), unpacked by numpy."""
        raw = bitmap.to_bytes((len(self.order) + 7) // 8 or 1, "little")
        bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8), bitorder="little")
        return np.flatnonzero(bits[: len(self.order)])

    def ids(self, bitmap: int, by_expiry: bool = False) -> list[int]:
        """The posting ids of `bitmap`, newest first or soonest expiry first."""
        positions = self.positions(bitmap)
        if by_expiry:
            positions = positions[np.argsort(self.expiry_rank[positions], kind="stable")]
        return self.order_array[positions].tolist()


def _word_has(word: str, term: str) -> bool:
    """search.term_in for a term without spaces and one word of a text."""
    if len(term) > SHORT_WORD:
        return term in word
    if len(term) <= WHOLE_WORD:
        return word == term
    return word.startswith(term)


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
            "pk", "kind", "purpose", "countries_sought", "call__slug", "search_text",
            "expires_on", "region__slug", "region__parent__slug",
        )
    )  # fmt: skip
    position_of: dict[int, int] = {}
    expires = []
    words: dict[str, list[int]] = {}
    values: dict[str, dict[str, list[int]]] = {name: {} for name in SETS}

    def add(name: str, value: str | None, position: int) -> None:
        if value:
            values[name].setdefault(value, []).append(position)

    for pk, kind, purpose, countries, call, text, expiry, region, parent in rows:
        position = len(index.order)
        position_of[pk] = position
        index.order.append(pk)
        index.text.append(text)
        expires.append(expiry)
        for word in set(text.split()):
            words.setdefault(word, []).append(position)
        for name, value in (("kind", kind), ("purpose", purpose), ("call", call),
                            ("region", region), ("region", parent)):  # fmt: skip
            add(name, value, position)
        for code in _codes(countries):
            add("country", code, position)
    by_expiry = sorted(range(len(expires)), key=lambda position: (expires[position], position))
    index.order_array = np.array(index.order, dtype=np.int64)
    index.expiry_rank = np.zeros(len(expires), dtype=np.int64)
    index.expiry_rank[by_expiry] = np.arange(len(expires))
    fields = Posting.technology_fields.through.objects.filter(
        posting_id__in=position_of
    ).values_list("posting_id", "technologyfield__slug", "technologyfield__parent__slug")
    for pk, slug, parent in fields:
        add("field", slug, position_of[pk])
        add("field", parent, position_of[pk])
    sought = Posting.regions_sought.through.objects.filter(posting_id__in=position_of).values_list(
        "posting_id", "region__slug", "region__parent__slug"
    )
    for pk, slug, parent in sought:
        add("region", slug, position_of[pk])
        add("region", parent, position_of[pk])
    size = len(index.order)
    index.bits = {
        name: {value: _bitmap(positions, size) for value, positions in by_value.items()}
        for name, by_value in values.items()
    }
    index.words = {word: _bitmap(positions, size) for word, positions in words.items()}
    return index


def _bitmap(positions: list[int], size: int) -> int:
    """The int whose bit p is set for each p of `positions` (built in bytes: an OR per
    position on a growing int would cost a copy of the whole int each time)."""
    if len(positions) < 8:
        bitmap = 0
        for position in positions:
            bitmap |= 1 << position
        return bitmap
    octets = bytearray((size + 7) // 8)
    for position in positions:
        octets[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(octets, "little")


def _codes(countries) -> list[str]:
    """A CountryField(multiple=True) as values_list gives it: "DK,NO,SE"."""
    if isinstance(countries, str):
        return [code for code in countries.split(",") if code]
    return [str(code) for code in countries or []]
