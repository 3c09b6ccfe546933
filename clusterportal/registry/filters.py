"""The one filter definition of the initiative list, used by the page, the map,
the exports and the API.

Within one filter the selected values are alternatives (region A or B); across
filters they must all hold. Facet counts for a filter are computed with every
other filter applied, so a user sees how many results each choice would give.

Speed: a registry has a few thousand initiatives, and a result page needs
seven facets. Instead of one grouped query per facet, each process keeps a
read-only index of the published registry (ids per facet value, sort keys, the
filter vocabulary, the rows already shown; `RegistryIndex`), rebuilt when the
registry's data version changes (lib/versioning.py; what it watches is declared
in apps.py). A request costs the version query, the full-text queries when
there is a search text, and the queries for the rows of its page that this
index has not read before. Sorting happens on that index too, by the names as a
German dictionary sorts them (lib.text.collation_key), the same on every database.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clusterportal.lib import versioning
from clusterportal.lib.filters import Facet, FacetValue, ListFilter
from clusterportal.lib.pagination import Page, paginate
from clusterportal.lib.text import by_label, collation_key, fold, words
from clusterportal.regions.models import Region
from clusterportal.registry import admission, search, suggestions
from clusterportal.registry.models import ClusterInitiative, Label, Organisation
from clusterportal.taxonomy.models import TechnologyField

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
SORT_LABELS = {
    "relevance": _("Relevanz"),
    "name": _("Name A–Z"),
    "-name": _("Name Z–A"),
    "founded": _("Gründungsjahr aufsteigend"),
    "-founded": _("Gründungsjahr absteigend"),
    "-members": _("Mitgliederzahl"),
}
ACTIVE_CHOICES = [("yes", _("aktiv")), ("no", _("historisch"))]
# The filters that have facets, in display order.
FACETS = ["region", "kreis", "field", "kind", "label", "criteria", "active"]


class InitiativeFilterForm(forms.Form):
    q_cut_from: int | None = None  # the length of a search text that was cut (clean_q)
    # No max_length: an over-long text is cut (clean_q), not refused.
    q = forms.CharField(label=_("Suche"), required=False)
    region = forms.MultipleChoiceField(label=_("Region"), required=False)
    kreis = forms.MultipleChoiceField(label=_("Stadt- und Landkreis"), required=False)
    field = forms.MultipleChoiceField(label=_("Technologiefeld"), required=False)
    kind = forms.MultipleChoiceField(
        label=_("Art"), required=False, choices=ClusterInitiative.Kind.choices
    )
    label = forms.MultipleChoiceField(label=_("Label"), required=False, choices=Label.Kind.choices)
    criteria = forms.MultipleChoiceField(
        label=_("Aufnahmekriterien"),
        required=False,
        choices=[("all", _("alle erfüllt"))] + [(c.code, c.title) for c in admission.CRITERIA],
    )
    active = forms.ChoiceField(
        label=_("Stand"), required=False, choices=[("", "")] + ACTIVE_CHOICES
    )
    sort = forms.ChoiceField(
        label=_("Sortierung"), required=False, choices=list(SORT_LABELS.items())
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def __init__(self, data, vocabulary: Vocabulary):
        super().__init__(data)
        self.fields["region"].choices = [(r.slug, r.name) for r in vocabulary.regions]
        self.fields["kreis"].choices = [(k.slug, str(k)) for k in vocabulary.kreise]
        self.fields["field"].choices = [(f.slug, f.name) for f in vocabulary.fields]

    def clean_q(self) -> str:
        """The search text, cut at a word boundary when it is longer than
        search.MAX_QUERY_LENGTH (`q_cut_from` then holds the original length)."""
        query = search.cut(self.cleaned_data["q"])
        self.q_cut_from = query.cut_from
        return query.text


@dataclass
class Vocabulary:
    """The values the region, Kreis and field filters accept (two small queries)."""

    regions: list[Region]
    kreise: list[Region]
    fields: list[TechnologyField]

    @classmethod
    def load(cls) -> Vocabulary:
        regions = list(
            Region.objects.without_boundaries()
            .of_kind(Region.Kind.LAND, Region.Kind.REGION, Region.Kind.KREIS)
            .filter(Q(kind=Region.Kind.LAND, code="08") | ~Q(kind=Region.Kind.LAND))
            .order_by("kind", "name", "code")
        )
        return cls(
            regions=[r for r in regions if r.kind != Region.Kind.KREIS],
            kreise=[r for r in regions if r.kind == Region.Kind.KREIS],
            fields=list(TechnologyField.objects.top_level().order_by("name")),
        )


# How many search texts an index keeps the matches and ranks of (RegistryIndex.search_results).
SEARCHES_KEPT = 256


class RegistryIndex:
    """Ids of the published initiatives per facet value, their sort keys, the
    filter vocabulary, and the list rows read so far (all of one data version)."""

    def __init__(self, version: tuple, changed_at: datetime.datetime | None = None) -> None:
        self.version = version
        self.changed_at = changed_at  # when the data last changed (Last-Modified)
        self.vocabulary = Vocabulary.load()
        self._rows: dict[int, ClusterInitiative] = {}
        # Values derived from this version's data by other modules (see `memo`).
        self._memo: dict[object, object] = {}
        # What a search text matches and how it ranks: the same for every filter, page and
        # sort that comes with it, until the data changes (see `search_results`).
        self._searches: OrderedDict[tuple, tuple[frozenset[int], dict[int, tuple]]] = OrderedDict()
        rows = list(
            admission.annotate(ClusterInitiative.objects.published()).values_list(
                "pk", "slug", "name", "kind", "region__slug", "seat_kreis__slug", "is_active",
                "founded_year", "member_count", "short_name", "search_name", "search_fields", "search_place",
                *(c.annotation for c in admission.CRITERIA),
            )
        )  # fmt: skip
        self.ids = frozenset(row[0] for row in rows)
        values: dict[str, dict[str, set[int]]] = {name: {} for name in FACETS}

        def add(facet: str, value: object, pk: int) -> None:
            if value is not None:
                values[facet].setdefault(str(value), set()).add(pk)

        self.name_key: dict[int, tuple] = {}
        self.founded: dict[int, int | None] = {}
        self.members: dict[int, int | None] = {}
        # pk -> (name, short name, (search_name, search_fields, search_place)) for ranking.
        self.search_text: dict[int, tuple[str, str, tuple[str, str, str]]] = {}
        self.slugs: dict[str, int] = {}
        self.criteria: dict[int, list[admission.Result]] = {}
        for pk, slug, name, kind, region, kreis, active, founded, members, short, *rest in rows:
            texts_and_flags = rest
            # Folded once per data version: ranking compares them on every search.
            self.search_text[pk] = (fold(name), fold(short), tuple(texts_and_flags[:3]))
            flags = texts_and_flags[3:]
            self.slugs[slug] = pk
            self.criteria[pk] = [
                admission.Result(criterion, bool(met))
                for criterion, met in zip(admission.CRITERIA, flags, strict=True)
            ]
            add("kind", kind, pk)
            add("region", region, pk)
            add("kreis", kreis, pk)
            add("active", "yes" if active else "no", pk)
            for criterion, met in zip(admission.CRITERIA, flags, strict=True):
                if met:
                    add("criteria", criterion.code, pk)
            if all(flags):
                add("criteria", "all", pk)
            self.name_key[pk] = (*collation_key(name), pk)
            self.founded[pk] = founded
            self.members[pk] = members
        through = ClusterInitiative.technology_fields.through.objects.filter(
            clusterinitiative__in=self.ids
        )
        for pk, own, parent in through.values_list(
            "clusterinitiative_id", "technologyfield__slug", "technologyfield__parent__slug"
        ):
            add("field", parent or own, pk)
        for pk, kind in Label.objects.filter(initiative__in=self.ids).values_list(
            "initiative_id", "kind"
        ):
            add("label", kind, pk)
        self.values = {
            name: {v: frozenset(ids) for v, ids in by.items()} for name, by in values.items()
        }

    def rows(self, ids: list[int]) -> list[ClusterInitiative]:
        """The list rows (`for_list`) of these published initiatives, in this order.

        Each row is read from the database once per index: a page shown before
        costs no query. The rows are shared by the requests of this process and
        must be treated as read-only.
        """
        missing = [pk for pk in ids if pk not in self._rows]
        if missing:
            fetched = ClusterInitiative.objects.for_list().filter(pk__in=missing)
            self._rows.update((item.pk, item) for item in fetched)
        return [self._rows[pk] for pk in ids]

    def related(self, pk: int, region: str, fields: list[str], limit: int) -> list[int]:
        """Other initiatives of this region sharing one of these top-level fields, by name."""
        by_field = self.values["field"]
        shared = set().union(*(by_field.get(slug, frozenset()) for slug in fields))
        candidates = (shared & self.values["region"].get(region, frozenset())) - {pk}
        return sorted(candidates, key=self.name_key.__getitem__)[:limit]

    def search_results(self, words: tuple, compute) -> tuple[frozenset[int], dict[int, tuple]]:
        """`compute()` (the matching ids and their ranks) once per search text and data
        version, for the SEARCHES_KEPT texts searched last: people page through a result,
        change its filters and sort it, and common searches repeat."""
        try:
            self._searches.move_to_end(words)
            return self._searches[words]
        except KeyError:
            result = self._searches[words] = compute()
            if len(self._searches) > SEARCHES_KEPT:
                self._searches.popitem(last=False)
            return result

    def memo(self, key: object, compute):
        """`compute()`, once per index and key: values derived from this version's data."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def sorted_ids(self, ids: set[int], sort: str, ranks: dict[int, tuple]) -> list[int]:
        """Unknown years and counts sort last, whatever the direction; ties by name (by
        relevance: `search.rank` first, which breaks ties of the score)."""
        name = self.name_key.__getitem__
        if sort == "relevance":
            return sorted(ids, key=lambda pk: (ranks[pk], name(pk)))
        if sort in ("name", "-name"):
            return sorted(ids, key=name, reverse=sort == "-name")
        if sort == "-members":
            return sorted(
                ids, key=lambda pk: (self.members[pk] is None, -(self.members[pk] or 0), name(pk))
            )
        sign = -1 if sort == "-founded" else 1
        return sorted(
            ids, key=lambda pk: (self.founded[pk] is None, sign * (self.founded[pk] or 0), name(pk))
        )


