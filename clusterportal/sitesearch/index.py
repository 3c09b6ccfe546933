"""An in-memory search index of documents, with the registry's search rules.

The site search (`results.py`) finds initiatives through the registry's own search
(its database index and ranking, `registry/search.py`). Everything else the portal shows
is small (articles, events, publications, the atlas's regions and clusters): each
source's documents are held per process in a `DocumentIndex`, rebuilt when the source's
data version changes, and searched in memory with the same rules — folded text, every
query word must match, short words whole, typos one edit away, synonyms — and ranked
by the same `search.rank`.

Candidates are found without scanning the documents one by one: all texts stand in one
string, and `str.find` (C speed) jumps from hit to hit.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from clusterportal.lib.fuzzy import deletions
from clusterportal.lib.text import distinct_words, fold
from clusterportal.registry import search

# A separator no folded text holds: a hit never runs from one document into the next.
_END = "\x00"


@dataclass
class Document:
    """One thing the site search can find: what it is, where it lives and its text."""

    kind: str  # a key of results.KINDS
    title: str
    url: Callable[[], str]  # called when shown (the address depends on the language)
    title_en: str = ""
    summary: str = ""
    summary_en: str = ""
    date: object = None  # a date or datetime where the kind has one (news, events)
    # The search text by weight (search.WEIGHTS): the titles are the name; fields, place,
    # other text.
    fields: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def columns(self) -> tuple[str, str, str, str]:
        """The folded name, fields, place and body columns (compounds as the registry's)."""
        made = search.search_columns(
            name=f"{self.title} {self.title_en}",
            short_name="",
            field_names=set(self.fields),
            places=self.places,
            texts=self.texts,
        )
        return (made["search_name"], made["search_fields"], made["search_place"],
                made["search_body"])  # fmt: skip


@dataclass(frozen=True)
class Hit:
    document: Document
    rank: tuple


# Needles whose hits a TextIndex keeps (per data version; each a set of positions).
NEEDLES_KEPT = 4096


class TextIndex:
    """Folded texts searchable in memory with the registry's word rules: all texts stand
    in one string, and `str.find` (C speed) jumps from hit to hit."""

    def __init__(self, texts: list[str]) -> None:
        self._starts: list[int] = []
        parts, offset = [], 0
        for text in texts:
            self._starts.append(offset)
            part = f" {text} {_END}"
            parts.append(part)
            offset += len(part)
        self._blob = "".join(parts)
        self._found: dict[str, frozenset[int]] = {}

    def having(self, needle: str) -> frozenset[int]:
        """The positions of the texts whose padded text holds `needle` (kept per needle)."""
        found = self._found.get(needle)
        if found is None:
            hits: set[int] = set()
            blob, starts = self._blob, self._starts
            at = blob.find(needle)
            while at != -1:
                text = bisect.bisect_right(starts, at) - 1
                hits.add(text)
                following = starts[text + 1] if text + 1 < len(starts) else len(blob)
                at = blob.find(needle, following)
            if len(self._found) >= NEEDLES_KEPT:
                self._found.clear()
            found = self._found[needle] = frozenset(hits)
        return found

    def _with_term(self, term: str, forms: tuple[str, ...]) -> frozenset[int]:
        """The texts holding `term` (or one of its typo `forms`) as `search.term_in` says:
        a short word or a phrase whole, three letters at a word's beginning, a longer word
        anywhere."""
        if len(term) <= search.WHOLE_WORD or " " in term:
            return self.having(f" {term} ")
        if len(term) <= search.SHORT_WORD:
            return self.having(f" {term}")
        return frozenset().union(*(self.having(form) for form in forms))

    def _with_word(self, word: search.QueryWord) -> frozenset[int]:
        found = self._with_term(word.exact, word.forms)
        if word.parts:
            found |= frozenset.intersection(*(self._with_term(p, (p,)) for p in word.parts))
        for synonym in word.synonyms:
            found |= self._with_term(synonym, (synonym,))
        return found

    def matching(self, parsed: list[search.QueryWord]) -> frozenset[int]:
        """The positions of the texts matching every query word."""
        if not parsed or not self._starts:
            return frozenset()
        return frozenset.intersection(*(self._with_word(word) for word in parsed))


class DocumentIndex(TextIndex):
    """The documents of one source, searchable in memory (one data version's worth)."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents = list(documents)
        self._columns = [doc.columns() for doc in self.documents]
        self._folded_titles = [(fold(d.title), fold(d.title_en)) for d in self.documents]
        texts = [" ".join(columns) for columns in self._columns]
        super().__init__(texts)
        self.vocabulary = _typo_vocabulary(texts)

    def search(self, parsed: list[search.QueryWord]) -> list[Hit]:
        """The documents matching every query word, with their ranks (`search.rank`)."""
        hits = []
        for doc in self.matching(parsed):
            name, fields, place, _body = self._columns[doc]
            title, title_en = self._folded_titles[doc]
            rank = search.rank(parsed, title, title_en, (name, fields, place))
            hits.append(Hit(self.documents[doc], rank))
        return hits


def _typo_vocabulary(texts: list[str]) -> dict[str, set[str]]:
    """Variant -> words, as `search.typo_vocabulary` keeps it for the registry: each word
    of the texts with its one-letter deletions (the symmetric-delete method)."""
    vocabulary: dict[str, set[str]] = {}
    for word in set(distinct_words(" ".join(texts)).split()):
        if (
            search.MIN_FUZZY_LENGTH <= len(word) <= search.MAX_VOCABULARY_WORD
            and not word.isdigit()
        ):
            for variant in deletions(word) | {word}:
                vocabulary.setdefault(variant, set()).add(word)
    return vocabulary
