"""Region outlines as GeoJSON for the maps (our own base map: no tiles)."""

from __future__ import annotations

from collections.abc import Iterable

from clusterportal.lib.geo import outer_edges, rounded
from clusterportal.regions.models import Region

# About 10 m: plenty for outlines of Kreise, and the 44 Kreise stay under 100 KB.
DIGITS = 4
# Source notice the licence of the BKG boundaries (dl-de/by-2-0) asks for; the
# pages show it from regions/_bkg_attribution.html.
ATTRIBUTION = {
    "text": "© GeoBasis-DE / BKG 2021 (Daten verändert)",
    "url": "http://www.bkg.bund.de",
    "licence": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "licence_url": "https://www.govdata.de/dl-de/by-2-0",
}


def outline(region: Region | None, *, lines: bool = False) -> dict | None:
    """One region as a GeoJSON Feature (rounded), or None without a boundary.

    With `lines`, the geometry is the region's outer line only (a Region whose
    boundary is the MultiPolygon of its Kreise loses the inner Kreis borders).
    """
    if region is None or not region.boundary:
        return None
    geometry = rounded(region.boundary, DIGITS)
    return {
        "type": "Feature",
        "properties": {"name": str(region), "slug": region.slug, "kind": region.kind},
        "geometry": outer_edges(geometry) if lines else geometry,
    }


def feature_collection(regions: Iterable[Region], *, lines: bool = False) -> dict:
    features = [outline(region, lines=lines) for region in regions]
    return {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION,
        "features": [feature for feature in features if feature is not None],
    }
