"""GET /api/v1/search: the site search's JSON twin (docs/site-search.md)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from clusterportal.lib.api import (
    Error,
    PageInfo,
    checked_filter,
    data_etag,
    list_response,
    not_modified,
    query_parameters,
)
from clusterportal.registry.api import PAGE_PARAMETERS, FacetValueOut
from clusterportal.sitesearch.results import Result, SiteSearchFilter, SiteSearchForm

router = Router(tags=["search"])

PARAMETERS = {
    "q": "Search text, with the Clusterdatenbank's rules (German compounds, umlaut spellings, one typo per word, synonyms and abbreviations, places). Every word must match. A text over 200 characters is cut at a word boundary (`q_shortened`). Without it the result is empty.",
    "kind": "Kind of result. Repeat for several (any of them).",
    **PAGE_PARAMETERS,
}


class SearchResult(Schema):
    kind: str
    kind_label: str
    title: str
    url: str
    summary: str
    date: datetime.date | datetime.datetime | int | None


class SearchList(PageInfo):
    q_shortened: str | None
    results: list[SearchResult]
    facets: dict[str, list[FacetValueOut]]


@router.get(
    "/search",
    response={200: SearchList, 304: None, 400: Error, 404: Error},
    url_name="site_search",
    summary="Search the whole portal",
    openapi_extra={"parameters": query_parameters(SiteSearchForm, PARAMETERS)},
)
def site_search(request: HttpRequest, response: HttpResponse):
    """Initiatives, organisations, news, Thema des Monats, events, publications, pages
    and the atlas's editions, regions and clusters, ranked together, with the count per
    kind (`facets.kind`, counted without the `kind` filter)."""
    filters = checked_filter(request, SiteSearchFilter)
    if cached := not_modified(request, response, data_etag(request, *filters.data_versions())):
        return cached

    def result(item: Result) -> dict:
        url = request.build_absolute_uri(item.url) if item.url else ""
        fields = {name: getattr(item, name) for name in ("kind", "title", "summary", "date")}
        return {**fields, "kind_label": item.kind_label, "url": url}

    body = list_response(request, filters, lambda items: [result(i) for i in items])
    body["q_shortened"] = filters.q_shortened
    body["facets"] = {
        facet.name: [FacetValueOut.model_construct(**vars(v)) for v in facet.values]
        for facet in filters.facets()
    }
    return body
