"""Full-text search over cluster initiatives, the same on SQLite and PostgreSQL.

What a user gets, on both databases (tests pin it):
- every query word must match (AND); a word matches where it occurs anywhere in
  a word of the record, so "technik" finds "Medizintechnik" (German compounds);
  a word of two letters only as a whole word, of three at a word's beginning
  ("KI" does not find "Kinder", "AI" not "bodenseeairea");
- spelling is folded first (lib/text.fold): case, umlauts and their two-letter
  spellings (Tübingen = Tuebingen), ß = ss, accents;
- a word of 4 letters or more also matches vocabulary words one edit away
  ("Medizintechnk", "Tübignen");
- ranking: per query word, a hit in the name weighs 10, in the technology
  fields 5, in the place 3 (a typo hit half as much); a word found only in
  the text weighs 1. Ties go by name.

The engines differ only in how candidate rows are found fast: SQLite looks
them up in an FTS5 trigram index over the four search columns (kept current
by triggers, made by sqlite_index.py after every migrate); PostgreSQL
uses one pg_trgm GIN index on `search_all`, the four columns in one, which
serves LIKE '%word%' (migration 0007). The ranking is computed in Python from
the short columns (`score`), the same on both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL

from clusterportal.lib.fuzzy import deletions, within_one_edit
from clusterportal.lib.text import distinct_words, fold, words

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MIN_FUZZY_LENGTH = 4
MAX_VOCABULARY_WORD = 40
# Column -> weight of a hit in it.
WEIGHTS = {"search_name": 10.0, "search_fields": 5.0, "search_place": 3.0, "search_body": 1.0}
TYPO_FACTOR = 0.5
# Shorter words cannot use the trigram index; they are matched with LIKE alone.
TRIGRAM = 3
# A query word this short is an abbreviation or a word's beginning, not a part to look
# for inside words: "KI" must not find "Kinder", nor "AI" "bodenseeAIrea". Words of up to
# WHOLE_WORD letters match whole words only ("IT", "H2", "EE"); of SHORT_WORD letters the
# beginning of a word ("Ulm", "IKT", and "Bio" for "BioRegio").
WHOLE_WORD = 2
SHORT_WORD = 3


@dataclass(frozen=True)
class QueryWord:
    """A query word (or a phrase that is a synonym term, "kuenstliche intelligenz"), its
    typo variants, and the other terms of its synonym groups, all folded."""

    exact: str
    typos: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    # A name that repeats a word ("Baden-Baden"): found only as the whole phrase, since
    # its words apart ("baden") are found in "Baden-Württemberg" too.
    whole_only: bool = False

    @property
    def parts(self) -> list[str]:
        """The words of a phrase: a record with all of them matches too, as it would
        had the phrase been no synonym term ("Forst und Holz" finds "Forst, Holz und
        Papier")."""
        return self.exact.split() if " " in self.exact and not self.whole_only else []

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.exact, *self.typos)

    @property
    def is_short(self) -> bool:
        return len(self.exact) <= SHORT_WORD

    def found_in(self, text: str) -> bool:
        """The word or one of its synonyms occurs in a folded text (`term_in`)."""
        if self.parts and all(term_in(part, text) for part in self.parts):
            return True
        return any(term_in(term, text) for term in (self.exact, *self.synonyms))


def term_in(term: str, text: str) -> bool:
    """A folded term occurs in a folded text: a long word anywhere in a word (compounds);
    a word of two letters and a phrase only whole, of three letters at a word's beginning."""
    if len(term) > SHORT_WORD and " " not in term:
        return term in text
    padded = f" {text} "
    if len(term) <= WHOLE_WORD or " " in term:
        return f" {term} " in padded
    return f" {term}" in padded


@dataclass(frozen=True)
class Query:
    """What `cut` makes of a search text: the text to search and, if it had to be
    shortened, its original length."""

    text: str
    cut_from: int | None = None


def cut(text: str, limit: int = MAX_QUERY_LENGTH) -> Query:
    """The text, or if it is longer than `limit` its beginning up to the last word
    boundary within the limit (a long pasted text is searched by its first words, not
    refused)."""
    text = text.strip()
    if len(text) <= limit:
        return Query(text)
    head = text[: limit + 1]
    boundary = head.rfind(" ")
    shortened = (head[:boundary] if boundary > 0 else text[:limit]).rstrip()
    return Query(shortened, cut_from=len(text))


Synonyms = dict[str, tuple[str, ...]]


