"""The one shape of a list's filter, shared by the HTML page and its API twin.

    query parameters -> a validated form -> the records -> one page of them (and facets)

A list defines its parameters once, as a Django form (the API documents that
form as OpenAPI parameters, lib.api.query_parameters), and one `ListFilter`
subclass that turns the valid parameters into records:

    class OrganisationFilter(ListFilter[Organisation]):
        form_class = OrganisationFilterForm

        def queryset(self) -> QuerySet[Organisation]:
            return Organisation.objects.filter(...).order_by("name", "pk")

The page view builds it from `request.GET`, answers 400 with `errors` when it
is not valid, and renders `page()` (and `facets()`); the API endpoint gets it
from `lib.api.checked_filter` (unknown parameters and invalid values are a 400
in the error shape) and answers `lib.api.list_response(request, filters)`.
A filter may read its records from somewhere faster than a queryset (the
registry's initiatives come from a per-process index): it overrides `page()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clusterportal.lib.pagination import DEFAULT_PAGE_SIZE, Page, PageOutOfRange, paginate

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int  # the records this value gives, with every other filter applied
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter
    label: str
    values: list[FacetValue]

    @property
    def has_choices(self) -> bool:
        """Some value can be chosen or unchosen (a facet of an empty result has none: it is
        shown closed, since an open, scrolling list of plain text cannot take the focus)."""
        return any(value.count or value.selected for value in self.values)


class ListFilter(Generic[M]):
    """Validated parameters of one list and the records, page and facets they give."""

    form_class: ClassVar[type[forms.Form]]
    # `page` and `page_size` are fields of the form where the list is paginated.
    default_page_size: ClassVar[int] = DEFAULT_PAGE_SIZE

    def __init__(self, data: Mapping[str, Any] | None, **form_kwargs: Any) -> None:
        self.form = self.form_class(data, **form_kwargs)

    def is_valid(self) -> bool:
        return self.form.is_valid()

    @property
    def errors(self) -> dict[str, list[str]]:
        """Parameter -> messages, in the active language."""
        return {name: [str(m) for m in messages] for name, messages in self.form.errors.items()}

    @property
    def params(self) -> dict[str, Any]:
        """The cleaned parameters (of a valid filter)."""
        return self.form.cleaned_data

    def queryset(self) -> QuerySet[M]:
        """Every matching record, in the list's order."""
        raise NotImplementedError

    def page(self) -> Page[M]:
        """The page the parameters ask for (`PageOutOfRange` after the last)."""
        return paginate(
            self.queryset(),
            self.params.get("page"),
            self.params.get("page_size"),
            default_size=self.default_page_size,
        )

    def facets(self) -> list[Facet]:
        """The counts per value of each filter that has facets (none by default)."""
        return []


def render_filtered(
    request: HttpRequest,
    template: str,
    filters: ListFilter[Any],
    context: dict[str, Any] | None = None,
    facets: bool = True,
) -> HttpResponse:
    """A filtered list page: 400 naming the bad parameters, 404 for a page past the last,
    else the page, the facets and `query` (the parameters without `page`, for sort links)."""
    context = {**(context or {}), "filters": filters}
    if not filters.is_valid():
        return render(request, template, {**context, "errors": filters.errors}, status=400)
    try:
        page = filters.page()
    except PageOutOfRange as error:
        errors = {"page": [error.localized_message]}
        return render(request, template, {**context, "errors": errors}, status=404)
    query = request.GET.copy()
    query.pop("page", None)
    context.update(page=page, query=query.urlencode())
    if facets:
        context["facets"] = filters.facets()
    return render(request, template, context)
