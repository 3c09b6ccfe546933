"""The site search: one query over initiatives, organisations, news, Thema des Monats,
pages, publications, events and the atlas, ranked together, with a facet per kind.

Initiatives come from the registry's search (`registry.filters.InitiativeFilter`: its
database index, typos, synonyms, places and ranking), organisations from their folded
names in the database, everything else from the per-process `DocumentIndex` of each
`sources.Source`. Every kind is ranked by the same `registry.search.rank`, so the lists
merge into one order; ties go by kind (KINDS order), then by title as a dictionary sorts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clusterportal.lib.filters import Facet, FacetValue, ListFilter
from clusterportal.lib.pagination import Page, paginate
from clusterportal.lib.text import collation_key, fold
from clusterportal.registry import search
from clusterportal.registry.filters import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    InitiativeFilter,
    registry_index,
)
from clusterportal.registry.models import ClusterInitiative, Membership, Organisation
from clusterportal.sitesearch.index import Document, DocumentIndex
from clusterportal.sitesearch.sources import SOURCES, Source

# Kind -> its label, in the order ties are broken and facets are listed.
KINDS = {
    "initiative": _("Clusterinitiativen und Netzwerke"),
    "organisation": _("Organisationen"),
    "news": _("Nachrichten"),
    "thema": _("Thema des Monats"),
    "event": _("Veranstaltungen"),
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
    "publication": _("Publikation"),
    "page": _("Seite"),
    "atlas_edition": _("Atlas-Ausgabe"),
    "atlas_region": _("Atlas-Region"),
    "atlas_cluster": _("Atlas-Cluster"),
}
KIND_ORDER = {kind: position for position, kind in enumerate(KINDS)}
# Organisations are many (150,000 at European scale): the ranking looks at the matches
# with the shortest names, which hold the names closest to the query.
ORGANISATIONS_RANKED = 500


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


class SiteSearchFilter(ListFilter[Result]):
    form_class = SiteSearchForm

    def __init__(self, data) -> None:
        super().__init__(data)
        self._matches: list[_Match] | None = None
        self._initiatives: InitiativeFilter | None = None
        self._versions: tuple | None = None
        self._registry = None

    def data_versions(self) -> tuple:
        """What the answer is made of: the registry's data version and each source's (read
        once per request; the API's ETag)."""
        if self._versions is None:
            self._registry = registry_index()
            self._versions = (self._registry.version, *(s.version() for s in SOURCES))
        return self._versions

    @property
    def q_shortened(self) -> str | None:
        if not self.is_valid() or self.form.q_cut_from is None:
            return None
        return self.params["q"]

    def matches(self) -> list[_Match]:
        """Every match of every kind, best first (kept for this request)."""
        if self._matches is None:
            query = self.params["q"] if self.is_valid() else ""
            found: list[_Match] = []
            if query:
                versions = self.data_versions()
                initiatives = InitiativeFilter({"q": query}, index=self._registry)
                self._initiatives = initiatives
                synonyms = initiatives.index.memo("synonyms", search.synonym_table)
                found += _initiatives(initiatives)
                found += _organisations(initiatives.words)
                for source, version in zip(SOURCES, versions[1:], strict=True):
                    index = source_index(source, version)
                    parsed = search.parse(query, index.vocabulary, synonyms)
                    found += [
                        _document_match(hit.document, hit.rank) for hit in index.search(parsed)
                    ]
            found.sort(key=lambda m: (m.rank, KIND_ORDER[m.kind], m.sort_title))
            self._matches = found
        return self._matches

    def page(self) -> Page[Result]:
        kinds = set(self.params.get("kind") or KINDS)
        chosen = [m for m in self.matches() if m.kind in kinds]
        page = paginate(chosen, self.params.get("page"), self.params.get("page_size"))
        shown = [m.pk for m in page.items if m.pk is not None]
        if shown and self._initiatives is not None:
            self._initiatives.index.rows(shown)  # one read for the page's initiatives
        return Page([m.make() for m in page.items], page.number, page.page_size, page.total)

    def facets(self) -> list[Facet]:
        counts: dict[str, int] = {}
        for match in self.matches():
            counts[match.kind] = counts.get(match.kind, 0) + 1
        selected = set(self.params.get("kind") or ())
        values = [
            FacetValue(kind, str(label), counts[kind], kind in selected)
            for kind, label in KINDS.items()
            if kind in counts
        ]
        return [Facet("kind", str(_("Art")), values)]


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


def _organisations(parsed: list[search.QueryWord]) -> list[_Match]:
    """Organisations that are members of a published initiative (their member list is
    where the portal shows them), by name."""
    if not parsed:
        return []
    members = Membership.objects.filter(
        organisation=OuterRef("pk"), initiative__status=ClusterInitiative.Status.PUBLISHED
    )
    candidates = search.matching(
        Organisation.objects.filter(Exists(members)), parsed, search.ORGANISATIONS
    )
    rows = candidates.order_by(Length("search_name"), "pk").values_list(
        "pk", "name", "city", "search_name"
    )[:ORGANISATIONS_RANKED]
    matches = []
    for pk, name, city, folded in rows:
        rank = search.rank(parsed, folded, "", (folded, "", fold(city)))
        matches.append(
            _Match("organisation", rank, collation_key(name), _organisation_maker(pk, name, city))
        )
    return matches


def _organisation_maker(pk: int, name: str, city: str):
    def make() -> Result:
        membership = (
            Membership.objects.filter(
                organisation_id=pk, initiative__status=ClusterInitiative.Status.PUBLISHED
            )
            .order_by("initiative__name")
            .values_list("initiative__slug", "initiative__name")
            .first()
        )
        slug, initiative = membership or ("", "")
        url = reverse("registry:detail", kwargs={"slug": slug}) + "#members-heading" if slug else ""
        summary = ", ".join(
            p for p in (city, str(_("Mitglied in %(name)s") % {"name": initiative})) if p
        )
        return Result("organisation", name, url, summary)

    return make


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
_indexes: dict[str, tuple[tuple, DocumentIndex]] = {}


def source_index(source: Source, current: tuple) -> DocumentIndex:
    """The source's documents of its `current` data version (a rebuild when it changed)."""
    from django.db import connection

    version = (connection.alias, *current)
    with _lock:
        kept = _indexes.get(source.name)
        if kept is None or kept[0] != version:
            kept = _indexes[source.name] = (version, DocumentIndex(source.documents()))
        return kept[1]