def parse(
    query: str,
    vocabulary: dict[str, set[str]] | None = None,
    synonyms: Synonyms | None = None,
) -> list[QueryWord]:
    """The words of a query with their typo variants from the vocabulary and the other
    terms of their synonym groups.

    Consecutive words that form a synonym term ("Künstliche Intelligenz") become one
    phrase. `vocabulary` (variant -> words, see `typo_vocabulary`) and `synonyms` (see
    `synonym_table`) answer from memory; without them they are read from the database.
    A text longer than MAX_QUERY_LENGTH is cut first (`cut`).
    """
    synonyms = synonym_table() if synonyms is None else synonyms
    text = cut(query).text
    repeating = repeating_names(text)
    terms = _phrases(words(text), {**synonyms, **dict.fromkeys(repeating, ())})
    unique = list(dict.fromkeys(terms))[:MAX_QUERY_WORDS]
    return [
        QueryWord(
            term,
            () if " " in term else tuple(sorted(_typo_variants(term, vocabulary))),
            synonyms.get(term, ()),
            whole_only=term in repeating,
        )
        for term in unique
    ]


_HYPHENATED = re.compile(r"\w+(?:-\w+)+")


def repeating_names(text: str) -> set[str]:
    """The folded hyphenated names of a text that repeat a word ("Baden-Baden" gives
    "baden baden"): each query word counts once, so apart they would lose the repeat."""
    found = set()
    for name in _HYPHENATED.findall(text):
        parts = words(name)
        if len(parts) != len(set(parts)):
            found.add(" ".join(parts))
    return found


def _phrases(folded: list[str], phrases: Synonyms) -> list[str]:
    """The words, with each run of words that is a synonym term (or another phrase of
    `phrases`) joined into one phrase (the longest run first)."""
    longest = max((term.count(" ") + 1 for term in phrases), default=1)
    terms, start = [], 0
    while start < len(folded):
        for size in range(min(longest, len(folded) - start), 0, -1):
            phrase = " ".join(folded[start : start + size])
            if size == 1 or phrase in phrases:
                terms.append(phrase)
                start += size
                break
    return terms


def synonym_groups(groups: list[list[str]]) -> Synonyms:
    """Folded term -> the other folded terms of every group it belongs to."""
    table: dict[str, dict[str, None]] = {}
    for group in groups:
        folded = list(dict.fromkeys(f for f in (fold(term) for term in group) if f))
        for term in folded:
            table.setdefault(term, {}).update(dict.fromkeys(t for t in folded if t != term))
    return {term: tuple(others) for term, others in table.items() if others}


def synonym_table() -> Synonyms:
    """The curated synonym groups (`SearchSynonym`) and each technology field's German
    and English name as a pair (two queries; the registry index keeps the table per data
    version, of which both tables are part)."""
    from clusterportal.registry.models import SearchSynonym
    from clusterportal.taxonomy.models import TechnologyField

    groups = [group.term_list() for group in SearchSynonym.objects.all()]
    groups += [
        [name, name_en]
        for name, name_en in TechnologyField.objects.values_list("name", "name_en")
        if name and name_en
    ]
    return synonym_groups(groups)


def typo_vocabulary() -> dict[str, set[str]]:
    """The whole vocabulary table as variant -> words (one query; the registry index
    keeps it per data version, of which the table is part)."""
    from clusterportal.registry.models import SearchWord

    vocabulary: dict[str, set[str]] = {}
    for variant, word in SearchWord.objects.values_list("variant", "word"):
        vocabulary.setdefault(variant, set()).add(word)
    return vocabulary


def _typo_variants(word: str, vocabulary: dict[str, set[str]] | None) -> set[str]:
    from clusterportal.registry.models import SearchWord

    if len(word) < MIN_FUZZY_LENGTH or len(word) > MAX_VOCABULARY_WORD:
        return set()
    keys = deletions(word) | {word}
    if vocabulary is None:
        candidates = set(SearchWord.objects.filter(variant__in=keys).values_list("word", flat=True))
    else:
        candidates = set().union(*(vocabulary.get(key, ()) for key in keys))
    return {w for w in candidates if w != word and within_one_edit(w, word)}


# Where candidates are looked up: the folded column and the FTS5 table over it (SQLite).
INITIATIVES = ("search_all", "registry_initiative_fts")
ORGANISATIONS = ("search_name", "registry_organisation_fts")


def matching(
    queryset: models.QuerySet, parsed: list[QueryWord], where: tuple[str, str] = INITIATIVES
) -> models.QuerySet:
    """The records that match every query word (initiatives, or with `where=ORGANISATIONS`
    organisations by their names)."""
    for word in parsed:
        queryset = queryset.filter(_candidates(word, *where))
    return queryset


