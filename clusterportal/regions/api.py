"""API of the region tree: lists, details and GeoJSON outlines for maps."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema

from clusterportal.lib.api import (
    ApiError,
    Error,
    NoParameters,
    checked_filter,
    checked_form,
    checked_query,
    query_parameters,
)
from clusterportal.regions.filters import RegionFilter, RegionFilterForm, RegionFormatForm
from clusterportal.regions.models import Region

router = Router(tags=["regions"])
GEOJSON = "application/geo+json"

PARAMETERS = {
    "kind": "Kinds of region (repeat for several): `region` for the 12 Regionen, `kreis` for the 44 Stadt- und Landkreise of Baden-Württemberg.",
    "parent": "Slug of a region: only its direct children (e.g. the Kreise of `region-stuttgart`).",
    "format": "`geojson` answers with a GeoJSON Feature (media type application/geo+json) whose geometry is the outline; the same as the `.geojson` address.",
}


class RegionRef(Schema):
    slug: str
    name: str
    code: str
    kind: str


class RegionSummary(RegionRef):
    name_en: str
    designation: str
    parent: RegionRef | None
    centroid_lat: float | None
    centroid_lon: float | None
    url: str
    geojson_url: str

    @staticmethod
    def resolve_url(obj: Region, context) -> str:
        return region_url(context["request"], obj)

    @staticmethod
    def resolve_geojson_url(obj: Region, context) -> str:
        return region_url(context["request"], obj, "region_geojson")


class RegionList(Schema):
    count: int
    results: list[RegionSummary]


class RegionDetail(RegionSummary):
    source_url: str
    children: list[RegionRef]

    @staticmethod
    def resolve_children(obj: Region) -> list[Region]:
        return list(obj.children.without_boundaries().order_by("name"))


def region_url(request: HttpRequest, region: Region, name: str = "region_detail") -> str:
    return request.build_absolute_uri(reverse(f"api-v1:{name}", kwargs={"slug": region.slug}))


def feature(request: HttpRequest, region: Region) -> dict:
    """A region as a GeoJSON Feature; the properties are those of the list."""
    properties = RegionSummary.model_validate(region, context={"request": request}).model_dump()
    return {
        "type": "Feature",
        "id": region.slug,
        "geometry": region.boundary,
        "properties": properties,
    }


def geojson_response(data: dict) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=GEOJSON)


FEATURE_SCHEMA = {
    "type": "object",
    "required": ["type", "id", "geometry", "properties"],
    "properties": {
        "type": {"const": "Feature"},
        "id": {"type": "string", "description": "the slug of the region"},
        "geometry": {
            "type": ["object", "null"],
            "description": "GeoJSON MultiPolygon in lon/lat (CRS84); null where no outline is stored",
        },
        "properties": {"$ref": "#/components/schemas/RegionSummary"},
    },
}
FEATURE_COLLECTION_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": FEATURE_SCHEMA},
    },
}


def _geojson_openapi(schema: dict) -> dict:
    return {"responses": {200: {"description": "OK", "content": {GEOJSON: {"schema": schema}}}}}


def _regions(request: HttpRequest, *, boundaries: bool = False):
    return checked_filter(request, RegionFilter).queryset(boundaries=boundaries)


def _region(request: HttpRequest, slug: str, *, boundaries: bool = False) -> Region:
    queryset = Region.objects.select_related("parent").defer("parent__boundary")
    if not boundaries:
        queryset = queryset.defer("boundary")
    region = queryset.filter(slug=slug).first()
    if region is None:
        raise ApiError(404, f"There is no region with the slug {slug!r}.")
    return region


@router.get(
    "/regions",
    response={200: RegionList, 304: None, 400: Error},
    url_name="region_list",
    summary="List regions",
    openapi_extra={"parameters": query_parameters(RegionFilterForm, PARAMETERS)},
)
def region_list(request: HttpRequest):
    """The region tree (Staat, Land, Regierungsbezirke, Regionen, Kreise), without outlines."""
    regions = list(_regions(request))
    return {"count": len(regions), "results": regions}


@router.get(
    "/regions.geojson",
    response={304: None, 400: Error},
    url_name="region_collection_geojson",
    summary="Region outlines as a GeoJSON FeatureCollection",
    openapi_extra={
        "parameters": query_parameters(RegionFilterForm, PARAMETERS),
        **_geojson_openapi(FEATURE_COLLECTION_SCHEMA),
    },
)
def region_collection_geojson(request: HttpRequest):
    """Every region that has an outline, filtered like the list: `?kind=kreis` gives the 44 Kreise."""
    regions = _regions(request, boundaries=True).filter(boundary__isnull=False)
    features = [feature(request, region) for region in regions]
    return geojson_response({"type": "FeatureCollection", "features": features})


@router.get(
    "/regions/{slug:slug}",
    response={200: RegionDetail, 304: None, 400: Error, 404: Error},
    url_name="region_detail",
    summary="One region",
    openapi_extra={
        "parameters": query_parameters(RegionFormatForm, PARAMETERS),
        **_geojson_openapi(FEATURE_SCHEMA),
    },
)
def region_detail(request: HttpRequest, slug: str):
    """A region with its parent and children; `?format=geojson` gives its outline as a Feature."""
    if checked_form(request, RegionFormatForm).cleaned_data["format"] == "geojson":
        return geojson_response(feature(request, _region(request, slug, boundaries=True)))
    return _region(request, slug)


@router.get(
    "/regions/{slug:slug}.geojson",
    response={304: None, 400: Error, 404: Error},
    url_name="region_geojson",
    summary="The outline of one region as a GeoJSON Feature",
    openapi_extra=_geojson_openapi(FEATURE_SCHEMA),
)
def region_geojson(request: HttpRequest, slug: str):
    """The same Feature as `/regions/{slug}?format=geojson`."""
    checked_query(request, NoParameters)
    return geojson_response(feature(request, _region(request, slug, boundaries=True)))
