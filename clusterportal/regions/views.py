import hashlib
import json

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from clusterportal.regions.geojson import feature_collection
from clusterportal.regions.models import Region

# Outlines change only when the region data is reloaded; the ETag covers that.
OUTLINES_MAX_AGE = 3600


@require_safe
@gzip_page
def outlines(request, kind: str, lines: bool = False):
    """The outlines of all regions of one kind (BW Kreise or Regionen) as GeoJSON.

    With `lines`, each region is its outer line (a MultiLineString): the map draws
    the 12 Regionen as thick lines over the Kreise without repeating their borders.

    Served apart from the pages so browsers cache the ~100 KB once; the ETag is
    the hash of the body, so a revalidation answers 304 without the body.
    """
    regions = Region.objects.of_kind(kind).filter(boundary__isnull=False).order_by("code")
    return cached_geojson(request, feature_collection(regions, lines=lines))


def cached_geojson(request, data: dict) -> HttpResponse:
    """GeoJSON that browsers cache; the ETag is the hash of the body (a 304 without it)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    etag = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=OUTLINES_MAX_AGE)
    return response
