"""Full-text search over cluster initiatives, the same on SQLite and PostgreSQL.

What a user gets, on both databases (tests pin it):
- every query word must match (AND); a word matches where it occurs anywhere in
  a word of the record, so "technik" finds "Medizintechnik" (German compounds);
- spelling is folded first (lib/text.fold): case, umlauts and their two-letter
  spellings (Tübingen = Tuebingen), ß = ss, accents;
- a word of 4 letters or more also matches vocabulary words one edit away
  ("Medizintechnk", "Tübignen");
- ranking: per query word, a hit in the name weighs 10, in the technology
  fields 5, in the place 3 (a typo hit half as much); a word found only in
  the text weighs 1. Ties go by name.

The engines differ only in how candidate rows are found fast: SQLite looks
them up in an FTS5 trigram index (kept current by triggers, made by
ensure_sqlite_index after every migrate), PostgreSQL uses pg_trgm GIN indexes
that serve LIKE '%word%' (migration 0003). The
ranking is one portable expression evaluated on the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

from clusterportal.lib.fuzzy import deletions, within_one_edit
from clusterportal.lib.text import words

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MIN_FUZZY_LENGTH = 4
MAX_VOCABULARY_WORD = 40
# Column -> weight of a hit in it.
WEIGHTS = {"search_name": 10.0, "search_fields": 5.0, "search_place": 3.0, "search_body": 1.0}
TYPO_FACTOR = 0.5
# Shorter words cannot use the trigram index; they are matched with LIKE alone.
TRIGRAM = 3


class QueryTooLong(ValueError):
    pass


@dataclass(frozen=True)
class QueryWord:
    exact: str
    typos: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.exact, *self.typos)


def parse(query: str) -> list[QueryWord]:
    """The words of a query with their typo variants from the vocabulary."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"the search text is longer than {MAX_QUERY_LENGTH} characters")
    unique = list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]
    return [QueryWord(word, tuple(sorted(_typo_variants(word)))) for word in unique]


def _typo_variants(word: str) -> set[str]:
    from clusterportal.registry.models import SearchWord

    if len(word) < MIN_FUZZY_LENGTH or len(word) > MAX_VOCABULARY_WORD:
        return set()
    keys = deletions(word) | {word}
    candidates = SearchWord.objects.filter(variant__in=keys).values_list("word", flat=True)
    return {w for w in set(candidates) if w != word and within_one_edit(w, word)}


def matching(queryset: models.QuerySet, parsed: list[QueryWord]) -> models.QuerySet:
    """The records that match every query word."""
    for word in parsed:
        queryset = queryset.filter(_candidates(word))
    return queryset


def _contains_any(forms: tuple[str, ...]) -> Q:
    q = Q()
    for column in WEIGHTS:
        for form in forms:
            q |= Q(**{f"{column}__contains": form})
    return q


def _candidates(word: QueryWord) -> Q:
    if connection.vendor == "sqlite":
        long_forms = [form for form in word.forms if len(form) >= TRIGRAM]
        if len(long_forms) == len(word.forms):
            match = " OR ".join(f'"{form}"' for form in long_forms)
            return Q(
                pk__in=RawSQL(
                    "SELECT rowid FROM registry_initiative_fts WHERE registry_initiative_fts MATCH %s",
                    [match],
                )
            )
    # PostgreSQL: the trigram GIN indexes serve these LIKEs.
    return _contains_any(word.forms)


def score(parsed: list[QueryWord], name: str, fields: str, place: str) -> float:
    """Rank of a record that matched every word, from its short search columns.

    The text (search_body) is long and is not scanned again: a word that hits
    none of the short columns must be in the text, and scores its weight.
    Computed in Python on the process's registry index (filters.py), so the
    ranking is the same on every database.
    """
    total = 0.0
    columns = (
        (name, WEIGHTS["search_name"]),
        (fields, WEIGHTS["search_fields"]),
        (place, WEIGHTS["search_place"]),
    )
    for word in parsed:
        word_score = 0.0
        for text, weight in columns:
            if word.exact in text:
                word_score += weight
            elif any(form in text for form in word.typos):
                word_score += weight * TYPO_FACTOR
        total += word_score or WEIGHTS["search_body"]
    return total


def matching_ids(queryset: models.QuerySet, parsed: list[QueryWord]) -> set[int]:
    """Primary keys of the records in `queryset` that match every word (one query)."""
    return set(matching(queryset, parsed).values_list("pk", flat=True))


def index_words(texts: list[str]) -> None:
    """Add the words of these (folded) texts to the typo vocabulary."""
    from clusterportal.registry.models import SearchWord

    vocabulary = {
        w
        for text in texts
        for w in text.split()
        if MIN_FUZZY_LENGTH <= len(w) <= MAX_VOCABULARY_WORD and not w.isdigit()
    }
    if not vocabulary:
        return
    known = set(
        SearchWord.objects.filter(word__in=vocabulary, variant=F("word")).values_list(
            "word", flat=True
        )
    )
    rows = [
        SearchWord(variant=variant, word=w)
        for w in sorted(vocabulary - known)
        for variant in sorted(deletions(w) | {w})
    ]
    SearchWord.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)


SEARCH_COLUMNS = list(WEIGHTS)
_COLS = ", ".join(SEARCH_COLUMNS)
_NEW = ", ".join(f"new.{c}" for c in SEARCH_COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in SEARCH_COLUMNS)
_FTS_DELETE = f"INSERT INTO registry_initiative_fts(registry_initiative_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD});"
_FTS_INSERT = f"INSERT INTO registry_initiative_fts(rowid, {_COLS}) VALUES (new.id, {_NEW});"
SQLITE_INDEX = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS registry_initiative_fts USING fts5(
        {_COLS}, content='registry_clusterinitiative', content_rowid='id', tokenize='trigram')""",
    f"""CREATE TRIGGER IF NOT EXISTS registry_initiative_fts_insert
        AFTER INSERT ON registry_clusterinitiative BEGIN {_FTS_INSERT} END""",
    f"""CREATE TRIGGER IF NOT EXISTS registry_initiative_fts_delete
        AFTER DELETE ON registry_clusterinitiative BEGIN {_FTS_DELETE} END""",
    f"""CREATE TRIGGER IF NOT EXISTS registry_initiative_fts_update
        AFTER UPDATE OF {_COLS} ON registry_clusterinitiative BEGIN {_FTS_DELETE} {_FTS_INSERT} END""",
    "INSERT INTO registry_initiative_fts(registry_initiative_fts) VALUES ('rebuild')",
]


def ensure_sqlite_index(connection) -> None:
    """Create the FTS5 index and its triggers if missing, and rebuild it.

    Runs after every migrate: SQLite rebuilds a table for many schema changes
    (Django copies it to a new one), and that drops the triggers.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_INDEX:
            cursor.execute(statement)
