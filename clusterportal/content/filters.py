"""The article lists (news, Thema des Monats): archive by year and month, and by tag."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterportal.content.models import Article, Publication
from clusterportal.lib.filters import ListFilter

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
        # One query for the rows whatever the page size (tags are shown on the list).
        return queryset.prefetch_related("initiatives").newest_first()

    def archive_years(self) -> list[int]:
        kind = self.fixed_kind or (self.params.get("kind") if self.is_valid() else "")
        queryset = Article.objects.published().exclude(kind=Article.Kind.PAGE)
        if kind:
            queryset = queryset.filter(kind=kind)
        return sorted({d.year for d in queryset.dates("published_on", "year")}, reverse=True)


class PublicationFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Art"), required=False, choices=[("", "")] + Publication.Type.choices
    )
    year = forms.IntegerField(label=_("Jahr"), required=False, min_value=1900, max_value=2100)
