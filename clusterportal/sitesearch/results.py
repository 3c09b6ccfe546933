"""The site search: one query over initiatives, organisations, news, Thema des Monats,
pages, publications, events and the atlas, ranked together, with a facet per kind.

Initiatives come from the registry's search (`registry.filters.InitiativeFilter`: its
database index, typos, synonyms, places and ranking), organisations from an in-memory
index of their folded names (`organisations.py`), everything else from the per-process
`DocumentIndex` of each `sources.Source`. Every kind is ranked by the same `registry.search.rank`, so the lists
merge into one order; ties go by kind (KINDS order), then by title as a dictionary sorts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clusterportal.lib import versioning
from clusterportal.lib.filters import Facet, FacetValue, ListFilter
from clusterportal.lib.pagination import Page, paginate
from clusterportal.lib.text import collation_key
from clusterportal.registry import search
from clusterportal.registry.filters import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    InitiativeFilter,
    registry_index,
)
from clusterportal.registry.models import ClusterInitiative, Membership
from clusterportal.sitesearch.index import Document, DocumentIndex
from clusterportal.sitesearch.organisations import OrganisationIndex
from clusterportal.sitesearch.sources import SOURCES, Source

# Kind -> its label, in the order ties are broken and facets are listed.
KINDS = {
    "initiative": _("Clusterinitiativen und Netzwerke"),
    "organisation": _("Organisationen"),
    "news": _("Nachrichten"),
    "thema": _("Thema des Monats"),
    "event": _("Veranstaltungen"),
    "call": _("Ausschreibungen"),
    "programme": _("Förderprogramme"),
    "posting": _("Partnersuchen"),
    "publication": _("Publikationen"),
    "page": _("Seiten"),
    "atlas_edition": _("Atlas: Ausgaben"),
    "atlas_region": _("Atlas: Regionen"),
    "atlas_cluster": _("Atlas: Cluster"),
}
# Kind -> what one result of it is (the badge beside a result; initiatives name their own
# kind: Clusterinitiative, landesweites Netzwerk, Landesagentur).
ONE_OF_KIND = {
    "organisation": _("Organisation"),
    "news": _("Nachricht"),
    "thema": _("Thema des Monats"),
    "event": _("Veranstaltung"),
    "call": _("Ausschreibung"),
    "programme": _("Förderprogramm"),
    "posting": _("Partnersuche"),
    "publication": _("Publikation"),
    "page": _("Seite"),
    "atlas_edition": _("Atlas-Ausgabe"),
    "atlas_region": _("Atlas-Region"),
    "atlas_cluster": _("Atlas-Cluster"),
}
KIND_ORDER = {kind: position for position, kind in enumerate(KINDS)}
# How many search texts the process keeps the matches of (as the registry index does).
SEARCHES_KEPT = 256


class SiteSearchForm(forms.Form):
    q_cut_from: int | None = None
    q = forms.CharField(label=_("Suche"), required=False)
    kind = forms.MultipleChoiceField(label=_("Art"), required=False, choices=list(KINDS.items()))
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def clean_q(self) -> str:
        query = search.cut(self.cleaned_data["q"])
        self.q_cut_from = query.cut_from
        return query.text


@dataclass(frozen=True)
class Result:
    """One line of the result list, in the active language."""

    kind: str
    title: str
    url: str
    summary: str = ""
    date: object = None
    label: str = ""  # what this result is, where its kind says more than ONE_OF_KIND

    @property
    def kind_label(self) -> str:
        return self.label or str(ONE_OF_KIND[self.kind])


@dataclass(frozen=True)
class _Match:
    kind: str
    rank: tuple
    sort_title: tuple
    make: object  # () -> Result, called for the shown page only
    pk: int | None = None  # an initiative's, to read the rows of a page at once
    organisation: tuple[int, str, str] | None = None  # (pk, name, city), made per page


@dataclass(frozen=True)
class Matches:
    """What a search text finds in one set of data versions: the ranked matches of every
    kind, best first, and the organisations beyond the ranked ones (`organisations.py`)."""

    ranked: list[_Match]
    more_organisations: list[_Match | int]  # positions in `organisations`, made when shown
    organisations: OrganisationIndex

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for match in self.ranked:
            counts[match.kind] = counts.get(match.kind, 0) + 1
        if self.more_organisations:
            counts["organisation"] = counts.get("organisation", 0) + len(self.more_organisations)
        return counts


class _Chosen(Sequence):
    """The ranked matches of the chosen kinds, then (if chosen) the other organisations:
    sliced for a page without building the rest."""

    def __init__(self, matches: Matches, kinds: set[str]) -> None:
        self.head = [m for m in matches.ranked if m.kind in kinds]
        self.tail = matches.more_organisations if "organisation" in kinds else []
        self.organisations = matches.organisations

    def __len__(self) -> int:
        return len(self.head) + len(self.tail)

    def __getitem__(self, index):
        assert isinstance(index, slice), "pages only"
        start, stop, _step = index.indices(len(self))
        items = self.head[start:stop]
        first, last = max(start - len(self.head), 0), max(stop - len(self.head), 0)
        return items + [
            _organisation_match(self.organisations, i, ()) for i in self.tail[first:last]
        ]


class SiteSearchFilter(ListFilter[Result]):
    form_class = SiteSearchForm

    def __init__(self, data) -> None:
        super().__init__(data)
        self._matches: Matches | None = None
        self._versions: tuple | None = None
        self._registry = None

    def data_versions(self) -> tuple:
        """What the answer is made of: the registry's data version and each source's (read
        once per request; the API's ETag)."""
        if self._versions is None:
            names = ["registry", *(source.version_name for source in SOURCES)]
            current = versioning.current_many(names)
            self._registry = registry_index(current["registry"])
            keys = (source.key(current[source.version_name]) for source in SOURCES)
            self._versions = (self._registry.version, *keys)
        return self._versions

    @property
    def q_shortened(self) -> str | None:
        if not self.is_valid() or self.form.q_cut_from is None:
            return None
        return self.params["q"]

    def matches(self) -> Matches:
        """Every match of every kind, best first: kept per search text and data versions
        for the SEARCHES_KEPT texts searched last (paging, a kind chosen, a repeat)."""
        if self._matches is None:
            query = self.params["q"] if self.is_valid() else ""
            versions = self.data_versions()
            self._matches = _kept(versions, query, lambda: self._search(query, versions))
        return self._matches

    def _search(self, query: str, versions: tuple) -> Matches:
        organisations = organisation_index(versions[0])
        if not query:
            return Matches([], [], organisations)
        initiatives = InitiativeFilter({"q": query}, index=self._registry)
        synonyms = initiatives.index.memo("synonyms", search.synonym_table)
        found = _initiatives(initiatives)
        ranked, more = organisations.search(initiatives.words)
        found += [_organisation_match(organisations, i, rank) for rank, i in ranked]
        for source, version in zip(SOURCES, versions[1:], strict=True):
            index = source_index(source, version)
            parsed = search.parse(query, index.vocabulary, synonyms)
            found += [_document_match(hit.document, hit.rank) for hit in index.search(parsed)]
        found.sort(key=lambda m: (m.rank, KIND_ORDER[m.kind], m.sort_title))
        return Matches(found, more, organisations)

    def page(self) -> Page[Result]:
        kinds = set(self.params.get("kind") or KINDS)
        chosen = _Chosen(self.matches(), kinds)
        page = paginate(chosen, self.params.get("page"), self.params.get("page_size"))
        shown = [m.pk for m in page.items if m.pk is not None]
        if shown and self._registry is not None:
            self._registry.rows(shown)  # one read for the page's initiatives
        organisations = organisation_results([m.organisation for m in page.items if m.organisation])
        results = [
            organisations[m.organisation[0]] if m.organisation else m.make() for m in page.items
        ]
        return Page(results, page.number, page.page_size, page.total)

    def facets(self) -> list[Facet]:
        counts = self.matches().counts()
        selected = set(self.params.get("kind") or ())
        values = [
            FacetValue(kind, str(label), counts[kind], kind in selected)
            for kind, label in KINDS.items()
            if kind in counts
        ]
        return [Facet("kind", str(_("Art")), values)]


_kept_lock = threading.Lock()
# The searches kept, all of one set of data versions: matches hold their indexes (the
# organisations' alone take 65 MB at European scale), so a data change drops them all
# rather than keeping old indexes alive until they age out.
_kept_versions: tuple | None = None
_kept_searches: OrderedDict[str, Matches] = OrderedDict()


def _kept(versions: tuple, query: str, compute) -> Matches:
    global _kept_versions
    with _kept_lock:
        if versions != _kept_versions:
            _kept_searches.clear()
            _kept_versions = versions
        if query in _kept_searches:
            _kept_searches.move_to_end(query)
            return _kept_searches[query]
    matches = compute()
    with _kept_lock:
        if versions == _kept_versions:
            _kept_searches[query] = matches
            while len(_kept_searches) > SEARCHES_KEPT:
                _kept_searches.popitem(last=False)
    return matches


# --- initiatives and organisations: the database ----------------------------------------


def _initiatives(filters: InitiativeFilter) -> list[_Match]:
    index, ranks = filters.ranked_matches()

    def make(pk: int):
        return lambda: _initiative_result(index.rows([pk])[0])

    return [_Match("initiative", ranks[pk], index.name_key[pk], make(pk), pk) for pk in ranks]


def _initiative_result(initiative: ClusterInitiative) -> Result:
    place = ", ".join(
        p for p in (initiative.city, initiative.region.name if initiative.region else "") if p
    )
    return Result(
        "initiative", initiative.display_name, initiative.get_absolute_url(), place,
        label=initiative.get_kind_display(),
    )  # fmt: skip


def _organisation_match(index: OrganisationIndex, position: int, rank: tuple) -> _Match:
    """An organisation (its result is made with the page's others: `organisation_results`).
    Beyond the ranked ones (rank ()): after them, as `Matches` keeps them."""
    pk, name, city = index.pks[position], index.names[position], index.cities[position]
    return _Match("organisation", rank, (), None, organisation=(pk, name, city))


def organisation_results(organisations: list[tuple[int, str, str]]) -> dict[int, Result]:
    """The results of a page's organisations, each linked to the member list of the first
    published initiative (by name) it belongs to: one query for the page."""
    memberships = (
        Membership.objects.filter(
            organisation__in=[pk for pk, _name, _city in organisations],
            initiative__status=ClusterInitiative.Status.PUBLISHED,
        )
        .order_by("organisation_id", "initiative__name", "initiative_id")
        .values_list("organisation_id", "initiative__slug", "initiative__name")
    )
    first: dict[int, tuple[str, str]] = {}
    for pk, slug, initiative in memberships if organisations else ():
        first.setdefault(pk, (slug, initiative))
    results = {}
    for pk, name, city in organisations:
        slug, initiative = first.get(pk, ("", ""))
        url = reverse("registry:detail", kwargs={"slug": slug}) + "#members-heading" if slug else ""
        member = _("Mitglied in %(name)s") % {"name": initiative} if initiative else ""
        results[pk] = Result(
            "organisation", name, url, ", ".join(p for p in (city, str(member)) if p)
        )
    return results


# --- everything else: per-process document indexes --------------------------------------


def _document_match(document: Document, rank: tuple) -> _Match:
    return _Match(
        document.kind, rank, collation_key(document.title), lambda: _document_result(document)
    )


def _document_result(document: Document) -> Result:
    english = (get_language() or "de").startswith("en")
    title = document.title_en if english and document.title_en else document.title
    summary = document.summary_en if english and document.summary_en else document.summary
    return Result(document.kind, title, document.url(), summary, document.date)


_lock = threading.Lock()
_indexes: dict[str, tuple[tuple, DocumentIndex | OrganisationIndex]] = {}


def organisation_index(registry_version: tuple) -> OrganisationIndex:
    """The organisations of this registry data version (a rebuild when it changed)."""
    with _lock:
        kept = _indexes.get("organisations")
        if kept is None or kept[0] != registry_version:
            kept = _indexes["organisations"] = (registry_version, OrganisationIndex())
        return kept[1]  # type: ignore[return-value]


def source_index(source: Source, current: tuple) -> DocumentIndex:
    """The source's documents of its `current` data version (a rebuild when it changed)."""
    from django.db import connection

    version = (connection.alias, *current)
    with _lock:
        kept = _indexes.get(source.name)
        if kept is None or kept[0] != version:
            kept = _indexes[source.name] = (version, DocumentIndex(source.documents()))
        return kept[1]
