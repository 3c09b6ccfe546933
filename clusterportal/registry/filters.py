"""The one filter definition of the initiative list, used by the page, the map,
the exports and the API.

Within one filter the selected values are alternatives (region A or B); across
filters they must all hold. Facet counts for a filter are computed with every
other filter applied, so a user sees how many results each choice would give.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django import forms
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from clusterportal.lib.text import fold, words
from clusterportal.regions.models import Region
from clusterportal.registry import admission, search
from clusterportal.registry.models import ClusterInitiative, Label, Organisation
from clusterportal.taxonomy.models import TechnologyField

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
SORTS = {
    "relevance": ("-search_rank", "name", "pk"),
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "founded": (F("founded_year").asc(nulls_last=True), "name", "pk"),
    "-founded": (F("founded_year").desc(nulls_last=True), "name", "pk"),
    "-members": (F("member_count").desc(nulls_last=True), "name", "pk"),
}
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
    q = forms.CharField(label=_("Suche"), required=False, max_length=search.MAX_QUERY_LENGTH)
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
        return self.cleaned_data["q"].strip()


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


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class ResultPage:
    items: list[ClusterInitiative]
    number: int
    page_size: int
    total: int

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


class PageOutOfRange(ValueError):
    pass


def paginate(ordered: QuerySet, params: dict, rows=lambda ordered: ordered) -> ResultPage:
    """One page of an ordered queryset; `rows` adds what the rows show (prefetches)."""
    size = params.get("page_size") or DEFAULT_PAGE_SIZE
    number = params.get("page") or 1
    total = ordered.count()
    last = max(1, math.ceil(total / size))
    if number > last:
        raise PageOutOfRange(f"page {number} does not exist; the last page is {last}")
    items = list(rows(ordered)[(number - 1) * size : number * size])
    return ResultPage(items, number, size, total)


@dataclass
class InitiativeFilter:
    """Validated filter parameters and the querysets and facets they give."""

    form: InitiativeFilterForm
    vocabulary: Vocabulary
    words: list[search.QueryWord] = field(default_factory=list)

    @classmethod
    def from_params(cls, data) -> InitiativeFilter:
        vocabulary = Vocabulary.load()
        instance = cls(InitiativeFilterForm(data, vocabulary), vocabulary)
        if instance.form.is_valid():
            instance.words = search.parse(instance.form.cleaned_data["q"])
        return instance

    def is_valid(self) -> bool:
        return self.form.is_valid()

    @property
    def errors(self) -> dict[str, list[str]]:
        return {name: [str(m) for m in messages] for name, messages in self.form.errors.items()}

    @property
    def params(self) -> dict:
        return self.form.cleaned_data

    def queryset(self, without: str | None = None) -> QuerySet:
        """Published initiatives matching every filter except `without`."""
        queryset = ClusterInitiative.objects.published()
        if self.words:
            queryset = search.matching(queryset, self.words)
        conditions = self._conditions()
        for name, condition in conditions.items():
            if name != without:
                queryset = queryset.filter(condition)
        return queryset

    def _conditions(self) -> dict[str, Q]:
        p = self.params
        conditions: dict[str, Q] = {}
        if p["region"]:
            conditions["region"] = Q(region__slug__in=p["region"])
        if p["kreis"]:
            conditions["kreis"] = Q(seat_kreis__slug__in=p["kreis"])
        if p["field"]:
            fields = TechnologyField.objects.filter(
                Q(slug__in=p["field"]) | Q(parent__slug__in=p["field"])
            )
            initiatives = ClusterInitiative.technology_fields.through.objects.filter(
                technologyfield__in=fields
            )
            conditions["field"] = Q(pk__in=initiatives.values("clusterinitiative_id"))
        if p["kind"]:
            conditions["kind"] = Q(kind__in=p["kind"])
        if p["label"]:
            conditions["label"] = Q(
                pk__in=Label.objects.filter(kind__in=p["label"]).values("initiative_id")
            )
        if p["criteria"]:
            criteria = Q()
            for code in p["criteria"]:
                criteria &= admission.condition(code)
            conditions["criteria"] = criteria
        if p["active"]:
            conditions["active"] = Q(is_active=p["active"] == "yes")
        return conditions

    @property
    def sort(self) -> str:
        chosen = self.params.get("sort")
        if chosen == "relevance" and not self.words:
            return "name"
        return chosen or ("relevance" if self.words else "name")

    def ordered(self) -> QuerySet:
        queryset = self.queryset()
        if self.words:
            queryset = search.ranked(queryset, self.words)
        return queryset.order_by(*SORTS[self.sort])

    def page(self) -> ResultPage:
        return paginate(self.ordered(), self.params, rows=lambda ordered: ordered.for_list())

    def facets(self) -> list[Facet]:
        return [getattr(self, f"_facet_{name}")() for name in FACETS]

    def _selected(self, name: str) -> set[str]:
        value = self.params.get(name)
        if not value:
            return set()
        return set(value) if isinstance(value, list) else {value}

    def _facet(self, name: str, options: list[tuple[str, str]], counts: dict) -> Facet:
        selected = self._selected(name)
        return Facet(
            name,
            str(self.form.fields[name].label),
            [
                FacetValue(value, str(label), counts.get(value, 0), value in selected)
                for value, label in options
            ],
        )

    def _count_by(self, name: str, column: str) -> dict:
        rows = self.queryset(without=name).values(column).annotate(n=Count("pk", distinct=True))
        return {row[column]: row["n"] for row in rows}

    def _facet_region(self) -> Facet:
        counts = self._count_by("region", "region__slug")
        options = [
            (r.slug, "landesweit" if r.kind == Region.Kind.LAND else r.name)
            for r in self.vocabulary.regions
        ]
        return self._facet("region", options, counts)

    def _facet_kreis(self) -> Facet:
        counts = self._count_by("kreis", "seat_kreis__slug")
        return self._facet("kreis", [(k.slug, str(k)) for k in self.vocabulary.kreise], counts)

    def _facet_field(self) -> Facet:
        rows = (
            self.queryset(without="field")
            .annotate(top=Coalesce("technology_fields__parent__slug", "technology_fields__slug"))
            .values("top")
            .annotate(n=Count("pk", distinct=True))
        )
        counts = {row["top"]: row["n"] for row in rows}
        return self._facet(
            "field", [(f.slug, f.localized_name) for f in self.vocabulary.fields], counts
        )

    def _facet_kind(self) -> Facet:
        return self._facet("kind", ClusterInitiative.Kind.choices, self._count_by("kind", "kind"))

    def _facet_label(self) -> Facet:
        return self._facet("label", Label.Kind.choices, self._count_by("label", "labels__kind"))

    def _facet_criteria(self) -> Facet:
        options = self.form.fields["criteria"].choices
        counts = self.queryset(without="criteria").aggregate(
            **{code: Count("pk", filter=admission.condition(code)) for code, _label in options}
        )
        return self._facet("criteria", options, counts)

    def _facet_active(self) -> Facet:
        counts = self._count_by("active", "is_active")
        return self._facet(
            "active", ACTIVE_CHOICES, {"yes": counts.get(True, 0), "no": counts.get(False, 0)}
        )


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

    def queryset(self) -> QuerySet:
        p = self.cleaned_data
        queryset = Organisation.objects.select_related("region").defer("region__boundary")
        if p["kind"]:
            queryset = queryset.filter(kind__in=p["kind"])
        if p["region"]:
            queryset = queryset.filter(in_regions("region", p["region"]))
        if p["q"]:
            queryset = queryset.filter(pk__in=_names_matching(queryset, p["q"]))
        return queryset.order_by("name", "pk")

    def results(self) -> ResultPage:
        return paginate(self.queryset(), self.cleaned_data)


def _names_matching(queryset: QuerySet, query: str) -> list[int]:
    """Ids of the records whose folded name contains every folded query word.

    Folding happens in Python (lib.text.fold), so "Tübingen", "Tuebingen" and
    "TÜBINGEN" match alike on both databases (SQLite's LIKE folds ASCII only).
    One query over (id, name): fine for the thousands of organisations a
    registry holds; a search column (as for initiatives) is the next step.
    """
    wanted = words(query)
    return [
        pk
        for pk, name in queryset.values_list("pk", "name")
        if all(w in fold(name) for w in wanted)
    ]
