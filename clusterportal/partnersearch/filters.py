"""The one filter of the public postings: the list page, its RSS and Atom feeds and the API.

Parameters (each validated, a bad one named in a 400): `q` (words, German-aware as the
registry's search: umlauts folded, compounds, synonyms), `kind`, `purpose`, `field` (a
technology field; a broad field takes in its specific ones), `country` (sought, ISO code),
`region` (a Region or Kreis where the poster sits or that it seeks; a Region takes in its
Kreise), `call` (a call's slug), `sort` (newest first, or the soonest expiry first), `page`,
`page_size`. Facets for kind, purpose, field (broad fields) and country, each counted with
every other parameter applied. Matching runs on the per-process index (index.py).
"""

from __future__ import annotations

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from clusterportal.calls.models import Call
from clusterportal.lib.countries import country_name
from clusterportal.lib.filters import Facet, FacetValue, ListFilter
from clusterportal.lib.pagination import Page, paginate
from clusterportal.lib.text import by_label
from clusterportal.partnersearch import index as posting_index
from clusterportal.partnersearch.models import Posting
from clusterportal.regions.models import Region
from clusterportal.registry import search
from clusterportal.taxonomy.models import TechnologyField

MAX_PAGE_SIZE = 100
FACETS = ("kind", "purpose", "field", "country")
NEWEST, EXPIRY = "newest", "expiry"


class PostingFilterForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=200)
    kind = forms.MultipleChoiceField(label=_("Art"), required=False, choices=Posting.Kind.choices)
    purpose = forms.MultipleChoiceField(
        label=_("Zweck"), required=False, choices=Posting.Purpose.choices
    )
    field = forms.MultipleChoiceField(label=_("Technologiefeld"), required=False, choices=[])
    country = forms.MultipleChoiceField(
        label=_("gesuchtes Land"), required=False, choices=list(all_countries),
        error_messages={"invalid_choice": _("%(value)s ist kein Ländercode nach ISO 3166-1.")},
    )  # fmt: skip
    region = forms.SlugField(label=_("Region oder Kreis"), required=False, max_length=100)
    call = forms.SlugField(label=_("Förderaufruf"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sortierung"), required=False,
        choices=[(NEWEST, _("neueste zuerst")), (EXPIRY, _("bald ablaufend zuerst"))],
    )  # fmt: skip
    page = forms.IntegerField(label=_("Seite"), required=False, min_value=1)
    page_size = forms.IntegerField(
        label=_("Einträge pro Seite"), required=False, min_value=1, max_value=MAX_PAGE_SIZE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = list(
            TechnologyField.objects.order_by("name").values_list("slug", "name")
        )
        self.fields["field"].error_messages["invalid_choice"] = _(
            "Kein Technologiefeld mit dem Kurznamen %(value)s."
        )

    def clean_region(self) -> str:
        slug = self.cleaned_data.get("region")
        if slug and not Region.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Keine Region und kein Kreis mit diesem Kurznamen."))
        return slug

    def clean_call(self) -> str:
        slug = self.cleaned_data.get("call")
        if slug and not Call.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Kein Förderaufruf mit diesem Kurznamen."))
        return slug


class PostingFilter(ListFilter[Posting]):
    form_class = PostingFilterForm

    def __init__(self, data, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self._index: posting_index.PostingIndex | None = None
        self._matches: dict[str, int | None] = {}

    @property
    def index(self) -> posting_index.PostingIndex:
        if self._index is None:
            self._index = posting_index.current()
        return self._index

    def _selected(self, name: str) -> set[str]:
        value = self.params.get(name)
        if not value:
            return set()
        return set(value) if isinstance(value, list) else {value}

    def _text_matches(self) -> int | None:
        """The bitmap of the postings whose text has every query word (None: no query). A
        word is found as the registry's search finds it: itself, a synonym, or all parts
        of a phrase."""
        query = (self.params.get("q") or "").strip()
        if not query:
            return None
        index = self.index
        found: int | None = None
        for word in search.parse(query, vocabulary={}):
            bits = 0
            for term in (word.exact, *word.synonyms):
                bits |= index.with_term(term)
            if word.parts:
                every_part = index.everything
                for part in word.parts:
                    every_part &= index.with_term(part)
                bits |= every_part
            found = bits if found is None else found & bits
        return found or 0

    def matching_bits(self, without: str = "") -> int | None:
        """The bitmap of the postings matching every parameter but `without`; None: all
        (nothing chosen)."""
        if without not in self._matches:
            if "text" not in self._matches:
                self._matches["text"] = self._text_matches()
            found = self._matches["text"]
            for name in posting_index.SETS:
                values = self._selected(name)
                if name == without or not values:
                    continue
                bits = self.index.with_values(name, values)
                found = bits if found is None else found & bits
            self._matches[without] = found
        return self._matches[without]

    def ordered_ids(self) -> list[int]:
        """The matching posting ids in the list's order."""
        bits = self.matching_bits()
        if bits is None:
            bits = self.index.everything
        return self.index.ids(bits, by_expiry=self.params.get("sort") == EXPIRY)

    def queryset(self):
        """Every matching posting in the list's order (a list: the order is the index's)."""
        return self.rows_of(self.ordered_ids())

    def rows_of(self, ids: list[int]) -> list[Posting]:
        """The postings of `ids`, in that order, with what a list shows (three queries)."""
        rows = (
            Posting.objects.filter(pk__in=ids)
            .select_related("initiative", "region", "call")
            .defer("region__boundary")
            .prefetch_related(
                Prefetch("technology_fields", queryset=TechnologyField.objects.order_by("name")),
                "regions_sought",
            )
            .in_bulk()
        )
        # A posting changed between the index and this read may be gone: left out.
        return [rows[pk] for pk in ids if pk in rows]

    def page(self) -> Page[Posting]:
        ids = self.ordered_ids()
        page = paginate(ids, self.params.get("page"), self.params.get("page_size"))
        return Page(self.rows_of(page.items), page.number, page.page_size, page.total)

    def facets(self) -> list[Facet]:
        labels = self._labels()
        facets = []
        for name in FACETS:
            base = self.matching_bits(without=name)
            selected = self._selected(name)
            by_value = self.index.bits.get(name, {})
            if base is None:  # nothing else chosen: every posting counts
                counts = {value: bits.bit_count() for value, bits in by_value.items()}
            else:
                counts = {value: (bits & base).bit_count() for value, bits in by_value.items()}
            values = [
                FacetValue(value, text, counts.get(value, 0), value in selected)
                for value, text in labels[name]
                if counts.get(value) or value in selected
            ]
            facets.append(Facet(name, str(self.form.fields[name].label), values))
        return facets

    def _labels(self) -> dict[str, list[tuple[str, str]]]:
        used_fields = set(self.index.bits.get("field", {}))
        broad = TechnologyField.objects.top_level().filter(slug__in=used_fields)
        used_countries = self.index.bits.get("country", {})
        return {
            "kind": [(k, str(v)) for k, v in Posting.Kind.choices],
            "purpose": [(k, str(v)) for k, v in Posting.Purpose.choices],
            "field": by_label((f.slug, f.localized_name) for f in broad),
            "country": by_label((c, country_name(c)) for c in used_countries),
        }