def _contains_any(column: str, forms: tuple[str, ...]) -> Q:
    q = Q()
    for form in forms:
        q |= Q(**{f"{column}__contains": form})
    return q


def _whole(term: str, column: str) -> Q:
    """`term` as whole words of `column`, whose words are separated by single spaces
    (`term_in` is the same rule in Python)."""
    return (
        Q(**{column: term})
        | Q(**{f"{column}__startswith": f"{term} "})
        | Q(**{f"{column}__endswith": f" {term}"})
        | Q(**{f"{column}__contains": f" {term} "})
    )


def _candidates(word: QueryWord, column: str, fts: str) -> Q:
    condition = _term_candidates(word.exact, word.forms, column, fts)
    if word.parts:
        every_part = Q()
        for part in word.parts:
            every_part &= _term_candidates(part, (part,), column, fts)
        condition |= every_part
    for synonym in word.synonyms:
        condition |= _term_candidates(synonym, (synonym,), column, fts)
    return condition


def _term_candidates(term: str, forms: tuple[str, ...], column: str, fts: str) -> Q:
    """The rows where `term` (or one of its typo `forms`) occurs, as `term_in` says."""
    if len(term) <= WHOLE_WORD or " " in term:
        return _whole(term, column)
    if len(term) <= SHORT_WORD:
        return Q(**{f"{column}__startswith": term}) | Q(**{f"{column}__contains": f" {term}"})
    if connection.vendor == "sqlite":
        long_forms = [form for form in forms if len(form) >= TRIGRAM]
        if len(long_forms) == len(forms):
            match = " OR ".join(f'"{form}"' for form in long_forms)
            return Q(pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [match]))
    # PostgreSQL (and words too short for trigrams): one LIKE per form on the column,
    # which the trigram GIN index serves.
    return _contains_any(column, forms)


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
            if word.found_in(text):
                word_score += weight
            elif any(form in text for form in word.typos):
                word_score += weight * TYPO_FACTOR
        total += word_score or WEIGHTS["search_body"]
    return total


# Order among records of equal score (`rank`): how closely the name is the query.
EXACT_NAME, NEAR_NAME, NAME_WORDS, ELSEWHERE = range(4)


def rank(
    parsed: list[QueryWord], folded_name: str, folded_short_name: str, columns: tuple[str, str, str]
) -> tuple[float, int, int, int]:
    """The sort key of a matching record, best first: the score negated; then, among
    equal scores, the name's closeness to the query (`name_closeness`); then more query
    words found as whole words or a word's beginning rather than inside a compound
    ("Netzwerk ..." before "Lebensmittelnetzwerk"); then fewer technology field words
    (a record about the searched field rather than one with it among many)."""
    name_column, fields, place = columns
    padded = f" {name_column} {fields} {place}"  # " term" in it: a word (or its beginning)
    whole = sum(
        any(f" {term}" in padded for term in (word.exact, *word.synonyms)) for word in parsed
    )
    return (
        -score(parsed, name_column, fields, place),
        name_closeness(parsed, folded_name, folded_short_name),
        -whole,
        len(fields.split()),
    )


def name_closeness(parsed: list[QueryWord], folded_name: str, folded_short_name: str) -> int:
    """EXACT_NAME: the folded query is the name or short name (or, for a one-term query,
    a synonym of it is); NEAR_NAME: a name begins with the query or is one typo away;
    NAME_WORDS: every query word is a whole word (or its beginning) of a name;
    ELSEWHERE otherwise."""
    names = [n for n in (folded_name, folded_short_name) if n]  # lib.text.fold
    query = " ".join(word.exact for word in parsed)
    exact = {query, *(parsed[0].synonyms if len(parsed) == 1 else ())}
    if any(n in exact for n in names):
        return EXACT_NAME
    typo = len(query) >= MIN_FUZZY_LENGTH
    if any(n.startswith(f"{query} ") or (typo and within_one_edit(n, query)) for n in names):
        return NEAR_NAME
    name_words = " ".join(names)
    if all(f" {word.exact}" in f" {name_words}" for word in parsed):
        return NAME_WORDS
    return ELSEWHERE


def matching_ids(queryset: models.QuerySet, parsed: list[QueryWord]) -> set[int]:
    """Primary keys of the records in `queryset` that match every word (one query)."""
    return set(matching(queryset, parsed).order_by().values_list("pk", flat=True))