_index_lock = threading.Lock()
_index: RegistryIndex | None = None


def registry_index(current: versioning.Version | None = None) -> RegistryIndex:
    """The index of the current data version (one query, none when the caller read the
    version `current` already; a rebuild when the data changed)."""
    global _index
    current = current or versioning.current("registry")
    version = (connection.alias, current.number, current.token)
    with _index_lock:
        if _index is None or _index.version != version:
            _index = RegistryIndex(version, current.changed_at)
        return _index


class InitiativeFilter(ListFilter[ClusterInitiative]):
    """Validated filter parameters and the records and facets they give, read from
    the registry index of the current data version (`index`) rather than per request."""

    form_class = InitiativeFilterForm

    def __init__(self, data, index: RegistryIndex | None = None) -> None:
        self.index = registry_index() if index is None else index
        super().__init__(data, vocabulary=self.index.vocabulary)
        self._matches: tuple[RegistryIndex, dict[int, tuple] | None] | None = None

    @cached_property
    def words(self) -> list[search.QueryWord]:
        """The search words with their typo variants (read when first needed: a cached
        answer needs none)."""
        if not self.is_valid() or not self.params["q"]:
            return []
        vocabulary = self.index.memo("typo-vocabulary", search.typo_vocabulary)
        synonyms = self.index.memo("synonyms", search.synonym_table)
        return search.parse(self.params["q"], vocabulary, synonyms)

    @property
    def q_shortened(self) -> str | None:
        """The search text as searched, when the one given was too long and was cut."""
        if not self.is_valid() or self.form.q_cut_from is None:
            return None
        return self.params["q"]

    @property
    def vocabulary(self) -> Vocabulary:
        return self.index.vocabulary

    @property
    def sort(self) -> str:
        chosen = self.params.get("sort")
        if chosen == "relevance" and not self.words:
            return "name"
        return chosen or ("relevance" if self.words else "name")

    def _selected(self, name: str) -> set[str]:
        value = self.params.get(name)
        if not value:
            return set()
        return set(value) if isinstance(value, list) else {value}

    def _index_and_ranks(self) -> tuple[RegistryIndex, dict[int, tuple] | None]:
        """The index and, with a search text, {pk: sort key} of the matches (`search.rank`,
        cached per filter)."""
        if self._matches is None:
            index = self.index
            ranks = None
            if self.words:
                matched, ranked = index.search_results(tuple(self.words), self._search)
                # Another order was asked for: the ranks are not used.
                ranks = ranked if self.sort == "relevance" else dict.fromkeys(matched, ())
            self._matches = (index, ranks)
        return self._matches

    @cached_property
    def places(self) -> list[suggestions.Place]:
        """The places the search text names ("Tübingen": Landkreis, Regierungsbezirk, city),
        for the page and the API to say that it found initiatives seated or active there."""
        if not self.words:
            return []
        table = self.index.memo(("places", get_language()), suggestions.place_table)
        return suggestions.named_places(self.params["q"], table)

    def suggestions(self) -> list[suggestions.Suggestion]:
        """Ways on from an empty result (`registry.suggestions.suggest`)."""
        return suggestions.suggest(self)

    def ranked_matches(self) -> tuple[RegistryIndex, dict[int, tuple]]:
        """The index and {pk: `search.rank`} of every published initiative matching the
        search text, whatever the other filters and the sort (the site search merges
        them with other kinds)."""
        if not self.words:
            return self.index, {}
        return self.index, self.index.search_results(tuple(self.words), self._search)[1]

    def _search(self) -> tuple[frozenset[int], dict[int, tuple]]:
        """The published initiatives matching the search text (one query), with their ranks."""
        index = self.index
        matched = search.matching_ids(ClusterInitiative.objects.published(), self.words)
        matched &= index.ids
        ranks = {pk: search.rank(self.words, *index.search_text[pk]) for pk in matched}
        return frozenset(matched), ranks

    def matching_ids(self, without: str | None = None) -> set[int]:
        """Ids matching the search text and every filter except `without`."""
        index, ranks = self._index_and_ranks()
        ids = set(index.ids) if ranks is None else set(ranks) & index.ids
        for name in FACETS:
            selected = self._selected(name)
            if name == without or not selected:
                continue
            if name == "criteria":
                # Several criteria must all be met (they are requirements, not alternatives).
                for code in selected:
                    ids &= index.values["criteria"].get(code, frozenset())
            else:
                ids &= set().union(*(index.values[name].get(v, frozenset()) for v in selected))
        return ids

    def ordered_ids(self) -> list[int]:
        index, ranks = self._index_and_ranks()
        return index.sorted_ids(self.matching_ids(), self.sort, ranks or {})

    def queryset(self) -> QuerySet:
        """All matching published initiatives as a queryset (order: see ordered_ids)."""
        return ClusterInitiative.objects.published().filter(pk__in=self.matching_ids())

    def iter_ordered(self, queryset: QuerySet | None = None, batch: int = 500):
        """Every matching initiative in result order, fetched in batches (exports, maps)."""
        queryset = ClusterInitiative.objects.for_list() if queryset is None else queryset
        ordered = self.ordered_ids()
        for start in range(0, len(ordered), batch):
            chunk = ordered[start : start + batch]
            rows = {item.pk: item for item in queryset.filter(pk__in=chunk)}
            yield from (rows[pk] for pk in chunk)

    def page(self) -> Page[ClusterInitiative]:
        """The page's rows from the index (a page shown before costs no query)."""
        ids = paginate(self.ordered_ids(), self.params.get("page"), self.params.get("page_size"))
        return Page(self.index.rows(ids.items), ids.number, ids.page_size, ids.total)

    def facets(self) -> list[Facet]:
        index, _ranks = self._index_and_ranks()
        # Labels are the same for every request of a data version and language.
        options = index.memo(("facet-options", get_language()), self._facet_options)
        facets = []
        for name in FACETS:
            base = self.matching_ids(without=name)
            selected = self._selected(name)
            label, choices = options[name]
            values = [
                FacetValue(
                    value,
                    text,
                    len(base & index.values[name].get(value, frozenset())),
                    value in selected,
                )
                for value, text in choices
            ]
            facets.append(Facet(name, label, values))
        return facets

    def _facet_options(self) -> dict[str, tuple[str, list[tuple[str, str]]]]:
        """Facet name -> (its label, [(value, label)]) in the active language."""
        vocabulary = self.vocabulary
        options = {
            # The Land first ("landesweit"), then the Regionen by name.
            "region": [
                (r.slug, _("landesweit") if r.kind == Region.Kind.LAND else r.localized_name)
                for r in sorted(
                    vocabulary.regions,
                    key=lambda r: (r.kind != Region.Kind.LAND, collation_key(r.localized_name)),
                )
            ],
            "kreis": by_label((k.slug, str(k)) for k in vocabulary.kreise),
            "field": by_label((f.slug, f.localized_name) for f in vocabulary.fields),
            "kind": ClusterInitiative.Kind.choices,
            "label": Label.Kind.choices,
            "criteria": self.form.fields["criteria"].choices,
            "active": ACTIVE_CHOICES,
        }
        return {
            name: (
                str(self.form.fields[name].label),
                [(value, str(text)) for value, text in options[name]],
            )
            for name in FACETS
        }


