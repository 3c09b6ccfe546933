"""The article lists (news, Thema des Monats): archive by year and month, and by tag."""

from __future__ import annotations

from django import forms
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from clusterportal.content.models import Article, Publication
from clusterportal.lib.filters import ListFilter
from clusterportal.registry.models import ClusterInitiative

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100


class ArticleFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Art"),
        required=False,
        choices=[("", "")] + [(k.value, k.label) for k in (Article.Kind.NEWS, Article.Kind.THEMA)],
    )
    year = forms.IntegerField(label=_("Jahr"), required=False, min_value=1900, max_value=2100)
    month = forms.IntegerField(label=_("Monat"), required=False, min_value=1, max_value=12)
    initiative = forms.SlugField(label=_("Initiative"), required=False)
    field = forms.SlugField(label=_("Technologiefeld"), required=False)
    region = forms.SlugField(label=_("Region"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    def clean(self):
        data = super().clean()
        if data.get("month") and not data.get("year"):
            self.add_error("month", _("Ein Monat braucht ein Jahr."))
        return data


class ArticleFilter(ListFilter[Article]):
    """Published articles only: drafts never reach a list, a feed or the API."""

    form_class = ArticleFilterForm

    def __init__(self, data, kind: str = "", **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fixed_kind = kind

    def queryset(self) -> QuerySet[Article]:
        kind = self.fixed_kind or self.params.get("kind")
        queryset = Article.objects.published().exclude(kind=Article.Kind.PAGE)
        if kind:
            queryset = queryset.filter(kind=kind)
        if self.params.get("year"):
            queryset = queryset.filter(published_on__year=self.params["year"])
        if self.params.get("month"):
            queryset = queryset.filter(published_on__month=self.params["month"])
        if self.params.get("initiative"):
            queryset = queryset.filter(initiatives__slug=self.params["initiative"])
        if self.params.get("field"):
            queryset = queryset.filter(technology_fields__slug=self.params["field"])
        if self.params.get("region"):
            queryset = queryset.filter(regions__slug=self.params["region"])
        # One query for the tags whatever the page size; of an initiative only what a list
        # shows (its row holds long search columns).
        tags = Prefetch("initiatives", ClusterInitiative.objects.only("slug", "name"))
        return queryset.prefetch_related(tags).newest_first()

    def archive_years(self) -> list[int]:
        kind = self.fixed_kind or (self.params.get("kind") if self.is_valid() else "")
        queryset = Article.objects.published().exclude(kind=Article.Kind.PAGE)
        if kind:
            queryset = queryset.filter(kind=kind)
        return years_with_articles(queryset)


def years_with_articles(queryset: QuerySet[Article]) -> list[int]:
    """The years in which `queryset` has articles, newest first, in two queries.

    Not `dates("published_on", "year")`: on SQLite that truncates every row's date in a
    Python function (80 ms for 5,000 articles). Here the first and last date come from the
    index, then one count per year in between, each a date range the database compares
    natively."""
    dated = queryset.filter(published_on__isnull=False).order_by()
    bounds = dated.aggregate(first=Min("published_on"), last=Max("published_on"))
    if bounds["first"] is None:
        return []
    span = range(bounds["last"].year, bounds["first"].year - 1, -1)
    counts = dated.aggregate(**{f"y{y}": Count("pk", filter=Q(published_on__year=y)) for y in span})
    return [year for year in span if counts[f"y{year}"]]


class PublicationFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Art"), required=False, choices=[("", _("alle"))] + Publication.Type.choices
    )
    year = forms.IntegerField(label=_("Jahr"), required=False, min_value=1900, max_value=2100)
