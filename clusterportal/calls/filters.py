"""The list of calls: one filter for the page, the iCal feed and the API.

Calls are few (a handful a year), so the filter reads one row of facts per call (status
from the dates, programme, target groups, countries, topics) in two queries and matches
in Python: the same matching gives the page's records and, with one parameter left out
each, the facet counts (as the registry's filter does over its index).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from clusterportal.calls.models import Call, Deadline, Programme, TargetGroup
from clusterportal.lib.countries import country_name
from clusterportal.lib.filters import Facet, FacetValue, ListFilter
from clusterportal.lib.text import by_label
from clusterportal.taxonomy.models import TechnologyField

MAX_PAGE_SIZE = 100  # as every list of the API
FACETS = ("status", "programme", "target_group", "topic", "country")


class CallFilterForm(forms.Form):
    status = forms.MultipleChoiceField(
        label=_("Stand"), required=False, choices=Call.Status.choices
    )
    programme = forms.SlugField(label=_("Förderprogramm"), required=False, max_length=100)
    target_group = forms.MultipleChoiceField(
        label=_("Zielgruppe"), required=False, choices=TargetGroup.choices
    )
    topic = forms.SlugField(label=_("Thema"), required=False, max_length=100)
    country = forms.ChoiceField(
        label=_("Zielland"), required=False, choices=[("", "")] + list(all_countries)
    )
    page = forms.IntegerField(label=_("Seite"), required=False, min_value=1)
    page_size = forms.IntegerField(
        label=_("Einträge pro Seite"), required=False, min_value=1, max_value=MAX_PAGE_SIZE
    )

    def clean_programme(self) -> str:
        slug = self.cleaned_data.get("programme")
        if slug and not Programme.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Kein Förderprogramm mit diesem Kurznamen."))
        return slug

    def clean_topic(self) -> str:
        slug = self.cleaned_data.get("topic")
        if slug and not TechnologyField.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Kein Technologiefeld mit diesem Kurznamen."))
        return slug


@dataclass(frozen=True)
class Row:
    """What the filter matches on, for one call."""

    pk: int
    status: str
    programme: str
    target_groups: frozenset[str]
    countries: frozenset[str]
    topics: frozenset[str]  # the fields tagged, with their parents

    def value_set(self, name: str) -> frozenset[str]:
        return {
            "status": frozenset([self.status]),
            "programme": frozenset([self.programme]),
            "target_group": self.target_groups,
            "topic": self.topics,
            "country": self.countries,
        }[name]


def _codes(countries) -> list[str]:
    """A CountryField(multiple=True) as stored: "DK,NO,SE" (values_list gives the column)."""
    if isinstance(countries, str):
        return [code for code in countries.split(",") if code]
    return [str(code) for code in countries or []]


class CallFilter(ListFilter[Call]):
    """Open calls first (soonest deadline first), then upcoming, then closed (latest first)."""

    form_class = CallFilterForm
    default_page_size = 20

    def __init__(self, data, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.now = timezone.now()
        self._rows: list[Row] | None = None

    def rows(self) -> list[Row]:
        if self._rows is None:
            calls = (
                Call.objects.with_status(self.now)
                .values_list("pk", "status_now", "programme__slug", "target_groups", "countries")
                .order_by()
            )
            tags: dict[int, set[str]] = {}
            through = Call.technology_fields.through.objects.values_list(
                "call_id", "technologyfield__slug", "technologyfield__parent__slug"
            )
            for call_id, slug, parent in through:
                tags.setdefault(call_id, set()).update(s for s in (slug, parent) if s)
            self._rows = [
                Row(pk, status, programme, frozenset(groups or []),
                    frozenset(_codes(countries)),
                    frozenset(tags.get(pk, ())))
                for pk, status, programme, groups, countries in calls
            ]  # fmt: skip
        return self._rows

    def _selected(self, name: str) -> set[str]:
        value = self.params.get(name)
        if not value:
            return set()
        return set(value) if isinstance(value, list) else {value}

    def matching_ids(self, without: str = "") -> set[int]:
        wanted = {name: self._selected(name) for name in FACETS if name != without}
        return {
            row.pk
            for row in self.rows()
            if all(not values or values & row.value_set(name) for name, values in wanted.items())
        }

    def queryset(self) -> QuerySet[Call]:
        rank = Case(
            When(status_now=Call.Status.OPEN, then=Value(0)),
            When(status_now=Call.Status.UPCOMING, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return (
            Call.objects.with_status(self.now)
            .filter(pk__in=self.matching_ids())
            .select_related("programme")
            .prefetch_related(
                Prefetch("deadlines", queryset=Deadline.objects.order_by("due_at", "pk")),
                "technology_fields",
            )
            .annotate(rank=rank)
            .order_by(
                "rank",
                F("closes_at").asc(nulls_last=True),
                F("opens_at").desc(nulls_last=True),
                "title",
                "pk",
            )
        )

    def facets(self) -> list[Facet]:
        options = self._options()
        facets = []
        for name in FACETS:
            base = self.matching_ids(without=name)
            selected = self._selected(name)
            counts: dict[str, int] = {}
            for row in self.rows():
                if row.pk in base:
                    for value in row.value_set(name):
                        counts[value] = counts.get(value, 0) + 1
            label, choices = options[name]
            values = [
                FacetValue(value, text, counts.get(value, 0), value in selected)
                for value, text in choices
                if counts.get(value) or value in selected
            ]
            facets.append(Facet(name, str(label), values))
        return facets

    def _options(self) -> dict[str, tuple[object, list[tuple[str, str]]]]:
        used = {name: set().union(*(r.value_set(name) for r in self.rows())) for name in FACETS}
        programmes = Programme.objects.filter(slug__in=used["programme"]).only(
            "slug", "name", "name_en"
        )
        topics = TechnologyField.objects.filter(slug__in=used["topic"])
        fields = self.form.fields
        return {
            "status": (fields["status"].label, [(k, str(v)) for k, v in Call.Status.choices]),
            "programme": (
                fields["programme"].label,
                by_label((p.slug, p.localized_name) for p in programmes),
            ),
            "target_group": (
                fields["target_group"].label,
                [(k, str(v)) for k, v in TargetGroup.choices],
            ),
            "topic": (fields["topic"].label, by_label((f.slug, f.localized_name) for f in topics)),
            "country": (
                fields["country"].label,
                by_label((code, country_name(code)) for code in used["country"]),
            ),
        }


class ProgrammeFilterForm(forms.Form):
    archive = forms.BooleanField(label=_("auch Programme im Archiv"), required=False)
    page = forms.IntegerField(label=_("Seite"), required=False, min_value=1)
    page_size = forms.IntegerField(
        label=_("Einträge pro Seite"), required=False, min_value=1, max_value=MAX_PAGE_SIZE
    )


class ProgrammeFilter(ListFilter[Programme]):
    """Current programmes by name; with `archive`, the past ones after them."""

    form_class = ProgrammeFilterForm

    def queryset(self) -> QuerySet[Programme]:
        programmes = Programme.objects.all()
        if not self.params.get("archive"):
            programmes = programmes.current()
        return programmes.prefetch_related("calls").order_by("archived", "name", "pk")