# How far a Kreis lies below the root of the region tree (Kreis > Region >
# Regierungsbezirk > Land > Staat): a region filter looks that many parents up.
REGION_TREE_DEPTH = 4


def in_regions(path: str, regions: list[Region]) -> Q:
    """The records whose region at `path` is one of `regions` or lies below one."""
    condition = Q()
    for depth in range(REGION_TREE_DEPTH + 1):
        condition |= Q(**{f"{path}{'__parent' * depth}__in": regions})
    return condition


class OrganisationFilterForm(forms.Form):
    """Filters of the organisation list: name, kind, region, pagination."""

    q = forms.CharField(label=_("Name"), required=False, max_length=search.MAX_QUERY_LENGTH)
    kind = forms.MultipleChoiceField(
        label=_("Art"), required=False, choices=Organisation.Kind.choices
    )
    region = forms.ModelMultipleChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.without_boundaries(),
        to_field_name="slug",
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()

    def clean_region(self) -> list[Region]:
        return list(self.cleaned_data["region"])


class OrganisationFilter(ListFilter[Organisation]):
    """The organisation list, ordered by name."""

    form_class = OrganisationFilterForm

    def queryset(self) -> QuerySet:
        p = self.params
        queryset = Organisation.objects.select_related("region").defer("region__boundary")
        if p["kind"]:
            queryset = queryset.filter(kind__in=p["kind"])
        if p["region"]:
            queryset = queryset.filter(in_regions("region", p["region"]))
        if p["q"]:
            queryset = _names_matching(queryset, p["q"])
        return queryset.order_by("name", "pk")


def _names_matching(queryset: QuerySet, query: str) -> QuerySet:
    """The records whose folded name contains every folded query word.

    Folding happens in Python (lib.text.fold) when a name is saved, into
    `search_name`, so "Tübingen", "Tuebingen" and "TÜBINGEN" match alike on both
    databases; each word is looked up in a trigram index (FTS5 on SQLite, pg_trgm
    on PostgreSQL), as for initiatives.
    """
    return search.contains_words(queryset, "registry_organisation_fts", "search_name", words(query))