# "Luft- und Raumfahrt": the hyphen stands for the part both words share ("fahrt"). Where
# the second word ends with one of these heads, the first is indexed as its own compound
# too ("Luftfahrt"), so a search for it finds the record. A short list: a head not on it
# loses only this help (the record is still found by either written word).
COMPOUND_HEADS = (
    "technologien", "technologie", "technik", "wirtschaft", "industrie", "fahrt",
    "verarbeitung", "reinigung", "forschung", "entwicklung", "energien", "energie",
    "clusters", "cluster", "netzwerk", "zentrum", "gesellschaft", "systeme", "bau",
)  # fmt: skip
_ELIDED = re.compile(
    r"\b(\w+)-(?:\s*,\s*\w+-)*\s+(?:und|oder|and|or|bzw\.?|&)\s+(\w+)", re.IGNORECASE
)
MIN_MODIFIER = 3


def elided_compounds(text: str) -> list[str]:
    """The compounds a text spells with an elided part: "Luft- und Raumfahrt" gives
    "Luftfahrt", "Mess-, Steuer- und Regeltechnik" gives "Messtechnik" and "Steuertechnik"."""
    found = []
    for match in _ELIDED.finditer(text):
        last = match.group(2)
        head = next((h for h in COMPOUND_HEADS if last.lower().endswith(h)), None)
        if head is None or len(last) - len(head) < MIN_MODIFIER:
            continue
        head = last[len(last) - len(head) :]
        firsts = re.findall(r"(\w+)-", match.group(0))
        found += [first + head for first in firsts]
    return found


def _with_compounds(text: str) -> str:
    return " ".join([text, *elided_compounds(text)])


def region_names(region) -> tuple[list[str], list[str]]:
    """Names a person may search a Region's initiatives by, besides its own: ("Region
    Neckar-Alb" as it is written, for the place column) and (its Regierungsbezirk,
    "Tübingen", for the text column: a wider area, so it ranks below a seat in the city
    or Kreis of that name)."""
    from clusterportal.regions.models import Region

    if region is None or region.kind != Region.Kind.REGION:
        return [], []
    parent = region.parent
    if parent is None or parent.kind != Region.Kind.REGIERUNGSBEZIRK:
        return [f"Region {region.name}"], []
    return [f"Region {region.name}"], [f"Regierungsbezirk {parent.name}"]


def search_columns(
    *, name: str, short_name: str, field_names: set[str], places: list[str], texts: list[str]
) -> dict[str, str]:
    """The folded search columns of an initiative (model and bulk paths share this)."""
    columns = {
        "search_name": fold(_with_compounds(f"{name} {short_name}")),
        "search_fields": fold(" ".join(sorted(_with_compounds(n) for n in field_names if n))),
        "search_place": fold(" ".join(p for p in places if p)),
        "search_body": distinct_words(fold(_with_compounds(" ".join(texts)))),
    }
    columns["search_all"] = " ".join(columns[c] for c in WEIGHTS)
    return columns


STORED_COLUMNS = [*WEIGHTS, "search_all"]


def index_words(texts: list[str]) -> None:
    """Add the words of these (folded) texts to the typo vocabulary."""
    from clusterportal.registry.models import SearchWord

    SearchWord.objects.bulk_create(new_words(texts), ignore_conflicts=True, batch_size=2000)


# Words per query when asking which are known (SQLite limits the parameters of a statement).
KNOWN_WORDS_CHUNK = 5000


def new_words(texts: list[str]):
    """The vocabulary rows these (folded) texts would add (reads only; an import asks
    before its write transaction and writes them inside it)."""
    from clusterportal.registry.models import SearchWord

    vocabulary = {
        w
        for text in texts
        for w in text.split()
        if MIN_FUZZY_LENGTH <= len(w) <= MAX_VOCABULARY_WORD and not w.isdigit()
    }
    ordered = sorted(vocabulary)
    known: set[str] = set()
    for start in range(0, len(ordered), KNOWN_WORDS_CHUNK):
        chunk = ordered[start : start + KNOWN_WORDS_CHUNK]
        known.update(
            SearchWord.objects.filter(word__in=chunk, variant=F("word")).values_list(
                "word", flat=True
            )
        )
    return [
        SearchWord(variant=variant, word=w)
        for w in ordered
        if w not in known
        for variant in sorted(deletions(w) | {w})
    ]


SEARCH_COLUMNS = list(WEIGHTS)


def contains_words(queryset: models.QuerySet, fts: str, column: str, words: list[str]):
    """The records whose folded `column` contains every word: an FTS5 trigram lookup per
    word on SQLite (words of 3 letters or more), LIKE '%word%' otherwise (pg_trgm on
    PostgreSQL)."""
    for word in words:
        if connection.vendor == "sqlite" and len(word) >= TRIGRAM:
            match = RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [f'"{word}"'])
            queryset = queryset.filter(pk__in=match)
        else:
            queryset = queryset.filter(**{f"{column}__contains": word})
    return queryset
