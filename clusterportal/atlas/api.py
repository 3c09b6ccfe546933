"""API of the atlas: editions, and their results by region, by cluster and as one list.

Results use the pages' filter definition (filters.ResultFilter: year,
region_type, strong) and are paginated. Published editions never change, so
their ETag is their fingerprint and publication time.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Path, Router, Schema

from clusterportal.atlas.filters import (
    PAGE_SIZE,
    REGION_TYPE,
    ApiResultFilter,
    ApiResultFilterForm,
)
from clusterportal.atlas.models import AtlasRegion, Cluster, Edition, Growth, RegionSummary
from clusterportal.atlas.models import Result as ResultRow
from clusterportal.atlas.pages import edition_region_types
from clusterportal.lib.api import (
    ApiError,
    Error,
    NoParameters,
    PageInfo,
    checked_filter,
    checked_query,
    data_etag,
    list_response,
    not_modified,
    query_parameters,
)

router = Router(tags=["atlas"])

RESULT_PARAMETERS = {
    "year": "Year of the results (one of the edition's `years`). Region and cluster results default to all years; give one to narrow.",
    "region_type": "Region type, e.g. `kreis`, `region`, `land`, `state`, `cbsa` (see the edition's `region_types`).",
    "strong": "`yes`: strong clusters only; `no`: the others.",
    "page": "Page number, from 1. A page after the last one is a 404.",
    "page_size": f"Results per page (default {PAGE_SIZE}, at most 1000).",
}


class SourceOut(Schema):
    key: str
    name: str
    citation: str
    licence: str
    licence_url: str
    url: str


class ClusterOut(Schema):
    code: str
    name: str
    name_de: str
    type: str


class RegionTypeOut(Schema):
    type: str
    count: int
    outlines: int


class RegionOut(Schema):
    type: str
    code: str
    name: str
    is_reference: bool
    parent: str | None
    registry_region: str | None
    html_url: str

    @staticmethod
    def resolve_parent(obj: AtlasRegion) -> str | None:
        return obj.parent.key if obj.parent_id else None

    @staticmethod
    def resolve_registry_region(obj: AtlasRegion) -> str | None:
        return obj.region.slug if obj.region_id else None

    @staticmethod
    def resolve_html_url(obj: AtlasRegion, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class EditionSummary(Schema):
    slug: str
    title: str
    title_en: str
    status: str
    method: str
    reference: str
    years: list[int]
    growth_from: int | None
    growth_to: int | None
    definition: str
    definition_title: str
    published_at: datetime.datetime | None
    citation: str
    url: str
    html_url: str

    @staticmethod
    def resolve_url(obj: Edition, context) -> str:
        return _absolute(context["request"], "atlas_edition", slug=obj.slug)

    @staticmethod
    def resolve_html_url(obj: Edition, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class EditionList(Schema):
    count: int
    results: list[EditionSummary]


class EditionDetail(EditionSummary):
    summary: str
    summary_en: str
    limitations: str
    limitations_en: str
    sources: list[SourceOut]
    manifest: dict[str, Any]
    region_types: list[RegionTypeOut]
    clusters: list[ClusterOut]
    results_url: str

    @staticmethod
    def resolve_region_types(obj: Edition):
        return edition_region_types(obj)

    @staticmethod
    def resolve_clusters(obj: Edition):
        return list(Cluster.objects.filter(edition=obj))

    @staticmethod
    def resolve_results_url(obj: Edition, context) -> str:
        return _absolute(context["request"], "atlas_results", slug=obj.slug)


class ResultOut(Schema):
    year: int
    region_type: str
    region_code: str
    region_name: str
    cluster_code: str
    cluster_name: str
    cluster_type: str
    employment: float
    establishments: float | None
    wage: float | None
    share: float | None
    reference_share: float | None
    lq: float | None
    qualifying: bool | None
    significant: bool | None
    strong10: bool | None
    size_star: bool | None
    specialisation_star: bool | None
    focus_star: bool | None
    stars: int | None
    strong: bool

    @staticmethod
    def resolve_region_type(obj: ResultRow) -> str:
        return obj.region.type

    @staticmethod
    def resolve_region_code(obj: ResultRow) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: ResultRow) -> str:
        return obj.region.name

    @staticmethod
    def resolve_cluster_code(obj: ResultRow) -> str:
        return obj.cluster.code

    @staticmethod
    def resolve_cluster_name(obj: ResultRow) -> str:
        return obj.cluster.label

    @staticmethod
    def resolve_cluster_type(obj: ResultRow) -> str:
        return obj.cluster.type


class ResultPage(PageInfo):
    results: list[ResultOut]


class SummaryOut(Schema):
    year: int
    total_employment: float
    traded_employment: float
    local_employment: float
    strong_clusters: int
    strong_employment: float
    strong_employment_share: float | None
    portfolio: list[str]

    @staticmethod
    def resolve_portfolio(obj: RegionSummary) -> list[str]:
        return [code for code in obj.portfolio.split(";") if code]


class GrowthOut(Schema):
    cluster_code: str
    year_from: int
    year_to: int
    employment_from: float
    employment_to: float
    employment_change: float
    employment_cagr: float | None
    lq_from: float | None
    lq_to: float | None

    @staticmethod
    def resolve_cluster_code(obj: Growth) -> str:
        return obj.cluster.code


class RegionResults(Schema):
    edition: str
    region: RegionOut
    summaries: list[SummaryOut]
    growth: list[GrowthOut]
    results: ResultPage


class ClusterResults(Schema):
    edition: str
    cluster: ClusterOut
    results: ResultPage


def _absolute(request: HttpRequest, name: str, **kwargs: str) -> str:
    return request.build_absolute_uri(reverse(f"api-v1:{name}", kwargs=kwargs))


def _edition(request: HttpRequest, slug: str) -> Edition:
    edition = Edition.objects.published().filter(slug=slug).first()
    if edition is None:
        raise ApiError(404, f"There is no published atlas edition with the slug {slug!r}.")
    return edition


def _cached(request: HttpRequest, response: HttpResponse, edition: Edition) -> HttpResponse | None:
    """Published editions are frozen: their fingerprint and publication time are their version."""
    etag = data_etag(request, edition.fingerprint, edition.published_at)
    return not_modified(request, response, etag, edition.published_at)


def _results(request: HttpRequest, edition: Edition, **within: object) -> ApiResultFilter:
    """The filter of the request's query over the edition's results (`within` narrows them)."""
    results = ResultRow.objects.filter(edition=edition, **within)
    return checked_filter(request, ApiResultFilter, edition=edition, results=results)


@router.get(
    "/atlas/editions",
    response={200: EditionList, 304: None, 400: Error},
    url_name="atlas_edition_list",
    summary="List the published atlas editions",
)
def atlas_edition_list(request: HttpRequest):
    """Every published edition of the Regionaler Clusteratlas, in the order of the start page."""
    checked_query(request, NoParameters)
    editions = list(Edition.objects.published().defer("manifest"))
    return {"count": len(editions), "results": editions}


@router.get(
    "/atlas/editions/{slug:slug}",
    response={200: EditionDetail, 304: None, 400: Error, 404: Error},
    url_name="atlas_edition",
    summary="One atlas edition: method, sources, run manifest, clusters, region types",
)
def atlas_edition(request: HttpRequest, slug: str, response: HttpResponse):
    """The edition with its sources and licences, its citation and the engine's run
    manifest (input files with sha256, parameters, engine version)."""
    checked_query(request, NoParameters)
    edition = _edition(request, slug)
    if cached := _cached(request, response, edition):
        return cached
    return edition


@router.get(
    "/atlas/editions/{slug:slug}/results",
    response={200: ResultPage, 304: None, 400: Error, 404: Error},
    url_name="atlas_results",
    summary="All results of an edition (year × region × cluster), filtered and paginated",
    openapi_extra={"parameters": query_parameters(ApiResultFilterForm, RESULT_PARAMETERS)},
)
def atlas_results(request: HttpRequest, slug: str, response: HttpResponse):
    """One row per year × region × cluster, ordered by year, region type, region code, cluster."""
    edition = _edition(request, slug)
    filters = _results(request, edition)
    if cached := _cached(request, response, edition):
        return cached
    return list_response(request, filters)


@router.get(
    "/atlas/editions/{slug:slug}/regions/{region_type}/{code}",
    response={200: RegionResults, 304: None, 400: Error, 404: Error, 422: Error},
    url_name="atlas_region",
    summary="One region of an edition: summaries, growth and its cluster results",
    openapi_extra={"parameters": query_parameters(ApiResultFilterForm, RESULT_PARAMETERS)},
)
def atlas_region(
    request: HttpRequest,
    slug: str,
    region_type: Annotated[str, Path(pattern=REGION_TYPE, max_length=20)],
    code: str,
    response: HttpResponse,
):
    """The region page as data: the portfolio of every year (or of `year`), with growth."""
    edition = _edition(request, slug)
    region = (
        AtlasRegion.objects.select_related("parent", "region")
        .defer("boundary", "parent__boundary", "region__boundary")
        .filter(edition=edition, type=region_type, code=code)
        .first()
    )
    if region is None:
        raise ApiError(404, f"The edition {slug} has no region {region_type}:{code}.")
    filters = _results(request, edition, region=region)
    if cached := _cached(request, response, edition):
        return cached
    summaries = RegionSummary.objects.filter(region=region).order_by("year")
    growth = (
        Growth.objects.filter(region=region).select_related("cluster").order_by("cluster__position")
    )
    return {
        "edition": edition.slug,
        "region": region,
        "summaries": list(summaries),
        "growth": list(growth),
        "results": list_response(request, filters),
    }


@router.get(
    "/atlas/editions/{slug:slug}/clusters/{code}",
    response={200: ClusterResults, 304: None, 400: Error, 404: Error},
    url_name="atlas_cluster",
    summary="One cluster of an edition and its results over the regions",
    openapi_extra={"parameters": query_parameters(ApiResultFilterForm, RESULT_PARAMETERS)},
)
def atlas_cluster(request: HttpRequest, slug: str, code: str, response: HttpResponse):
    """The cluster page as data: every region's result in this cluster (filter by year, type)."""
    edition = _edition(request, slug)
    cluster = Cluster.objects.filter(edition=edition, code=code).first()
    if cluster is None:
        raise ApiError(404, f"The edition {slug} has no cluster {code!r}.")
    filters = _results(request, edition, cluster=cluster)
    if cached := _cached(request, response, edition):
        return cached
    return {
        "edition": edition.slug,
        "cluster": cluster,
        "results": list_response(request, filters),
    }
