from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from clusterportal.atlas.filters import MAX_COMPARE, CompareForm, ResultFilter
from clusterportal.atlas.models import AtlasRegion, Cluster, Edition
from clusterportal.atlas.pages import (
    ClusterPage,
    Comparison,
    RegionPage,
    edition_region_types,
    nuts2_view,
)
from clusterportal.lib.geo import rounded
from clusterportal.lib.tables import write_csv
from clusterportal.lib.text import collation_key
from clusterportal.regions.views import cached_geojson


def _edition(request, slug: str) -> Edition:
    editions = Edition.objects.visible_to(request.user).defer("manifest")
    return get_object_or_404(editions, slug=slug)


def _csv(page, table: str, filename: str) -> HttpResponse:
    tables = page.tables()
    if table not in tables:
        raise Http404("no such table on this page")
    data = tables[table]
    response = HttpResponse(
        write_csv(data.columns, data.records()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}-{table}.csv"'
    return response


@require_safe
def index(request):
    editions = Edition.objects.visible_to(request.user).defer("manifest")
    return render(request, "atlas/index.html", {"editions": editions})


@require_safe
def method(request):
    return render(request, "atlas/method.html")


@require_safe
def edition(request, edition):
    edition = _edition(request, edition)
    types = edition_region_types(edition)
    # Through the edition's related managers: every link knows its edition without a query.
    regions = sorted(
        edition.atlasregion_set.defer("boundary"), key=lambda r: collation_key(r.label)
    )
    context = {
        "edition": edition,
        "types": [(t, [r for r in regions if r.type == t.type]) for t in types],
        "reference": next((r for r in regions if r.is_reference), None),
        "clusters": edition.cluster_set.all(),
    }
    return render(request, "atlas/edition.html", context)


@require_safe
def region(request, edition, type, code, table=None):
    edition = _edition(request, edition)
    regions = AtlasRegion.objects.select_related("parent", "region").defer(
        "boundary", "parent__boundary", "region__boundary"
    )
    region = get_object_or_404(regions, edition=edition, type=type, code=code)
    region.edition = edition
    if region.parent:
        region.parent.edition = edition
    filters = ResultFilter(request.GET, edition=edition, types=[region.type])
    context = {"edition": edition, "region": region, "filters": filters}
    # BW Kreise and Regionen: the NUTS-2 view of their Regierungsbezirk in the European edition.
    context["nuts2"] = nuts2_view(region)
    if not filters.is_valid():
        return render(request, "atlas/region.html", context, status=400)
    page = RegionPage.load(edition, region, filters.year)
    if table:
        return _csv(page, table, f"{edition.slug}-{region.type}-{region.code}-{filters.year}")
    return render(request, "atlas/region.html", {**context, "page": page})


@require_safe
def cluster(request, edition, cluster, table=None):
    edition = _edition(request, edition)
    cluster = get_object_or_404(Cluster, edition=edition, code=cluster)
    cluster.edition = edition
    types = edition_region_types(edition)
    filters = ResultFilter(request.GET, edition=edition, types=[t.type for t in types])
    context = {"edition": edition, "cluster": cluster, "filters": filters, "types": types}
    if not filters.is_valid():
        return render(request, "atlas/cluster.html", context, status=400)
    chosen = next((t for t in types if t.type == filters.region_type), types[0])
    page = ClusterPage.load(edition, cluster, filters.year, chosen)
    if table:
        return _csv(
            page, table, f"{edition.slug}-cluster-{cluster.code}-{chosen.type}-{filters.year}"
        )
    return render(request, "atlas/cluster.html", {**context, "page": page})


@require_safe
def compare(request, edition, table=None):
    """Up to ten regions side by side; more is a 400 that says so."""
    edition = _edition(request, edition)
    regions = sorted(
        edition.atlasregion_set.filter(is_reference=False).defer("boundary"),
        key=lambda region: (region.type, collation_key(region.label)),
    )
    form = CompareForm(request.GET or None, regions=regions)
    filters = ResultFilter({"year": request.GET.get("year", "")}, edition=edition, types=[])
    context = {"edition": edition, "form": form, "filters": filters, "regions": regions}
    if form.is_bound and not (form.is_valid() and filters.is_valid()):
        slots = (request.GET.getlist("region") + [""] * MAX_COMPARE)[:MAX_COMPARE]
        return render(request, "atlas/compare.html", {**context, "slots": slots}, status=400)
    keys = form.cleaned_data["region"] if form.is_bound else []
    page = Comparison.load(edition, keys, filters.year) if keys else None
    if table:
        if page is None:
            raise Http404("choose regions first")
        return _csv(page, table, f"{edition.slug}-compare-{filters.year}")
    slots = (keys + [""] * MAX_COMPARE)[:MAX_COMPARE]
    return render(request, "atlas/compare.html", {**context, "page": page, "slots": slots})


@require_safe
@gzip_page
def outlines(request, edition, type):
    """The outlines of one region type of an edition as GeoJSON (feature id = region code).

    Served apart from the pages so browsers cache them once; the ETag is the hash of the body.
    """
    edition = _edition(request, edition)
    regions = AtlasRegion.objects.filter(edition=edition, type=type, boundary__isnull=False)
    features = [
        {
            "type": "Feature",
            "id": r.code,
            "properties": {"code": r.code, "name": r.label},
            "geometry": rounded(r.boundary, 4),
        }
        for r in regions.only("code", "name", "boundary").order_by("code")
    ]
    if not features:
        raise Http404("no outlines for this region type")
    return cached_geojson(request, {"type": "FeatureCollection", "features": features})
